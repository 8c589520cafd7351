"""Everything about one person that the reader may see, gathered for the person page.

The person page opens on their record; this adds their development: levels and where they
come from, assessments submitted, gaps and plan, career interviews, quiz results. Each part
follows the access rule of the page it links to (the record's for levels, gaps and plans; the
interview's and the quiz session's own for those), so the hub never shows more than the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from tremplin.assessments.models import CareerInterview, CurrentLevel, Draft, Source
from tremplin.assessments.queries import DISAGREEMENT
from tremplin.assessments.quiz_models import QuizSession
from tremplin.learning.models import ItemStatus, Plan
from tremplin.people.models import Person

RECENT = 5  # assessments, interviews and quiz results listed; the linked pages hold the rest


@dataclass
class Hub:
    levels: int = 0
    by_source: list[tuple[str, int]] = field(default_factory=list)
    disagreements: int = 0
    assessments: list[Draft] = field(default_factory=list)
    plan: Plan | None = None
    modules_done: int = 0
    modules: int = 0
    interviews: list[CareerInterview] = field(default_factory=list)
    quizzes: list[QuizSession] = field(default_factory=list)


def hub_of(user: AbstractBaseUser | AnonymousUser, person: Person) -> Hub:
    """The person's development as `user` may see it (the caller has checked the record)."""
    levels = CurrentLevel.objects.filter(person=person)
    labels = dict(Source.choices)
    counts = levels.values_list("source").annotate(n=Count("id")).order_by("-n", "source")
    hub = Hub(
        levels=levels.count(),
        by_source=[(str(labels.get(source, source)), n) for source, n in counts],
        disagreements=levels.filter(DISAGREEMENT).count(),
        assessments=list(
            Draft.objects.filter(person=person, submitted_at__isnull=False)
            .select_related("campaign", "assessor")
            .order_by("-submitted_at")[:RECENT]
        ),
        plan=Plan.objects.filter(person=person).current().first()
        or Plan.objects.filter(person=person).first(),
        interviews=list(
            CareerInterview.objects.visible_to(user)
            .filter(person=person)
            .select_related("manager")
            .order_by("-held_on")[:RECENT]
        ),
        quizzes=list(
            QuizSession.objects.visible_to(user)
            .filter(person=person, status=QuizSession.Status.FINISHED)
            .order_by("-finished_at")[:RECENT]
        ),
    )
    if hub.plan is not None:
        items = hub.plan.items.values_list("status").annotate(n=Count("id"))
        done = dict(items)
        hub.modules = sum(done.values())
        hub.modules_done = done.get(ItemStatus.DONE, 0)
    return hub
