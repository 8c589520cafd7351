"""Mixed groups for a wave: who of the wave goes to which session of a module (compute.groups
proposes, the lead adjusts and enrols).

The people: those of the wave whose agreed plan holds the module, not yet enrolled nor waiting
in one of its sessions to come. The sessions: the module's sessions to come, not cancelled, with
their free seats; people already enrolled count in each group's mix. A person can attend a
session given in their language, not overlapping a session they are enrolled in or train, nor
on the days they declared away. The
department is the person's org unit, the appetite what they declared (not said counts as
neutral).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tremplin.alphabetical import by_name, person_key
from tremplin.compute.groups import ENTHUSIAST, NEUTRAL, SCEPTIC, Group, Member, Mix, compose, mix
from tremplin.learning.models import (
    Absence,
    Enrolment,
    EnrolmentStatus,
    Module,
    PlanItem,
    TrainingSession,
)
from tremplin.learning.sessions import SessionError, enrol, seats_taken
from tremplin.people.models import Appetite, Person
from tremplin.rollout.models import Wave
from tremplin.rollout.queries import wave_of_people

LEANING = {Appetite.ENTHUSIASTIC: ENTHUSIAST, Appetite.SCEPTICAL: SCEPTIC}


@dataclass
class Table:
    """A session and the people proposed for it (with those already enrolled), and its mix."""

    session: TrainingSession
    free: int
    enrolled: list[Person]
    proposed: list[Person]
    mix: Mix


@dataclass
class Proposal:
    tables: list[Table]
    unplaced: list[Person]
    choices: dict[int, list[TrainingSession]]  # person id -> sessions they can attend

    @property
    def people(self) -> int:
        return sum(len(t.proposed) for t in self.tables) + len(self.unplaced)


def _member(person: Person, groups: tuple[int, ...]) -> Member:
    return Member(
        key=person.pk,
        appetite=LEANING.get(person.ai_appetite, NEUTRAL),  # type: ignore[call-overload]
        department=person.org_unit_id or 0,
        site=person.site_id or 0,
        groups=groups,
    )


def propose(wave: Wave, module: Module, *, seed: int = 0) -> Proposal:
    sessions = list(
        TrainingSession.objects.filter(
            module=module, cancelled_at=None, starts_at__gt=timezone.now()
        ).order_by("starts_at", "pk")
    )
    members = [pk for pk, w in wave_of_people().items() if w == wave.pk]
    busy = Enrolment.objects.filter(
        status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING),
        session__module=module, session__in=sessions,
    ).values_list("person_id", flat=True)  # fmt: skip
    needing = (
        PlanItem.objects.to_follow()
        .filter(module=module, plan__person_id__in=members)
        .exclude(plan__person_id__in=busy)
        .values_list("plan__person_id", flat=True)
    )
    people = list(
        Person.objects.filter(pk__in=needing, active=True)
        .select_related("org_unit")
        .order_by(*by_name())
    )
    enrolled: dict[int, list[Person]] = {s.pk: [] for s in sessions}
    for e in Enrolment.objects.filter(
        session__in=sessions, status=EnrolmentStatus.ENROLLED
    ).select_related("person"):
        enrolled[e.session_id].append(e.person)
    occupied = _occupied([p.pk for p in people], sessions)
    away: dict[int, list[Absence]] = {}
    for absence in Absence.objects.filter(person__in=people):
        away.setdefault(absence.person_id, []).append(absence)
    choices = {
        p.pk: [s for s in sessions if s.language == p.preferred_language
               and not any(_overlap(s, other) for other in occupied.get(p.pk, []))
               and not any(a.covers(s) for a in away.get(p.pk, []))]
        for p in people
    }  # fmt: skip
    for p in people:
        p.options = choices[p.pk]  # type: ignore[attr-defined]  # the page's choice per person
    index = {s.pk: i for i, s in enumerate(sessions)}
    groups = [
        Group(
            key=s.pk,
            seats=max(0, s.capacity - len(enrolled[s.pk])),
            seated=tuple(_member(p, (i,)) for p in enrolled[s.pk]),
        )
        for i, s in enumerate(sessions)
    ]
    composition = compose(
        [_member(p, tuple(index[s.pk] for s in choices[p.pk])) for p in people], groups, seed=seed
    )
    by_pk = {p.pk: p for p in people}
    tables = [
        Table(
            session=s,
            free=g.seats,
            enrolled=enrolled[s.pk],
            proposed=[by_pk[k] for k, where in composition.placed.items() if where == s.pk],
            mix=m,
        )
        for s, g, m in zip(sessions, groups, composition.mixes, strict=True)
    ]
    for table in tables:
        table.proposed.sort(key=person_key)
    return Proposal(tables, [by_pk[k] for k in composition.unplaced], choices)


def _occupied(
    people: list[int], sessions: list[TrainingSession]
) -> dict[int, list[TrainingSession]]:
    """Each person's other sessions to come: enrolled in or training."""
    others = TrainingSession.objects.filter(
        cancelled_at=None, starts_at__gt=timezone.now()
    ).exclude(pk__in=[s.pk for s in sessions])
    found: dict[int, list[TrainingSession]] = {}
    seats = Enrolment.objects.filter(
        session__in=others, person_id__in=people, status=EnrolmentStatus.ENROLLED
    ).select_related("session")
    for seat in seats:  # one query, not one per session
        found.setdefault(seat.person_id, []).append(seat.session)
    for s in others.filter(trainer_id__in=people):
        assert s.trainer_id is not None
        found.setdefault(s.trainer_id, []).append(s)
    return found


def _overlap(a: TrainingSession, b: TrainingSession) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def mix_of(people: list[Person]) -> Mix:
    return mix(_member(p, ()) for p in people)


def enrol_as_chosen(proposal: Proposal, chosen: dict[int, int]) -> int:
    """Enrol each person in the session chosen for them ({person id: session id}; people left
    out are not enrolled). Refused as a whole, nothing enrolled, when a choice is not one the
    person can attend or a session gets more people than its free seats. Returns how many were
    enrolled."""
    tables = {t.session.pk: t for t in proposal.tables}
    counts: dict[int, int] = {}
    for person_id, session_id in chosen.items():
        if session_id not in {s.pk for s in proposal.choices.get(person_id, [])}:
            raise SessionError(_("A person was sent to a session they cannot attend."))
        counts[session_id] = counts.get(session_id, 0) + 1
    with transaction.atomic():
        for session_id, n in counts.items():
            table = tables[session_id]
            free = table.session.capacity - seats_taken(table.session)
            if n > free:
                when = date_format(timezone.localtime(table.session.starts_at),
                                   "SHORT_DATETIME_FORMAT")  # fmt: skip
                raise SessionError(
                    _("The session of %(date)s has %(free)s seats left, not %(n)s.")
                    % {"date": when, "free": free, "n": n}
                )
        people = Person.objects.in_bulk(list(chosen))
        for person_id, session_id in chosen.items():
            enrol(tables[session_id].session, people[person_id])
    return len(chosen)


def rearranged(proposal: Proposal, chosen: dict[int, int]) -> Proposal:
    """The proposal as the lead rearranged it ({person id: session id}, the others left out),
    each group's mix measured again."""
    people = {p.pk: p for t in proposal.tables for p in t.proposed} | {
        p.pk: p for p in proposal.unplaced
    }
    tables = []
    for t in proposal.tables:
        proposed = [people[pk] for pk, s in chosen.items() if s == t.session.pk and pk in people]
        proposed.sort(key=person_key)
        tables.append(Table(t.session, t.free, t.enrolled, proposed,
                            mix_of(t.enrolled + proposed)))  # fmt: skip
    left = sorted((p for pk, p in people.items() if pk not in chosen), key=person_key)
    return Proposal(tables, left, proposal.choices)


def read_choices(proposal: Proposal, data: dict[str, str]) -> dict[int, int]:
    """The session chosen for each person from the form (`p<person id>` = session id, empty to
    leave the person out); anything else is ignored."""
    chosen = {}
    for person_id in proposal.choices:
        value = data.get(f"p{person_id}", "")
        if value.isdigit():
            chosen[person_id] = int(value)
    return chosen
