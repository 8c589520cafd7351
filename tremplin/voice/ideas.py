"""The idea box's workflows: submit, find alike, vote once, comment, move through the statuses,
measure before and after; and the gain and value the measurements give."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from tremplin.compute import ideas as compute
from tremplin.people.models import Person
from tremplin.voice.idea_models import (
    Idea,
    IdeaComment,
    IdeaSettings,
    IdeaStatus,
    Measurement,
    Metric,
    Phase,
    Vote,
)

OPEN = (IdeaStatus.SUBMITTED, IdeaStatus.REVIEW, IdeaStatus.PILOT)  # still to be voted on


class IdeaError(Exception):
    """Refused, with a message the person can act on."""


def alike(text: str, *, exclude: int | None = None) -> list[Idea]:
    """The ideas most alike to `text` (title and problem), best first."""
    ideas = list(Idea.objects.exclude(pk=exclude or 0).only("pk", "title", "problem", "status"))
    found = compute.similar(text, [f"{i.title} {i.title} {i.problem}" for i in ideas])
    return [ideas[i] for i, _score in found]


def vote(idea: Idea, person: Person | None) -> None:
    """One vote per person, not on one's own idea, while the idea is still open."""
    if person is None:
        raise IdeaError(_("Only a person of the company can vote."))
    if idea.author_id == person.pk:
        raise IdeaError(_("You cannot vote for your own idea."))
    if idea.status not in OPEN:
        raise IdeaError(_("Votes are closed on a deployed or declined idea."))
    try:
        with transaction.atomic():
            Vote.objects.create(idea=idea, person=person)
            Idea.objects.filter(pk=idea.pk).update(votes_count=F("votes_count") + 1)
    except IntegrityError:
        raise IdeaError(_("You have already voted for this idea.")) from None


def unvote(idea: Idea, person: Person | None) -> None:
    with transaction.atomic():
        gone, _kinds = Vote.objects.filter(idea=idea, person=person).delete()
        if gone:
            Idea.objects.filter(pk=idea.pk).update(votes_count=F("votes_count") - 1)


def comment(idea: Idea, person: Person | None, text: str) -> IdeaComment:
    text = text.strip()
    if not text:
        raise IdeaError(_("Write a comment first."))
    if len(text) > 4000:
        raise IdeaError(_("A comment holds at most 4,000 characters."))
    return IdeaComment.objects.create(idea=idea, person=person, text=text)


def move(idea: Idea, status: str, *, reason: str = "") -> None:
    """A new status; declining says why (shown to everyone)."""
    if status not in IdeaStatus.values:
        raise IdeaError(_("Choose a status."))
    if status == IdeaStatus.DECLINED and not reason.strip():
        raise IdeaError(_("Say why the idea is declined: its author and voters will read it."))
    idea.status = status
    idea.declined_because = reason.strip() if status == IdeaStatus.DECLINED else ""
    idea.save(update_fields=["status", "declined_because"])


def measure(
    idea: Idea,
    *,
    metric: str,
    phase: str,
    mean: Decimal,
    observations: int,
    sd: Decimal | None,
    on: datetime.date,
    by: Person | None,
) -> Measurement:
    if metric not in Metric.values or phase not in Phase.values:
        raise IdeaError(_("Choose what was measured and when."))
    if observations < 1:
        raise IdeaError(_("A measurement rests on at least one observation."))
    if mean < 0 or (sd is not None and sd < 0):
        raise IdeaError(_("A measurement cannot be negative."))
    if metric == Metric.ERRORS and mean > 100:
        raise IdeaError(_("An error rate is between 0 and 100 %."))
    return Measurement.objects.create(
        idea=idea,
        metric=metric,
        phase=phase,
        mean=mean,
        observations=observations,
        sd=sd,
        measured_on=on,
        by=by,
    )


@dataclass(frozen=True)
class Measured:
    """What an idea's latest measurements give (None where a measurement is missing)."""

    hours_per_month: float | None
    low: float | None
    high: float | None
    error_points: float | None  # change of the error rate, in points
    value_per_year: float | None  # € of the hours saved over twelve months


def _latest(measurements: list[Measurement], metric: str, phase: str) -> compute.Measured | None:
    found = [m for m in measurements if m.metric == metric and m.phase == phase]
    if not found:
        return None
    last = max(found, key=lambda m: (m.measured_on, m.pk))
    sd = None if last.sd is None else float(last.sd)
    return compute.Measured(float(last.mean), last.observations, sd)


def measured(idea: Idea, hourly_cost: Decimal | None = None) -> Measured:
    items = list(idea.measurements.all())
    before, after = (_latest(items, Metric.MINUTES, p) for p in (Phase.BEFORE, Phase.AFTER))
    volume = _latest(items, Metric.VOLUME, Phase.AFTER) or _latest(
        items, Metric.VOLUME, Phase.BEFORE
    )
    errors = [_latest(items, Metric.ERRORS, p) for p in (Phase.BEFORE, Phase.AFTER)]
    error_points = None
    if errors[0] is not None and errors[1] is not None:
        error_points = compute.error_change(errors[0], errors[1])
    if before is None or after is None or volume is None:
        return Measured(None, None, None, error_points, None)
    gain = compute.time_saved(before, after, volume.mean)
    cost = float(hourly_cost if hourly_cost is not None else IdeaSettings.current().hourly_cost)
    return Measured(
        gain.hours_per_month, gain.low, gain.high, error_points, gain.hours_per_month * 12 * cost
    )


def impact() -> dict[str, Any]:
    """The deployed use cases' measured gains, for the business-impact KPIs: hours saved per
    month, mean change of error rate (points), value per year (€), and how many are measured."""
    cost = IdeaSettings.current().hourly_cost
    hours = value = 0.0
    errors: list[float] = []
    counted = 0
    deployed = Idea.objects.filter(status=IdeaStatus.DEPLOYED).prefetch_related("measurements")
    for idea in deployed:
        found = measured(idea, cost)
        if found.hours_per_month is not None and found.value_per_year is not None:
            hours += found.hours_per_month
            value += found.value_per_year
            counted += 1
        if found.error_points is not None:
            errors.append(found.error_points)
    return {
        "hours_per_month": hours if counted else None,
        "value_per_year": value if counted else None,
        "error_points": sum(errors) / len(errors) if errors else None,
        "measured": counted,
    }
