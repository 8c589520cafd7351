"""The self-diagnostic's rules: the three parties named before anything is answered and present
when it is completed, a completed diagnostic held today or before, each answer that signals a
risk proposing a risk line, lines accepted into the register with an owner and a due date, and
versions of the occupational risk assessment cut from the register and kept for good."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.compute import risks as scoring
from tremplin.governance.models import AISystem
from tremplin.people.models import OrgUnit, Person, person_of
from tremplin.risks.models import (
    IN_REGISTER,
    Diagnostic,
    DiagnosticStatus,
    DuerpVersion,
    LineStatus,
    Participant,
    Party,
    RiskError,
    RiskLine,
    VersionsAreKept,
)
from tremplin.risks.questionnaire import questionnaire

__all__ = ["RiskError", "VersionsAreKept"]


def party_names(parties: list[str]) -> str:
    labels = dict(Party.choices)
    return ", ".join(str(labels[p]) for p in parties)


def start(
    *, system: AISystem, unit: OrgUnit, held_on: datetime.date, by: User | None
) -> Diagnostic:
    return Diagnostic.objects.create(
        system=system, unit=unit, held_on=held_on, created_by=by,
        questionnaire_version=questionnaire().version,
    )  # fmt: skip


def _draft(diagnostic: Diagnostic) -> None:
    if not diagnostic.is_draft:
        raise RiskError(_("This self-diagnostic is completed: its answers and participants are "
                          "kept as they were."))  # fmt: skip


def active_person(employee_id: str) -> Person | None:
    employee_id = employee_id.strip()
    if not employee_id:
        return None
    return Person.objects.filter(employee_id=employee_id, active=True).first()


def add_participant(*, diagnostic: Diagnostic, person: Person, party: str) -> Participant:
    _draft(diagnostic)
    if party not in Party.values:
        raise RiskError(_("Choose the party: management, staff or staff representatives."))
    if not person.active:
        raise RiskError(_("%(name)s is no longer active.") % {"name": person.full_name})
    try:
        with transaction.atomic():
            return Participant.objects.create(diagnostic=diagnostic, person=person, party=party)
    except IntegrityError:
        raise RiskError(_("%(name)s takes part already.") % {"name": person.full_name}) from None


def remove_participant(*, diagnostic: Diagnostic, participant: Participant) -> None:
    _draft(diagnostic)
    participant.delete()


def _all_parties(diagnostic: Diagnostic) -> None:
    missing = diagnostic.missing_parties()
    if missing:
        raise RiskError(_("The management, the staff and their representatives answer together: "
                          "name at least one participant for %(parties)s first.")
                        % {"parties": party_names(missing)})  # fmt: skip


def record(
    *, diagnostic: Diagnostic, answers: Mapping[str, object],
    held_on: datetime.date | None = None, notes: str | None = None,
) -> None:  # fmt: skip
    """Save answers (some or all) of a draft, once the three parties are named. A value off the
    scale or an unknown statement refuses the whole form."""
    _draft(diagnostic)
    _all_parties(diagnostic)
    asked = questionnaire()
    for key, value in answers.items():
        found = asked.statement(key)
        if found is None:
            raise RiskError(_("“%(key)s” is not a statement of the questionnaire.") % {"key": key})
        if not scoring.valid_answer(value):
            raise RiskError(_("“%(statement)s”: answer from 1 (not at all) to 4 (strongly).")
                            % {"statement": found.text})  # fmt: skip
    diagnostic.answers = {**diagnostic.answers, **answers}
    if held_on is not None:
        diagnostic.held_on = held_on
    if notes is not None:
        diagnostic.notes = notes[:4000]
    diagnostic.save(update_fields=["answers", "held_on", "notes"])


def complete(*, diagnostic: Diagnostic, today: datetime.date | None = None) -> list[RiskLine]:
    """Close the diagnostic as answered together and propose a risk line for each answer that
    signals a risk (in the installation's language, which the DUERP is written in)."""
    _draft(diagnostic)
    _all_parties(diagnostic)
    day = today or timezone.localdate()
    if diagnostic.held_on > day:
        held = formats.date_format(diagnostic.held_on, "SHORT_DATE_FORMAT")
        raise RiskError(_("A self-diagnostic is completed once held: its date (%(date)s) is in "
                          "the future.") % {"date": held})  # fmt: skip
    asked = questionnaire()
    left = scoring.unanswered(asked.scoring(), diagnostic.answers)
    if left:
        raise RiskError(ngettext("%(n)s statement is not answered yet.",
                                 "%(n)s statements are not answered yet.", len(left))
                        % {"n": len(left)})  # fmt: skip
    with transaction.atomic():
        diagnostic.status = DiagnosticStatus.COMPLETED
        diagnostic.completed_at = timezone.now()
        diagnostic.save(update_fields=["status", "completed_at"])
        with translation.override(settings.LANGUAGE_CODE):
            lines = []
            for proposal in scoring.proposals(asked.scoring(), diagnostic.answers):
                statement = asked.statement(proposal.statement)
                assert statement is not None
                lines.append(RiskLine(
                    diagnostic=diagnostic, statement=proposal.statement,
                    dimension=proposal.dimension, unit=diagnostic.unit,
                    hazard=str(statement.hazard), actions=str(statement.action),
                    severity=proposal.severity, likelihood=proposal.likelihood,
                ))  # fmt: skip
        return RiskLine.objects.bulk_create(lines)


def delete_draft(*, diagnostic: Diagnostic) -> None:
    """A draft may go; a completed diagnostic is the record behind its risk lines."""
    _draft(diagnostic)
    diagnostic.delete()


def accept(*, line: RiskLine, owner: Person, due_on: datetime.date) -> None:
    """A proposed (or dismissed) line enters the register, owned and dated."""
    if not owner.active:
        raise RiskError(_("The owner %(name)s is no longer active.") % {"name": owner.full_name})
    line.owner, line.due_on = owner, due_on
    if line.status not in IN_REGISTER:
        line.status = LineStatus.OPEN
    line.save()


def dismiss(*, line: RiskLine) -> None:
    if line.status == LineStatus.DONE:
        raise RiskError(_("This line's action is done: it stays in the register."))
    line.status = LineStatus.DISMISSED
    line.save(update_fields=["status", "updated_at"])


def register_rows() -> list[dict[str, Any]]:
    """The register as a version freezes it: every line accepted (open, or its action done),
    most critical first, with the names and dates as they stand now."""
    lines = (
        RiskLine.objects.filter(status__in=IN_REGISTER)
        .select_related("unit", "owner", "diagnostic__system")
        .by_criticity()
    )
    return [
        {"line": line.pk, "unit": line.unit.name, "unit_code": line.unit.code,
         "system": line.diagnostic.system.name, "dimension": line.dimension,
         "hazard": line.hazard, "severity": line.severity, "likelihood": line.likelihood,
         "criticity": line.criticity, "existing_measures": line.existing_measures,
         "actions": line.actions,
         "owner": line.owner.full_name if line.owner else "",
         "owner_employee_id": line.owner.employee_id if line.owner else "",
         "due_on": line.due_on.isoformat() if line.due_on else "",
         "status": line.status, "diagnostic_on": line.diagnostic.held_on.isoformat()}
        for line in lines
    ]  # fmt: skip


def cut_version(*, by: User | None, note: str = "") -> DuerpVersion:
    """Freeze the register as the next version. Refused when the register is empty or has not
    changed since the last version."""
    rows = register_rows()
    if not rows:
        raise RiskError(_("The register holds no open line: there is nothing to freeze."))
    last = DuerpVersion.objects.order_by("-number").first()
    if last is not None and last.rows == rows:
        raise RiskError(_("Nothing changed since version %(n)s.") % {"n": last.number})
    person = person_of(by) if by is not None else None
    name = person.full_name if person is not None else (by.get_username() if by else "")
    number = (DuerpVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            return DuerpVersion.objects.create(
                number=number, rows=rows, note=note[:500], created_by_name=name[:300],
                created_by=by,
            )  # fmt: skip
    except IntegrityError:
        raise RiskError(_("Another version was cut at the same moment: look at the register "
                          "and try again.")) from None  # fmt: skip
