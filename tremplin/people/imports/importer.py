"""Preview and import of a people file: all or nothing, or only the valid rows when asked."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.people.accounts import give_logins, set_roles
from tremplin.people.imports.checks import check_duplicates, check_managers
from tremplin.people.imports.columns import FIELDS, match_columns
from tremplin.people.imports.references import (
    AmbiguousUnitError,
    OrgUnitResolver,
    SimpleResolver,
)
from tremplin.people.imports.rows import PersonRow, RowProblem, parse_row
from tremplin.people.models import JobFamily, Person, Site
from tremplin.people.services import (
    mark_departures,
    refresh_reporting_paths,
    refresh_unit_paths,
    update_columns,
)
from tremplin.spreadsheets import SpreadsheetError, read_table

# Columns written from a file, in the order of Person's database columns used below.
PERSON_COLUMNS = [
    "first_name",
    "last_name",
    "email",
    "org_unit_id",
    "job_family_id",
    "site_id",
    "hire_date",
    "active",
    "external",
    "preferred_language",
]
REFERENCE_FIELDS = {"org_unit": "org_unit_id", "job_family": "job_family_id", "site": "site_id"}
MAX_CHANGES_SHOWN = 50


@dataclass
class ImportReport:
    filename: str
    kind: str = ""
    encoding: str = ""
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, field)
    unknown_headers: list[str] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)  # rows kept, a field left empty
    total_rows: int = 0
    rejected_rows: int = 0
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    new_org_units: list[str] = field(default_factory=list)
    new_job_families: list[str] = field(default_factory=list)
    new_sites: list[str] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # a sample, for the preview
    written: bool = False

    @property
    def can_import(self) -> bool:
        return not self.file_problems and self.total_rows > self.rejected_rows

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        data = dict(data)
        data["problems"] = [RowProblem(**p) for p in data.get("problems", [])]
        data["warnings"] = [RowProblem(**p) for p in data.get("warnings", [])]
        data["columns"] = [tuple(c) for c in data.get("columns", [])]
        return cls(**data)

    def problem_lines(self) -> list[str]:
        return list(self.file_problems) + [str(p) for p in self.problems]

    def warning_lines(self) -> list[str]:
        return [str(p) for p in self.warnings]


@dataclass
class _Plan:
    report: ImportReport
    rows: list[PersonRow]  # valid rows
    desired: dict[str, dict[str, object]]  # employee id -> column -> value (refs may be "new:")
    existing: dict[str, tuple[Any, ...]]
    units: OrgUnitResolver
    families: SimpleResolver
    sites: SimpleResolver
    roles: dict[str, list[str]] = field(default_factory=dict)  # employee id -> roles given


def preview_people_file(content: bytes, filename: str, mapping: dict[str, str]) -> ImportReport:
    """What an import would do, without writing anything."""
    return _plan(content, filename, mapping).report


def import_people_file(
    content: bytes, filename: str, mapping: dict[str, str], *, valid_only: bool = False
) -> ImportReport:
    """Write the file's people. With rejected rows, nothing is written unless `valid_only`."""
    with transaction.atomic():
        plan = _plan(content, filename, mapping)
        report = plan.report
        if report.file_problems or (report.problems and not valid_only) or not plan.rows:
            return report
        _write(plan)
        report.written = True
    return report


def _plan(content: bytes, filename: str, mapping: dict[str, str]) -> _Plan:
    report = ImportReport(filename=filename)
    units, families, sites = OrgUnitResolver(), SimpleResolver(JobFamily), SimpleResolver(Site)
    empty = _Plan(report, [], {}, {}, units, families, sites)
    roles: dict[str, list[str]] = {}
    try:
        table = read_table(content, filename)
    except SpreadsheetError as exc:
        report.file_problems.append(str(exc))
        return empty
    report.kind, report.encoding = table.kind, table.encoding
    match = match_columns(table.header, mapping)
    report.columns = [(table.header[i], f) for i, f in sorted(match.field_of_column.items())]
    report.unknown_headers = match.unknown
    report.total_rows = len(table.rows)
    if match.problems:
        report.file_problems.extend(match.problems)
        return empty
    header_of = {f: table.header[i] for i, f in match.field_of_column.items()}
    rows: list[PersonRow] = []
    problems: list[RowProblem] = []
    for number, cells in table.rows:
        row, row_problems = parse_row(number, cells, match.field_of_column, table.header)
        problems += [p for p in row_problems if not p.warning]
        report.warnings += [p for p in row_problems if p.warning]
        rows.append(row)
    problems += check_duplicates([r for r in rows if r.employee_id], header_of["employee_id"])

    existing = {
        row[1]: row
        for row in Person.objects.values_list("id", "employee_id", *PERSON_COLUMNS, "manager_id")
    }
    employee_id_of = {values[0]: key for key, values in existing.items()}
    existing_managers = {key: employee_id_of.get(values[-1]) for key, values in existing.items()}
    if "manager" in header_of:
        rejected_so_far = {p.row for p in problems}
        problems += check_managers(rows, rejected_so_far, existing_managers, header_of["manager"])

    rejected = {p.row for p in problems}
    desired: dict[str, dict[str, object]] = {}
    resolvers: dict[str, OrgUnitResolver | SimpleResolver] = {
        "org_unit": units,
        "job_family": families,
        "site": sites,
    }
    for row in rows:
        if row.row in rejected:
            continue
        values: dict[str, object] = {}
        for name, value in row.values.items():
            if name in resolvers:
                try:
                    values[REFERENCE_FIELDS[name]] = resolvers[name].resolve(str(value))
                except AmbiguousUnitError:
                    problems.append(
                        RowProblem(
                            row.row,
                            header_of[name],
                            _(
                                "several org units are named “%s”: give its code or its full path "
                                "(Direction / Service)"
                            )
                            % value,
                            str(value),
                        )
                    )
                    rejected.add(row.row)
                    break
            elif name == "manager":
                values["manager"] = value or None
            elif name == "preferred_language" and value is None:
                continue  # keep the person's language, or the default for a new person
            elif name == "roles":
                if value:  # an empty cell leaves the person's login and roles as they are
                    roles[row.employee_id] = list(value)  # type: ignore[call-overload]
            else:
                values[name] = value
        desired[row.employee_id] = values
    valid_rows = [r for r in rows if r.row not in rejected]
    desired = {r.employee_id: desired[r.employee_id] for r in valid_rows}

    report.problems = sorted(problems, key=lambda p: (p.row, p.column))
    report.rejected_rows = len({p.row for p in problems})
    report.new_org_units = units.new_names()
    report.new_job_families = families.new_names()
    report.new_sites = sites.new_names()
    _count_changes(report, desired, existing, employee_id_of)
    valid = {r.employee_id for r in valid_rows}
    roles = {key: given for key, given in roles.items() if key in valid}
    return _Plan(report, valid_rows, desired, existing, units, families, sites, roles)


def _count_changes(
    report: ImportReport,
    desired: dict[str, dict[str, object]],
    existing: dict[str, tuple[Any, ...]],
    employee_id_of: dict[int, str],
) -> None:
    position = {name: i + 2 for i, name in enumerate(PERSON_COLUMNS)}
    for employee_id, values in desired.items():
        current = existing.get(employee_id)
        if current is None:
            report.to_create += 1
            continue
        changed = []
        for name, value in values.items():
            if name == "manager":
                before: object = employee_id_of.get(current[-1])
            else:
                before = current[position[name]]
            if before != value:
                changed.append(name)
        if changed:
            report.to_update += 1
            if len(report.changes) < MAX_CHANGES_SHOWN:
                report.changes.append(
                    {
                        "employee_id": employee_id,
                        "fields": [str(FIELDS.get(c.removesuffix("_id"), c)) for c in changed],
                    }
                )
        else:
            report.unchanged += 1


def _write(plan: _Plan) -> None:
    refs = {**plan.units.create_new(), **plan.families.create_new(), **plan.sites.create_new()}
    if plan.units.new:
        refresh_unit_paths()

    def column_value(name: str, value: object) -> object:
        return refs[value] if isinstance(value, str) and value.startswith("new:") else value

    new_people = []
    updates = []
    position = {name: i + 2 for i, name in enumerate(PERSON_COLUMNS)}
    for row in plan.rows:
        values = {k: column_value(k, v) for k, v in plan.desired[row.employee_id].items()}
        current = plan.existing.get(row.employee_id)
        if current is None:
            fields = {k: v for k, v in values.items() if k != "manager"}
            new_people.append(Person(employee_id=row.employee_id, **fields))
        else:
            merged = [values.get(c, current[position[c]]) for c in PERSON_COLUMNS]
            if merged != [current[position[c]] for c in PERSON_COLUMNS]:
                updates.append((*merged, current[0]))
    Person.objects.bulk_create(new_people, batch_size=2000)
    update_columns(Person._meta.db_table, PERSON_COLUMNS, updates)

    ids = dict(Person.objects.values_list("employee_id", "id"))
    manager_changes = []
    for row in plan.rows:
        if "manager" not in plan.desired[row.employee_id]:
            continue
        manager = plan.desired[row.employee_id]["manager"]
        manager_id = ids[str(manager)] if manager else None
        current = plan.existing.get(row.employee_id)
        changed = manager_id != (current[-1] if current is not None else None)
        if changed:
            manager_changes.append((manager_id, ids[row.employee_id]))
    update_columns(Person._meta.db_table, ["manager_id"], manager_changes)
    refresh_reporting_paths()
    mark_departures()
    _give_roles(plan.roles)


def _give_roles(roles: dict[str, list[str]]) -> None:
    """Roles from the file: set on a person's login, or given with a new login (its invitation
    then waits on the lead's logins page)."""
    people = Person.objects.select_related("user").filter(employee_id__in=list(roles))
    without: dict[Person, list[str] | None] = {}
    for person in people:
        if person.user is not None:
            set_roles(person.user, roles[person.employee_id])
        else:
            without[person] = roles[person.employee_id]
    give_logins(without)
