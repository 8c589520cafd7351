"""Engagement's overview (my ambassadors, my mentoring, communities, challenges, badges, success
stories) and the prompt coach: a person pastes a prompt and reads what it has, what it lacks
and what it should not carry, before sending it anywhere. Nothing is stored and nothing leaves
the server."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from tremplin.alphabetical import Alphabetical
from tremplin.compute.prompts import review
from tremplin.engagement.models import (
    Ambassador,
    AmbassadorStatus,
    Award,
    Challenge,
    CoachSettings,
    Community,
    Mentorship,
    MentorshipStatus,
    Submission,
)
from tremplin.people.models import Person, Role, person_of, roles_of
from tremplin.voice.idea_models import Idea, IdeaStatus

MAX_PROMPT = 20_000
QUALITIES = {
    "task": gettext_lazy("a task verb (write, summarise, compare…)"),
    "context": gettext_lazy("context (the situation, the company, the goal)"),
    "audience": gettext_lazy("an audience or a role (“you are…”, “for readers who…”)"),
    "format": gettext_lazy("an expected format (table, bullet points, length)"),
    "constraints": gettext_lazy("constraints (what to avoid, limits)"),
    "examples": gettext_lazy("an example of what you expect"),
}
KINDS = {
    "email": gettext_lazy("e-mail address"), "phone": gettext_lazy("phone number"),
    "iban": gettext_lazy("bank account (IBAN)"), "nir": gettext_lazy("social-security number"),
    "siren": gettext_lazy("company number (SIREN)"), "siret": gettext_lazy("SIRET number"),
    "card": gettext_lazy("payment card number"), "client": gettext_lazy("client name"),
}  # fmt: skip


class PromptForm(forms.Form):
    prompt = forms.CharField(label=gettext_lazy("Your prompt"), max_length=MAX_PROMPT,
                             widget=forms.Textarea(attrs={"rows": 8}))  # fmt: skip


class ClientsForm(forms.ModelForm):
    class Meta:
        model = CoachSettings
        fields = ["clients"]
        widgets = {"clients": forms.Textarea(attrs={"rows": 4})}


STORIES_SHOWN = 6


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    now = timezone.now()
    context: dict[str, object] = {
        "challenges": Challenge.objects.filter(opens_at__lte=now, closes_at__gt=now),
        "communities": Community.objects.annotate(n=Count("members")).order_by(
            "-n", Alphabetical("name")
        )[:6],
        "stories": stories(),
    }
    if me is not None:
        unit = me.org_unit_id
        context |= {
            "mine": Ambassador.objects.filter(person=me).first(),
            "helpers": Ambassador.objects.filter(status=AmbassadorStatus.ACTIVE)
            .filter(Q(teams=unit) | Q(person__org_unit=unit))
            .exclude(person=me).select_related("person").distinct(),
            "to_answer": Mentorship.objects.filter(status=MentorshipStatus.APPROVED)
            .filter(Q(mentor=me, mentor_accepted_at__isnull=True)
                    | Q(mentee=me, mentee_accepted_at__isnull=True)),
            "awards": Award.objects.filter(person=me, revoked_at__isnull=True)
            .select_related("badge"),
            "my_communities": set(me.communities.values_list("pk", flat=True)),
        }  # fmt: skip
    return render(request, "engagement/home.html", context)


@dataclass(frozen=True)
class Story:
    title: str
    story: str
    author: Person | None
    when: datetime.datetime
    url: str


def stories() -> list[Story]:
    """Success stories published with their author's consent: deployed ideas and challenge
    entries, newest first."""
    ideas = Idea.objects.filter(status=IdeaStatus.DEPLOYED, story_consent=True).exclude(story="")
    entries = Submission.objects.filter(story_consent=True).exclude(story="")
    found = [
        Story(i.title, i.story, i.author, i.created_at, reverse("voice:idea", args=[i.pk]))
        for i in ideas.select_related("author").order_by("-pk")[:STORIES_SHOWN]
    ] + [
        Story(s.challenge.title, s.story, s.author, s.submitted_at,
              reverse("engagement:challenge", args=[s.challenge_id]))
        for s in entries.select_related("author", "challenge").order_by("-pk")[:STORIES_SHOWN]
    ]  # fmt: skip
    return sorted(found, key=lambda s: s.when, reverse=True)[:STORIES_SHOWN]


@never_cache
@login_required
def coach(request: HttpRequest) -> HttpResponse:
    settings = CoachSettings.current()
    is_lead = Role.LEAD in roles_of(request.user)
    if request.method == "POST" and "clients" in request.POST and is_lead:
        clients = ClientsForm(request.POST, instance=settings)
        if clients.is_valid():
            clients.save()
            messages.success(request, _("Client names saved."))
        return redirect("engagement:coach")
    form = PromptForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = review(form.cleaned_data["prompt"], settings.client_names())
    return render(request, "engagement/coach.html", {
        "form": form, "review": found, "qualities": QUALITIES, "kinds": KINDS,
        "is_lead": is_lead, "clients": ClientsForm(instance=settings),
    })  # fmt: skip
