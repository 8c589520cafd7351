"""Readiness gates of a wave, each measured live on the wave's people, and opening a wave:
when its chosen gates are met, or by the lead's override with a written reason kept in its
history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.assessments.models import CurrentLevel
from tremplin.engagement.ambassadors import uncovered_teams
from tremplin.governance import services as governance
from tremplin.governance.models import Acknowledgement
from tremplin.learning.models import (
    Enrolment,
    EnrolmentStatus,
    ModuleFormat,
    PlanItem,
    TrainingSession,
)
from tremplin.notifications import events
from tremplin.people.models import OrgUnit, Person
from tremplin.rollout.models import Wave, WaveEvent
from tremplin.rollout.queries import wave_of_people
from tremplin.skills.models import Competence, Tier
from tremplin.skills.queries import active_framework

# Gate code → (label, default threshold in %).
GATES = {
    "assessed": (gettext_lazy("Share of the wave assessed"), 80),
    "literacy": (gettext_lazy("Share at level 1 or more on every tier-1 competence"), 60),
    "sessions": (gettext_lazy("Seats in sessions to come for everyone whose plan needs one"), 100),
    "ambassadors": (gettext_lazy("Share of the wave's teams an ambassador covers"), 100),
    "charter": (gettext_lazy("Share of the wave who acknowledged the current usage charter"), 80),
}
LED = (ModuleFormat.WORKSHOP, ModuleFormat.WEBINAR, ModuleFormat.COACHING)  # need a session


class GateError(Exception):
    """Opening refused, with the message to show."""


@dataclass
class Measure:
    code: str
    label: str
    threshold: int
    value: float | None  # the share in % (None: nobody to measure)
    count: int
    of: int

    @property
    def met(self) -> bool:
        return self.value is not None and self.value >= self.threshold


def measure(wave: Wave) -> list[Measure]:
    """Every gate the lead chose for this wave, measured now, in the gates' own order (a
    PostgreSQL JSON object keeps its keys shortest first, not in the order they were set)."""
    members = [pk for pk, w in wave_of_people().items() if w == wave.pk]
    found = []
    for code in GATES:
        if code not in wave.gates:
            continue
        threshold = wave.gates[code]
        count, of = _MEASURES[code](members)
        value = 100 * count / of if of else None
        found.append(Measure(code, str(GATES[code][0]), int(threshold), value, count, of))
    return found


def _assessed(members: list[int]) -> tuple[int, int]:
    done = CurrentLevel.objects.filter(person_id__in=members).values("person_id").distinct()
    return done.count(), len(members)


def _literacy(members: list[int]) -> tuple[int, int]:
    framework = active_framework()
    if framework is None:
        return 0, 0
    tier1 = list(Competence.objects.filter(framework=framework, tier=Tier.LITERACY))
    needed = len(tier1)
    if not needed:
        return 0, 0
    per_person = (
        CurrentLevel.objects.filter(person_id__in=members, competence__in=tier1, level__gte=1)
        .values("person_id").annotate(n=Count("competence_id")).filter(n=needed)
    )  # fmt: skip
    return per_person.count(), len(members)


def _sessions(members: list[int]) -> tuple[int, int]:
    """People whose agreed plan holds a module given in sessions, and of them those for whom
    every such module has a seat: theirs, or one still free in a session to come."""
    needs = (
        PlanItem.objects.to_follow()
        .filter(plan__person_id__in=members, module__format__in=LED)
        .values_list("plan__person_id", "module_id")
    )
    by_module: dict[int, list[int]] = {}
    for person, module in needs:
        by_module.setdefault(module, []).append(person)
    seats = Enrolment.objects.filter(
        status=EnrolmentStatus.ENROLLED, session__module_id__in=list(by_module),
        session__cancelled_at=None, session__starts_at__gt=timezone.now(),
    ).values_list("session_id", "session__module_id", "person_id")  # fmt: skip
    seated = {(person, module) for _session, module, person in seats}
    taken = Counter(session for session, _module, _person in seats)
    free: Counter[int] = Counter()
    for session in TrainingSession.objects.filter(
        cancelled_at=None, starts_at__gt=timezone.now(), module_id__in=list(by_module)
    ).only("module_id", "capacity"):
        free[session.module_id] += session.capacity - taken[session.pk]
    lacking: set[int] = set()
    for module, people in by_module.items():
        waiting = [p for p in people if (p, module) not in seated]
        lacking |= set(waiting[free[module] :])  # the free seats go to the first ones
    needing = {person for person, _module in needs}
    return len(needing - lacking), len(needing)


def _ambassadors(members: list[int]) -> tuple[int, int]:
    """The wave's teams (the units its people belong to) and of them those an ambassador
    serving covers, as the ambassadors' page counts them."""
    teams = set(OrgUnit.objects.filter(members__pk__in=members).values_list("pk", flat=True))
    uncovered = {unit.pk for unit in uncovered_teams()} & teams
    return len(teams) - len(uncovered), len(teams)


def _charter(members: list[int]) -> tuple[int, int]:
    """The wave's people who acknowledged the charter published now (none while no version
    is published)."""
    current = governance.current_charter()
    if current is None:
        return 0, len(members)
    done = Acknowledgement.objects.filter(charter=current, person_id__in=members).count()
    return done, len(members)


_MEASURES = {"assessed": _assessed, "literacy": _literacy, "sessions": _sessions,
             "ambassadors": _ambassadors, "charter": _charter}  # fmt: skip


def set_gates(wave: Wave, chosen: dict[str, int], by: AbstractBaseUser | AnonymousUser) -> None:
    wave.gates = {code: max(0, min(100, int(t))) for code, t in chosen.items() if code in GATES}
    wave.save(update_fields=["gates"])
    WaveEvent.objects.create(wave=wave, by=_user(by), kind="gates", details=wave.gates)


def open_wave(wave: Wave, by: AbstractBaseUser | AnonymousUser, reason: str = "") -> Wave:
    """Open the wave when its gates are met; otherwise only with a reason, kept with the
    gates as measured."""
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave.pk)
        if wave.opened_at is not None:
            raise GateError(_("This wave is open already."))
        measures = measure(wave)
        failing = [m for m in measures if not m.met]
        pending = governance.pending_opinions(wave)
        if pending and not reason.strip():
            raise GateError(
                _("The works council's opinion on %(systems)s is not recorded and its deadline "
                  "has not passed. Give the reason to open it anyway.")
                % {"systems": ", ".join(s.name for s in pending)}
            )  # fmt: skip
        if failing and not reason.strip():
            raise GateError(
                _("Gates not met: %(gates)s. Give the reason to open it anyway.")
                % {"gates": "; ".join(m.label for m in failing)}
            )
        if pending:
            governance.record_override(wave, pending, reason.strip(), _user(by))
        wave.opened_at, wave.opened_by = timezone.now(), _user(by)
        wave.override_reason = reason.strip() if failing or pending else ""
        wave.save(update_fields=["opened_at", "opened_by", "override_reason"])
        gates = [{"code": m.code, "value": m.value, "threshold": m.threshold, "met": m.met}
                 for m in measures]  # fmt: skip
        details: dict[str, object] = {"gates": gates}
        if failing:
            details["reason"] = wave.override_reason
        WaveEvent.objects.create(wave=wave, by=_user(by), details=details,
                                 kind="override" if failing else "opened")  # fmt: skip
        members = [pk for pk, w in wave_of_people().items() if w == wave.pk]
        events.wave_opened(wave, Person.objects.filter(pk__in=members))
    return wave


def _user(by: AbstractBaseUser | AnonymousUser) -> User | None:
    return by if isinstance(by, User) else None
