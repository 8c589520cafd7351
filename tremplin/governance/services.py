"""Governance's rules: shadow uses found in the inventory survey entered in the register for
review, the charter published and acknowledged (with reminders to those who have not), and
the works council's opinion that must come before a wave deploys a system."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tremplin.alphabetical import Alphabetical
from tremplin.dates import written
from tremplin.governance.models import (
    Acknowledgement,
    AISystem,
    Charter,
    CouncilEvent,
    EventKind,
    Opinion,
    SystemStatus,
)
from tremplin.lengths import fit
from tremplin.notifications import outbox
from tremplin.people.models import Person
from tremplin.rollout.models import Wave
from tremplin.voice.models import Survey

COUNCIL_FROM = 50  # staff from which a works council is consulted before a deployment
SHADOW_MIN = 5  # answers naming a kind of tool before it enters the register (anonymity)
OPENING_HOUR = 8


class GovernanceError(Exception):
    """A rule stops the action; the message says which, for the person."""


def save_system(*, system: AISystem, by: User | None) -> None:
    """Save a system of the register. A new system, or a new status, is written in its dated
    history (a new system's from its creation); leaving *discovered* marks it reviewed."""
    with transaction.atomic():
        before = (
            AISystem.objects.select_for_update().filter(pk=system.pk)
            .values_list("status", flat=True).first()
            if system.pk else None
        )  # fmt: skip
        if before == SystemStatus.DISCOVERED != system.status:
            system.reviewed_at = timezone.now()
        system.save()
        if before != system.status:
            system.status_changes.create(
                status=system.status, by=by,
                changed_at=system.created_at if before is None else timezone.now(),
            )  # fmt: skip


def discover(survey: Survey, by: User | None = None) -> list[AISystem]:
    """The kinds of tools the shadow-AI inventory's answers report, each named by at least
    SHADOW_MIN answers, entered (or counted again) in the register as *discovered*."""
    question = survey.questions.filter(key="which_tools").first()
    if question is None:
        raise GovernanceError(_("This survey is not a shadow-AI inventory."))
    counts: Counter[str] = Counter()
    for answers in survey.responses.values_list("answers", flat=True):
        counts.update(set(answers.get("which_tools") or []))
    labels = {o["key"]: o for o in question.options}
    found = []
    with translation.override(settings.LANGUAGE_CODE):
        for key, n in sorted(counts.items()):
            if n < SHADOW_MIN or key not in labels:
                continue
            label = labels[key].get(translation.get_language() or "fr") or key
            name = _("%(kind)s (reported in the inventory)") % {"kind": label}
            system = AISystem.objects.filter(name=name[:200]).first() or AISystem(
                name=name[:200], status=SystemStatus.DISCOVERED,
                purpose=_("Reported as used without being provided."),
            )  # fmt: skip
            system.reported_by = n
            save_system(system=system, by=by)
            found.append(system)
    return found


def current_charter() -> Charter | None:
    return (
        Charter.objects.filter(published_on__lte=timezone.localdate())
        .order_by("-published_on", "-version")
        .first()
    )


def _details(charter: Charter) -> Callable[[], outbox.Details]:
    def details() -> outbox.Details:
        return outbox.Details(
            subject={"version": str(charter.version)},
            link=reverse("governance:charter"), button=_("Read the charter"),
            context={"charter": charter},
        )  # fmt: skip

    return details


def publish(charter: Charter, on: datetime.date) -> int:
    """Publish a version from `on` (today or later) and ask everyone to acknowledge it that
    day. Returns how many e-mails were written."""
    if charter.published_on is not None:
        raise GovernanceError(_("This version is published already."))
    if on < timezone.localdate():
        raise GovernanceError(_("A charter is published today or later, not in the past."))
    charter.published_on = on
    charter.save(update_fields=["published_on"])
    due = max(timezone.make_aware(datetime.datetime.combine(on, datetime.time(OPENING_HOUR))),
              timezone.now())  # fmt: skip
    people = Person.objects.filter(active=True)
    return len(outbox.notify(people, "charter_to_acknowledge", _details(charter), due_at=due,
                             about=f"charter:{charter.pk}"))  # fmt: skip


def waiting(charter: Charter) -> QuerySet[Person]:
    """Active people who have not acknowledged this version."""
    return Person.objects.filter(active=True).exclude(charter_acknowledgements__charter=charter)


def remind(charter: Charter) -> int:
    if not charter.is_published():
        raise GovernanceError(_("Reminders go out once the charter is published."))
    return len(outbox.notify(waiting(charter), "charter_reminder", _details(charter),
                             about=f"charter:{charter.pk}"))  # fmt: skip


def acknowledge(charter: Charter, person: Person) -> Acknowledgement:
    if not charter.is_published():
        raise GovernanceError(_("This version of the charter is not published."))
    try:
        with transaction.atomic():
            return Acknowledgement.objects.create(charter=charter, person=person)
    except IntegrityError:
        return Acknowledgement.objects.get(charter=charter, person=person)


def stale(charter_pk: str, person_pk: int) -> str:
    """Why a charter e-mail no longer applies: acknowledged meanwhile."""
    done = Acknowledgement.objects.filter(charter_id=charter_pk, person_id=person_pk).exists()
    return "charter acknowledged" if done else ""


def council_required() -> bool:
    return Person.objects.filter(active=True).count() >= COUNCIL_FROM


@dataclass(frozen=True)
class SystemGate:
    """A system a wave deploys and the council's gate on it: the consultation that settles it
    (else the latest one still waiting; None when the council was not consulted on it)."""

    system: AISystem
    consultation: CouncilEvent | None
    passed: bool


def council_gate(wave: Wave, today: datetime.date | None = None) -> list[SystemGate] | None:
    """The works council's gate on each system this wave deploys, on `today`; None in a
    company under COUNCIL_FROM staff, where waves do not wait for the council."""
    if not council_required():
        return None
    day = today or timezone.localdate()
    consultations = Prefetch(
        "council_events", CouncilEvent.objects.filter(kind=EventKind.CONSULTATION),
        to_attr="consultations",
    )  # fmt: skip
    gates = []
    for system in wave.systems.prefetch_related(consultations).order_by(Alphabetical("name")):
        events: list[CouncilEvent] = system.consultations
        settling = [e for e in events if e.settles(day)]
        shown = settling[0] if settling else next(iter(events), None)
        gates.append(SystemGate(system, shown, passed=bool(settling)))
    return gates


def pending_opinions(wave: Wave, today: datetime.date | None = None) -> list[AISystem]:
    """The systems this wave deploys on which the works council has neither given its opinion
    nor let its deadline pass (nothing, in a company under COUNCIL_FROM staff)."""
    return [gate.system for gate in council_gate(wave, today) or [] if not gate.passed]


def record_override(wave: Wave, systems: list[AISystem], reason: str, by: User | None) -> None:
    """A wave opened before the council's opinion: logged where the council reads it."""
    names = ", ".join(s.name for s in systems)
    event = CouncilEvent.objects.create(
        kind=EventKind.OVERRIDE, wave=wave, by=by,
        subject=fit(CouncilEvent, "subject", _("%(wave)s opened before the opinion on "
                                              "%(systems)s") % {"wave": wave.name,
                                                                "systems": names}),
        notes=reason,
    )  # fmt: skip
    event.systems.set(systems)


def opinion_text(event: CouncilEvent) -> str:
    if event.opinion and event.opinion_on is not None:
        return f"{event.get_opinion_display()} ({written(event.opinion_on)})"
    return str(Opinion.NONE.label)
