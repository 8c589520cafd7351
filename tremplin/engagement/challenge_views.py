"""Challenges' pages: the list (and the lead's form), a challenge with its entry form, the
entries to vote on or to review, and the results per team."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tremplin.engagement import challenges as rules
from tremplin.engagement.badges import award_soon
from tremplin.engagement.challenge_models import Challenge, ChallengeKind, Review, Submission
from tremplin.params import bounded_int
from tremplin.people.models import Person, Role, person_of, roles_of


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = Challenge
        fields = ["kind", "title", "brief", "opens_at", "closes_at", "teams", "jury"]
        widgets = {
            "brief": forms.Textarea(attrs={"rows": 4}),
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "jury": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["jury"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            active=True, ambassadorship__status="active"
        ) | Person.objects.filter(user__role_assignments__role=Role.LEAD)
        self.fields["jury"].help_text = gettext_lazy("Ambassadors and the programme lead.")


class HuntForm(forms.Form):
    output = forms.CharField(label=gettext_lazy("The AI's answer"), max_length=8000,
                             widget=forms.Textarea(attrs={"rows": 5}))  # fmt: skip
    claim = forms.CharField(label=gettext_lazy("The false claim in it"), max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    proof = forms.CharField(label=gettext_lazy("The proof that it is false (source, reasoning)"),
                            max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class PromptEntryForm(forms.Form):
    prompt = forms.CharField(label=gettext_lazy("Your prompt"), max_length=8000,
                             widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip


@never_cache
@login_required
def challenges(request: HttpRequest) -> HttpResponse:
    is_lead = Role.LEAD in roles_of(request.user)
    form = ChallengeForm(request.POST or None)
    if request.method == "POST":
        if not is_lead:
            raise PermissionDenied
        if form.is_valid():
            made = form.save()
            messages.success(request, _("Challenge created."))
            return redirect("engagement:challenge", made.pk)
    now = timezone.now()
    rows = Challenge.objects.all()
    return render(request, "engagement/challenges.html", {
        "open": [c for c in rows if c.opens_at <= now < c.closes_at],
        "coming": [c for c in rows if now < c.opens_at],
        "closed": [c for c in rows if c.closes_at <= now],
        "form": form if is_lead else None,
    })  # fmt: skip


@never_cache
@login_required
def challenge(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Challenge, pk=pk)
    me = person_of(request.user)
    is_lead = Role.LEAD in roles_of(request.user)
    reviewer = rules.reviews(me, found, lead=is_lead)
    entry = HuntForm() if found.kind == ChallengeKind.HUNT else PromptEntryForm()
    entries = found.submissions.select_related("team")
    mine = list(entries.filter(author=me)) if me else []
    voted = set(
        found.submissions.filter(votes__person=me).values_list("pk", flat=True) if me else []
    )
    shown_to_vote = found.kind == ChallengeKind.PROMPTATHON and found.results_published_at is None
    published = found.results_published_at is not None
    return render(request, "engagement/challenge.html", {
        "challenge": found, "entry": entry, "mine": mine, "reviewer": reviewer,
        "is_open": found.is_open(), "team": rules.team_of(found, me) if me else None,
        "to_vote": entries.exclude(author=me) if shown_to_vote and me else [],
        "voted": voted, "to_review": entries if reviewer else [],
        "teams": rules.team_results(found) if (published or reviewer) and found.teams else [],
        "totals": rules.totals(found) if published or reviewer else None,
        "winners": entries.filter(winner=True) if published else [],
        "published": published, "closed": found.closes_at <= timezone.now(),
    })  # fmt: skip


@require_POST
@login_required
def challenge_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Challenge, pk=pk)
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied
    is_lead = Role.LEAD in roles_of(request.user)
    action = request.POST.get("action", "")
    try:
        if action == "join":
            rules.join(found, me, request.POST.get("team", ""))
            messages.success(request, _("You are in the team."))
        elif action == "submit":
            rules.submit(found, me, {k: str(v) for k, v in request.POST.items()})
            messages.success(request, _("Entry submitted."))
        elif action == "vote":
            rules.vote(_entry(found, request), me)
            messages.success(request, _("Vote counted."))
        elif action in ("validated", "rejected", "winner"):
            rules.judge(_entry(found, request), me, action, request.POST.get("note", ""),
                        lead=is_lead)  # fmt: skip
            messages.success(request, _("Review saved."))
        elif action == "publish" and rules.reviews(me, found, lead=is_lead):
            if found.closes_at > timezone.now():
                raise rules.Refused(_("Results are published once the challenge has closed."))
            found.results_published_at = timezone.now()
            found.save(update_fields=["results_published_at"])
            award_soon(found.submissions.values_list("author", flat=True).distinct())
            messages.success(request, _("Results published."))
        elif action == "story":
            _story(request, _entry(found, request), me)
        else:
            raise PermissionDenied
    except rules.Refused as refused:
        messages.error(request, str(refused))
    return redirect("engagement:challenge", found.pk)


def _entry(found: Challenge, request: HttpRequest) -> Submission:
    pk = bounded_int(request.POST.get("submission"), 0)
    return get_object_or_404(Submission, pk=pk, challenge=found)


def _story(request: HttpRequest, entry: Submission, me: Person) -> None:
    """A validated or winning entry's author tells its story and may consent to publish it."""
    if entry.author_id != me.pk or entry.review != Review.VALIDATED:
        raise PermissionDenied
    story = request.POST.get("story", "").strip()[:4000]
    found = rules.leaked(story)
    if found:
        raise rules.Refused(
            _("Remove what is confidential before publishing: %(items)s")
            % {"items": ", ".join(found)}
        )
    entry.story = story
    entry.story_consent = request.POST.get("consent") == "on"
    entry.save(update_fields=["story", "story_consent"])
    messages.success(request, _("Story saved."))
