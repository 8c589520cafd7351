from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tremplin.notifications.models import Message, Preference
from tremplin.people.models import person_of


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """A person's e-mails: turn the optional ones off, and see the last ones sent to them."""
    me = person_of(request.user)
    if me is None:
        raise Http404
    choice, _created = Preference.objects.get_or_create(person=me)
    if request.method == "POST":
        choice.essential_only = request.POST.get("essential_only") == "on"
        choice.save(update_fields=["essential_only"])
        messages.success(request, _("Your choice is saved."))
        return redirect("notifications:preferences")
    recent = Message.objects.filter(person=me).order_by("-due_at")[:20]
    return render(request, "notifications/preferences.html",
                  {"choice": choice, "recent": recent, "email": me.email})  # fmt: skip
