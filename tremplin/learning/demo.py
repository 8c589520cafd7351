"""Demo plans: the catalogue, a proposed plan for everyone, and plans in every later state."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable

from django.utils import timezone

from tremplin.learning.catalogue import load_default_catalogue
from tremplin.learning.models import (
    Enrolment,
    EnrolmentStatus,
    Module,
    Plan,
    PlanItem,
    PlanStatus,
    TrainingSession,
)
from tremplin.learning.services import (
    co_signatory,
    generate_plans,
    item_complete,
    plan_discussed,
    plan_sign,
)
from tremplin.learning.sessions import Schedule, enrol, record_attendance, schedule
from tremplin.learning.sessions import invited as invited_to
from tremplin.people.models import Appetite, Person


def build_plans(*, seed: int = 7) -> dict[str, int]:
    load_default_catalogue()
    generate_plans(people=Person.objects.filter(active=True), by=None)
    rng = random.Random(seed)
    plans = [
        p
        for p in Plan.objects.select_related("person__manager")
        if co_signatory(p.person) is not None and p.items.exists()
    ]
    rng.shuffle(plans)
    today = timezone.localdate()
    for n, plan in enumerate(plans):
        share = n / max(len(plans), 1)
        if share < 0.35:
            continue  # stays proposed
        plan = plan_discussed(plan=plan, by=None, version=plan.version)
        if share < 0.5:
            continue
        manager = co_signatory(plan.person)  # the manager, or the second signatory
        assert manager is not None
        for signer in (plan.person, manager):
            plan = plan_sign(plan=plan, by=None, signer=signer, version=plan.version)
        if share < 0.65:
            continue
        items = list(plan.items.order_by("position"))
        finished = items if share > 0.9 else items[: max(1, len(items) // 2)]
        for k, item in enumerate(finished):
            on = today - datetime.timedelta(days=7 * (len(finished) - k))
            # Some people record their last module themselves: declared, awaiting confirmation.
            declared = k == len(finished) - 1 and n % 3 == 0
            item_complete(item=item, by=None, recorder=plan.person if declared else manager, on=on)
    counts: dict[str, int] = {}
    for status in Plan.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return {s: counts.get(s, 0) for s in PlanStatus.values}


def build_sessions(*, seed: int = 7) -> int:
    """Sessions of the modules most planned: one held last month (attendance recorded by its
    trainer, which completes the module in the plans of those present), two to come with
    people enrolled and one on the waiting list. Returns the number of sessions."""
    rng = random.Random(seed)
    counts: dict[int, int] = {}
    for module_id in PlanItem.objects.to_follow().values_list("module_id", flat=True):
        counts[module_id] = counts.get(module_id, 0) + 1
    chosen = sorted(counts, key=lambda m: (-counts[m], m))[:3]
    trainer = Person.objects.filter(active=True, manager__isnull=False).order_by("pk").first()
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    made = 0
    for n, module in enumerate(Module.objects.filter(pk__in=chosen).order_by("code")):
        people = list(invited_to(module))
        rng.shuffle(people)
        if n == 0:  # held: written as it stood then, then its attendance recorded
            session = TrainingSession.objects.create(
                module=module, starts_at=now.replace(hour=9) - datetime.timedelta(days=30),
                duration_hours=module.duration_hours, capacity=14, language="fr",
                place="Salle Lumière, Lyon", trainer=trainer,
            )  # fmt: skip
            since = session.starts_at - datetime.timedelta(days=9)
            for person in people[:14]:
                Enrolment.objects.create(
                    session=session, person=person, status=EnrolmentStatus.ENROLLED, since=since
                )
            marks = {p.pk: ("present" if k % 7 else "excused") for k, p in enumerate(people[:14])}
            record_attendance(session, marks, by=None, recorder=trainer)
        else:
            session = schedule(
                Schedule(
                    module=module, duration_hours=module.duration_hours, capacity=6,
                    starts_at=working_day(now.replace(hour=14) + datetime.timedelta(days=7 * n)),
                    language="fr", video_link="https://visio.example.org/tremplin",
                    provider="Organisme partenaire",
                ),
                by=None,
            )  # fmt: skip
            for person in people[:7]:
                enrol(session, person)
        made += 1
    made += _second_sessions(Module.objects.filter(pk__in=chosen[1:]), now, rng)
    return made


# France's public holidays on a fixed date (month, day).
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def working_day(moment: datetime.datetime) -> datetime.datetime:
    """`moment`, or the next weekday that is not a fixed public holiday (the demo scheduled
    sessions on Christmas Day)."""
    while moment.weekday() >= 5 or (moment.month, moment.day) in FIXED_HOLIDAYS:
        moment += datetime.timedelta(days=1)
    return moment


def _second_sessions(modules: Iterable[Module], now: datetime.datetime,
                     rng: random.Random) -> int:  # fmt: skip
    """Two more sessions of each module to come, with nobody enrolled yet, for the lead to fill
    with mixed groups; and most people's declared feeling about AI at work."""
    people = list(Person.objects.filter(active=True).order_by("pk"))
    for person in people:
        roll = rng.random()
        person.ai_appetite = (
            "" if roll < 0.3 else Appetite.ENTHUSIASTIC if roll < 0.55 else
            Appetite.SCEPTICAL if roll < 0.75 else Appetite.NEUTRAL
        )  # fmt: skip
    Person.objects.bulk_update(people, ["ai_appetite"])
    made = 0
    for module in modules:
        for days, place in ((21, "Salle Lumière, Lyon"), (28, "Salle Confluence, Lyon")):
            schedule(Schedule(module=module, duration_hours=module.duration_hours, capacity=10,
                              starts_at=working_day(now.replace(hour=9)
                                                    + datetime.timedelta(days=days)),
                              language="fr", place=place, provider="Organisme partenaire"),
                     by=None)  # fmt: skip
            made += 1
    return made
