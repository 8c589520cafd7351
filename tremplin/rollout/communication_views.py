"""The communication calendar's pages: the planned communications by month (the lead edits,
the executive sponsor and the works council read), one communication's form and its actions."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tremplin import params
from tremplin.people.access import role_required
from tremplin.people.models import Role, roles_of
from tremplin.rollout import communications as service
from tremplin.rollout.forms import CommunicationForm
from tremplin.rollout.models import Communication, Wave
from tremplin.rollout.roadmap_views import READERS


@role_required(*READERS)
def calendar(request: HttpRequest) -> HttpResponse:
    shown = Communication.objects.select_related("wave", "owner")
    wave = Wave.objects.filter(pk=params.bounded_int(request.GET.get("wave"), 0)).first()
    if wave is not None:
        shown = shown.filter(wave=wave)
    rows = list(shown[:1000])
    sent = service.progress(rows)
    months = [
        (month, [(c, sent.get(c.pk)) for c in group]) for month, group in groupby(rows, key=_month)
    ]
    return render(request, "rollout/communications.html", {
        "months": months, "waves": Wave.objects.all(), "wave": wave,
        "may_edit": Role.LEAD in roles_of(request.user),
    })  # fmt: skip


def _month(communication: Communication) -> datetime.date:
    return timezone.localtime(communication.at).date().replace(day=1)


@role_required(Role.LEAD)
def communication_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    communication = get_object_or_404(Communication, pk=pk) if pk else Communication()
    locked = communication.status == Communication.Status.SCHEDULED
    form = CommunicationForm(request.POST or None, instance=communication)
    if request.method == "POST" and not locked and form.is_valid():
        form.save()
        messages.success(request, _("Communication saved."))
        return redirect("rollout:communications")
    return render(request, "rollout/communication_form.html",
                  {"form": form, "communication": communication, "locked": locked})  # fmt: skip


@require_POST
@role_required(Role.LEAD)
def communication_action(request: HttpRequest, pk: int) -> HttpResponse:
    communication = get_object_or_404(Communication, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "schedule":
            n = service.schedule_emails(communication)
            written = ngettext("%(n)s e-mail will go out at its date.",
                               "%(n)s e-mails will go out at its date.", n)  # fmt: skip
            messages.success(request, written % {"n": n})
        elif action == "withdraw":
            service.withdraw(communication)
            messages.success(request, _("Its e-mails will not go out; it is planned again."))
        elif action in ("done", "cancelled"):
            service.mark(communication, action)
            messages.success(request, _("Communication saved."))
        else:
            messages.error(request, _("Choose an action."))
    except service.CommunicationError as error:
        messages.error(request, str(error))
    return redirect("rollout:communication_edit", pk=pk)
