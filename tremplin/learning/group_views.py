"""The page where the lead composes mixed groups for a wave's sessions of a module, adjusts them
by hand and enrols the people; and where a person declares how they feel about AI at work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tremplin import params
from tremplin.compute.groups import summary
from tremplin.learning import access
from tremplin.learning import groups as service
from tremplin.learning.forms import AbsenceForm
from tremplin.learning.models import Absence, Module
from tremplin.learning.sessions import SessionError
from tremplin.people.models import Appetite, person_of
from tremplin.rollout.models import Wave


@login_required
def session_groups(request: HttpRequest) -> HttpResponse:
    if not access.may_schedule(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    wave = Wave.objects.filter(pk=params.bounded_int(source.get("wave"), 0)).first()
    module = Module.objects.filter(pk=params.bounded_int(source.get("module"), 0)).first()
    proposal = service.propose(wave, module) if wave and module else None
    if proposal is not None and request.method == "POST":
        chosen = service.read_choices(proposal, request.POST.dict())
        if request.POST.get("action") == "enrol":
            try:
                n = service.enrol_as_chosen(proposal, chosen)
            except SessionError as error:
                messages.error(request, str(error))
            else:
                done = ngettext("%(n)s person enrolled.", "%(n)s people enrolled.", n)
                messages.success(request, done % {"n": n})
                url = reverse("learning:session_groups")
                return redirect(f"{url}?wave={wave.pk}&module={module.pk}")  # type: ignore[union-attr]
        proposal = service.rearranged(proposal, chosen)
    return render(request, "learning/session_groups.html", {
        "waves": Wave.objects.all(),
        "modules": Module.objects.filter(sessions__isnull=False).distinct().order_by("code"),
        "wave": wave, "module": module, "proposal": proposal,
        "measures": summary(t.mix for t in proposal.tables) if proposal else None,
    })  # fmt: skip


@login_required
@require_POST
def appetite(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    if me is None:
        raise Http404
    value = request.POST.get("ai_appetite", "")
    if value not in Appetite.values and value != "":
        messages.error(request, _("Choose one of the answers offered."))
    else:
        me.ai_appetite = value
        me.save(update_fields=["ai_appetite"])
        messages.success(request, _("Your answer is saved."))
    return redirect("learning:sessions")


@login_required
@require_POST
def days_away(request: HttpRequest) -> HttpResponse:
    """A person adds days they cannot attend training, or removes some."""
    me = person_of(request.user)
    if me is None:
        raise Http404
    remove = params.bounded_int(request.POST.get("remove"), 0)
    if remove:
        Absence.objects.filter(person=me, pk=remove).delete()
        return redirect("learning:sessions")
    form = AbsenceForm(request.POST)
    if form.is_valid():
        Absence.objects.create(person=me, **form.cleaned_data)
        messages.success(request, _("Your days away are saved."))
    else:
        for error in form.errors.get("__all__", []) or [_("Give both days as dates.")]:
            messages.error(request, str(error))
    return redirect("learning:sessions")
