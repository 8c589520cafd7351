"""The Article 4 dossier for a day: the systems the company deploys that day (their dated
status history), the people each concerns (its job families and units, or everyone), the
literacy measures in place for them that day, rebuilt from the dated history
(`compute.literacy`), by system and by job family, and, for the lead only, by person."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.alphabetical import Alphabetical, by_name
from tremplin.assessments.quiz_models import QuizSession
from tremplin.compute import literacy
from tremplin.governance.models import Acknowledgement, AISystem, Charter
from tremplin.insights.snapshot import quarter_ends
from tremplin.learning.models import Attendance, Enrolment, ItemStatus, PlanItem
from tremplin.people.models import JobFamily, OrgUnit, Person
from tremplin.spreadsheets import Cell, Sheet, xlsx_workbook

if TYPE_CHECKING:
    from tremplin.governance.register_figures import Line, Tables


class DossierError(Exception):
    """The dossier cannot be built for this day; the message says why."""


@dataclass(frozen=True)
class Row:
    name: str
    coverage: literacy.Coverage
    # The rows (people) the line counts and, for a system, the modules it requires.
    concerned: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64),
                                  compare=False)  # fmt: skip
    required: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64),
                                 compare=False)  # fmt: skip

    def share(self, measure: str) -> float | None:
        people = self.coverage.people
        return None if not people else self.coverage.counts[measure] / people

    @property
    def any_share(self) -> float | None:
        return None if not self.coverage.people else self.coverage.with_any / self.coverage.people

    @property
    def required_share(self) -> float | None:
        """None when the system requires no module (or concerns nobody)."""
        required = self.coverage.required
        return (
            None
            if not self.coverage.people or required is None
            else required / self.coverage.people
        )


@dataclass(frozen=True)
class Dossier:
    day: datetime.date
    charter: Charter | None
    systems: list[Row]
    families: list[Row]
    people: list[Person]
    state: literacy.State
    external: int


def _events(rows: Sequence[tuple[int, datetime.date | None]],
            index: dict[int, int]) -> literacy.Events:  # fmt: skip
    """Days come as dates (moments are cut to the local day by the database: `TruncDate`)."""
    kept = [(index[p], d.toordinal()) for p, d in rows if p in index and d is not None]
    person = np.array([p for p, _d in kept], dtype=np.int64)
    return literacy.Events(person, np.array([d for _p, d in kept], dtype=np.int64))


def first_measure() -> datetime.date | None:
    """The day of the first literacy measure recorded (a session attended, a module completed,
    a charter acknowledged, a quiz finished): before it every register figure is zero."""
    days = [
        Enrolment.objects.filter(attendance=Attendance.PRESENT)
        .order_by("session__starts_at").values_list("session__starts_at", flat=True).first(),
        PlanItem.objects.filter(status=ItemStatus.DONE, completed_on__isnull=False)
        .order_by("completed_on").values_list("completed_on", flat=True).first(),
        Acknowledgement.objects.order_by("at").values_list("at", flat=True).first(),
        QuizSession.objects.filter(status=QuizSession.Status.FINISHED, finished_at__isnull=False)
        .order_by("finished_at").values_list("finished_at", flat=True).first(),
    ]  # fmt: skip
    found = [timezone.localdate(d) if isinstance(d, datetime.datetime) else d
             for d in days if d is not None]  # fmt: skip
    return min(found) if found else None


def quarter_ends_before(day: datetime.date) -> list[datetime.date]:
    """The quarter ends before `day` from the one holding the first literacy measure (earlier
    ones show only zeros): the same list whenever it is asked, so that a quarter's figures for
    the council, audited against these, stay as they were first read."""
    first = first_measure()
    if first is None or first > day:
        return []
    return [end for end in quarter_ends(first, day, most=400) if end < day]


def build(day: datetime.date) -> Dossier:
    """The dossier as things stood at the end of `day` (today or before)."""
    if day > timezone.localdate():
        raise DossierError(_("A dossier states what was in place: choose today or a past day."))
    end = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    people = list(
        Person.objects.filter(Q(hire_date__isnull=True) | Q(hire_date__lte=day))
        .select_related("job_family", "org_unit")
        .order_by(*by_name())
    )
    index = {p.pk: i for i, p in enumerate(people)}
    systems = list(
        AISystem.objects.allowed_at(end)
        .prefetch_related("families", "units", "modules")
        .order_by(Alphabetical("name"))
    )
    done = list(
        PlanItem.objects.filter(status=ItemStatus.DONE, completed_on__lte=day).values_list(
            "plan__person_id", "module_id", "completed_on"
        )
    )
    # Every module completed is a measure in place; those a system requires are also read
    # column by column for its "required modules completed".
    module_ids = sorted(
        {m.pk for s in systems for m in s.modules.all()} | {m for _p, m, _d in done}
    )
    module_index = {pk: j for j, pk in enumerate(module_ids)}
    sessions = _events(list(
        Enrolment.objects.filter(attendance=Attendance.PRESENT, session__starts_at__lte=end)
        .values_list("person_id", TruncDate("session__starts_at"))), index)  # fmt: skip
    modules = _events([(p, d) for p, _m, d in done], index)
    kept = [module_index[m] for p, m, d in done if p in index and d is not None]
    modules = literacy.Events(modules.person, modules.day, np.array(kept, dtype=np.int64))
    charter = (Charter.objects.filter(published_on__lte=day)
               .order_by("-published_on", "-version").first())  # fmt: skip
    acknowledged = _events(list(
        Acknowledgement.objects.filter(charter=charter, at__lte=end)
        .values_list("person_id", TruncDate("at"))), index) if charter else literacy.Events(
        np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))  # fmt: skip
    quiz = _events(list(
        QuizSession.objects.filter(status=QuizSession.Status.FINISHED, finished_at__lte=end)
        .values_list("person_id", TruncDate("finished_at"))), index)  # fmt: skip
    found = literacy.state(len(people), len(module_ids), day.toordinal(), sessions=sessions,
                           modules=modules, charter=acknowledged, quiz=quiz)  # fmt: skip
    paths = list(OrgUnit.objects.values_list("pk", "path"))
    unit = np.array([p.org_unit_id or 0 for p in people], dtype=np.int64)
    family = np.array([p.job_family_id or 0 for p in people], dtype=np.int64)
    rows = []
    for system in systems:
        families = [f.pk for f in system.families.all()]
        prefixes = tuple(u.path for u in system.units.all())
        if families or prefixes:
            below = [pk for pk, path in paths if prefixes and path.startswith(prefixes)]
            concerned = np.flatnonzero(np.isin(family, families) | np.isin(unit, below))
        else:
            concerned = np.arange(len(people))
        required = np.array([module_index[m.pk] for m in system.modules.all()], dtype=np.int64)
        rows.append(Row(system.name, literacy.coverage(found, concerned, required), concerned,
                        required))  # fmt: skip
    none = np.zeros(0, dtype=np.int64)
    by_family = []
    for f in JobFamily.objects.order_by("code"):
        members = np.flatnonzero(family == f.pk)
        by_family.append(Row(f.name, literacy.coverage(found, members, none), members))
    external = sum(1 for p in people if p.external)
    return Dossier(day, charter, rows, by_family, people, found, external)


def sheets(dossier: Dossier, tables: Tables, *, people: bool) -> list[Sheet]:
    """The dossier as workbook sheets, with the figures of `tables` (exact, or protected for
    the sponsor and the council); the sheet by person only for the lead."""
    header = [_("People concerned"), _("With a measure (%)"), _("Sessions attended (%)"),
              _("Modules completed (%)"), _("Charter acknowledged (%)"),
              _("Quiz taken (%)")]  # fmt: skip

    def line(row: Line) -> list[Cell]:
        values = ("—" if f.value is None else f.value for f in row.in_order)
        return [row.name, row.people, *values]

    out = [
        Sheet(_("By system"), [_("System"), *header, _("Required modules completed (%)")],
              [line(r) for r in tables.systems]),
        Sheet(_("By job family"), [_("Job family"), *header],
              [line(r) for r in tables.families]),
    ]  # fmt: skip
    if people:
        state = dossier.state

        def when(measure: str, i: int) -> datetime.date | str:
            day = int(state.latest[measure][i])
            return datetime.date.fromordinal(day) if day != literacy.NONE else ""

        out.append(Sheet(
            _("By person"),
            [_("Employee id"), _("Name"), _("External"), _("Job family"), _("Org unit"),
             _("Sessions attended"), _("Last session"), _("Modules completed"),
             _("Last module"), _("Charter acknowledged on"), _("Quiz taken on")],
            ([p.employee_id, p.full_name, _("yes") if p.external else "",
              p.job_family.name if p.job_family else "", p.org_unit.name if p.org_unit else "",
              int(state.sessions[i]), when("sessions", i), int(state.modules[i]),
              when("modules", i), when("charter", i), when("quiz", i)]
             for i, p in enumerate(dossier.people)),
        ))  # fmt: skip
    return out


def workbook(dossier: Dossier, tables: Tables, *, people: bool) -> bytes:
    """The dossier's workbook: `sheets` in one XLSX."""
    return xlsx_workbook(sheets(dossier, tables, people=people))
