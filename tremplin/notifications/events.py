"""The e-mails of the programme's events, each written in its recipient's language through the
outbox: a campaign's invitations (at its opening) and reminders to those who have not answered,
a plan to sign, a career interview record to agree to, a wave opening. Each names what it is
about, so that one no longer needed when it is due is not sent (`stale`)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from tremplin.assessments.models import Campaign, CareerInterview, Source
from tremplin.dates import written
from tremplin.learning.models import Plan, PlanStatus
from tremplin.notifications import outbox
from tremplin.notifications.models import Message
from tremplin.people.models import Person
from tremplin.rollout.models import Wave

OPENING_HOUR = 8  # campaign invitations go out at 8 on the opening day


Writer = Callable[[], outbox.Details]


def _campaign_details(campaign: Campaign, waiting: int = 0) -> Writer:
    def details() -> outbox.Details:
        closes = written(campaign.closes_on)
        return outbox.Details(
            subject={"campaign": campaign.name, "date": closes},
            link=reverse("assessments:overview"), button=gettext("Open my assessment"),
            context={"campaign": campaign, "closes": closes, "waiting": waiting},
        )  # fmt: skip

    return details


def campaign_invitations(campaign: Campaign) -> int:
    """Everyone of the campaign asked to assess themselves or take the quiz, and the managers
    asked to rate their people, told when it opens. Returns how many e-mails were written."""
    opens = datetime.datetime.combine(campaign.opens_on, datetime.time(OPENING_HOUR))
    due = max(timezone.make_aware(opens), timezone.now())
    about = f"campaign:{campaign.pk}"
    people = campaign.population()
    written = 0
    if campaign.self_assessment or campaign.quiz:
        written += len(outbox.notify(people, "campaign_invitation", _campaign_details(campaign),
                                     due_at=due, about=about))  # fmt: skip
    if campaign.manager_assessment:
        written += _to_managers(people, "campaign_rate", campaign, due)
    return written


def campaign_reminders(campaign: Campaign, source: str, waiting: QuerySet[Person]) -> int:
    """Those who have not done this part reminded now: the people themselves, or for ratings
    their managers, each once with how many of their people wait."""
    if source == Source.MANAGER:
        return _to_managers(waiting, "campaign_rate_reminder", campaign, timezone.now())
    return len(outbox.notify(waiting, "campaign_reminder", _campaign_details(campaign),
                             about=f"campaign:{campaign.pk}"))  # fmt: skip


def _to_managers(people: Iterable[Person], kind: str, campaign: Campaign,
                 due: datetime.datetime) -> int:  # fmt: skip
    counts = Counter(p.manager_id for p in people if p.manager_id is not None)
    managers = Person.objects.filter(pk__in=list(counts), active=True)
    written = 0
    for manager in managers:  # each their own count
        said = _campaign_details(campaign, counts[manager.pk])
        written += len(outbox.notify([manager], kind, said, due_at=due,
                                     about=f"campaign:{campaign.pk}"))  # fmt: skip
    return written


def plan_to_sign(plan: Plan, signers: Iterable[Person]) -> int:
    """The plan, discussed, waits for these signatures."""

    def details() -> outbox.Details:
        return outbox.Details(
            subject={"name": plan.person.full_name},
            link=reverse("learning:plan", args=[plan.pk]), button=gettext("Open the plan"),
            context={"plan": plan},
        )  # fmt: skip

    return len(outbox.notify(signers, "plan_to_sign", details, about=f"plan:{plan.pk}"))


def interview_to_agree(interview: CareerInterview, waiting: Person) -> int:
    """One party agreed to the record: the other is asked to."""

    def details() -> outbox.Details:
        return outbox.Details(
            subject={"name": interview.person.full_name},
            link=reverse("assessments:interview", args=[interview.pk]),
            button=gettext("Open the record"), context={"interview": interview},
        )  # fmt: skip

    return len(outbox.notify([waiting], "interview_to_agree", details,
                             about=f"interview:{interview.pk}"))  # fmt: skip


def wave_opened(wave: Wave, people: Iterable[Person]) -> int:
    def details() -> outbox.Details:
        return outbox.Details(
            subject={"wave": wave.name}, link=reverse("learning:mine"),
            button=gettext("Open my development"), context={"wave": wave},
        )  # fmt: skip

    return len(outbox.notify(people, "wave_opened", details))


def stale(message: Message) -> str:
    """Why a message about a campaign, a plan, an interview, a survey or a planned
    communication no longer applies (empty when it does)."""
    kind, _sep, pk = message.about.partition(":")
    if kind == "communication":
        from tremplin.rollout.communications import stale as communication_stale

        return communication_stale(message)
    if kind == "charter":
        from tremplin.governance.services import stale as charter_stale

        return charter_stale(pk, message.person_id or 0)
    if kind == "survey":
        from tremplin.voice.services import stale as survey_stale

        return survey_stale(pk, message.person_id or 0)
    if kind == "campaign":
        campaign = Campaign.objects.filter(pk=pk).first()
        if campaign is None:
            return "campaign withdrawn"
        return "campaign closed" if campaign.closes_on < timezone.localdate() else ""
    if kind == "plan":
        plan = Plan.objects.filter(pk=pk).first()
        return "" if plan is not None and plan.status == PlanStatus.DISCUSSED else "plan signed"
    if kind == "interview":
        interview = CareerInterview.objects.filter(pk=pk).first()
        return "" if interview is not None and not interview.agreed else "record agreed"
    return ""
