"""People exports in the same columns the import reads, so an export can be imported back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tremplin.people.models import OrgUnit, Person
from tremplin.spreadsheets import XLSX_TYPE, Cell, csv_bytes, xlsx_bytes

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_TYPE,
}


def export_header() -> list[str]:
    return [
        _("Employee id"),
        _("Last name"),
        _("First name"),
        _("E-mail"),
        _("Org unit"),
        _("Job family"),
        _("Site"),
        _("Manager's employee id"),
        _("Hire date"),
        _("Active"),
        _("Preferred language"),
    ]


def unit_paths() -> dict[int, str]:
    """Each unit's full path of names, `Direction / Service`, as the import reads it back."""
    units = {
        pk: (name, parent)
        for pk, name, parent in OrgUnit.objects.values_list("id", "name", "parent_id")
    }
    paths: dict[int, str] = {}
    for pk in units:
        parts: list[str] = []
        node: int | None = pk
        while node is not None and len(parts) < 100:
            name, node = units[node]
            parts.append(name)
        paths[pk] = " / ".join(reversed(parts))
    return paths


def people_rows(people: QuerySet[Person]) -> Iterator[list[Cell]]:
    paths = unit_paths()
    yes, no = _("yes"), _("no")
    rows = people.values_list(
        "employee_id",
        "last_name",
        "first_name",
        "email",
        "org_unit_id",
        "job_family__code",
        "site__code",
        "manager__employee_id",
        "hire_date",
        "active",
        "preferred_language",
    )
    for (
        employee_id,
        last,
        first,
        email,
        unit,
        family,
        site,
        manager,
        hired,
        active,
        language,
    ) in rows.iterator(chunk_size=5000):
        yield [
            employee_id,
            last,
            first,
            email,
            paths.get(unit, "") if unit else "",
            family or "",
            site or "",
            manager or "",
            hired,
            yes if active else no,
            language,
        ]


def people_file(people: QuerySet[Person], file_format: Literal["csv", "xlsx"]) -> tuple[bytes, str]:
    if file_format == "csv":
        return csv_bytes(export_header(), people_rows(people)), CONTENT_TYPES["csv"]
    return xlsx_bytes(export_header(), people_rows(people), _("People")), CONTENT_TYPES["xlsx"]
