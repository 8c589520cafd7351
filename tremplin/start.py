"""The first run of an empty installation, and the lead's checklist until the programme runs.

`/start/` exists only while there is no account at all: it names the company and creates the
first programme lead, who is signed in and finds on the home page the steps to a first
campaign (import people, the framework, the catalogue, job targets, logins, a campaign), each
a link or a button.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tremplin.assessments.models import Campaign
from tremplin.learning.catalogue import CatalogueError, load_default_catalogue
from tremplin.learning.models import Module
from tremplin.people.access import role_required
from tremplin.people.models import Company, Person, Role, RoleAssignment
from tremplin.skills.queries import active_framework
from tremplin.skills.services import load_default_framework


class StartForm(UserCreationForm[User]):
    company = forms.CharField(label=gettext_lazy("Company name"), max_length=200)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("company", "first_name", "last_name", "email", "username")


def start(request: HttpRequest) -> HttpResponse:
    if User.objects.exists():
        return redirect("login")
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if User.objects.select_for_update().exists():  # someone was quicker
                return redirect("login")
            user = form.save()
            RoleAssignment.objects.create(user=user, role=Role.LEAD)
            Company.objects.create(name=form.cleaned_data["company"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Here are the steps to a first campaign."))
        return redirect("home")
    return render(request, "start.html", {"form": form})


@dataclass(frozen=True)
class Step:
    text: str
    done: bool
    url: str = ""  # a link to do it
    action: str = ""  # or a button posting here


def steps() -> list[Step]:
    """The lead's checklist, each step done or not."""
    framework = active_framework()
    company = Company.current()
    return [
        Step(_("Import people"), Person.objects.exists(), reverse("people:import_upload")),
        Step(
            _("Use the shipped skills framework, or import yours"),
            framework is not None,
            reverse("skills:import"),
            reverse("start_framework"),
        ),
        Step(
            _("Use the shipped training catalogue, or import yours"),
            Module.objects.exists(),
            reverse("learning:catalogue_import"),
            reverse("start_catalogue"),
        ),
        Step(
            _("Review the targets of each job"),
            company is not None and company.targets_reviewed_at is not None,
            reverse("skills:targets"),
        ),
        Step(
            _("Give people their logins"),
            Person.objects.filter(user__isnull=False).exists(),
            reverse("people:accounts"),
        ),
        Step(
            _("Open a first campaign"),
            Campaign.objects.exists(),
            reverse("assessments:campaign_new"),
        ),
    ]


def checklist() -> dict[str, Any]:
    found = steps()
    return {"steps": found, "all_done": all(s.done for s in found)}


@require_POST
@role_required(Role.LEAD)
def start_framework(request: HttpRequest) -> HttpResponse:
    framework = load_default_framework()
    messages.success(request, _("Framework “%(name)s” in use.") % {"name": framework.name})
    return redirect("home")


@require_POST
@role_required(Role.LEAD)
def start_catalogue(request: HttpRequest) -> HttpResponse:
    try:
        created, _updated = load_default_catalogue()
    except CatalogueError as error:
        for problem in error.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("Catalogue loaded: %(n)s modules.") % {"n": created})
    return redirect("home")
