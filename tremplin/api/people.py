"""People and org units: read under the pages' visibility rules; a bulk upsert through the
people import itself (same columns, same validation, same row report)."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tremplin.api.core import ERRORS, Refused, Rows, idempotent, need
from tremplin.people.imports.columns import FIELDS
from tremplin.people.imports.importer import import_people_file
from tremplin.people.models import OrgUnit, Person, Role, user_has_role
from tremplin.people.name_search import search_people
from tremplin.spreadsheets import csv_bytes

router = Router(tags=["people"])
MAX_ROWS = 100_000


class PersonOut(Schema):
    employee_id: str
    first_name: str
    last_name: str
    email: str
    org_unit: str | None = None
    job_family: str | None = None
    site: str | None = None
    manager: str | None = None
    hire_date: datetime.date | None = None
    active: bool
    external: bool
    preferred_language: str


class PersonIn(Schema):
    employee_id: str = Field(min_length=1, max_length=64)
    last_name: str = Field(min_length=1, max_length=150)
    first_name: str = Field(min_length=1, max_length=150)
    email: str = ""
    org_unit: str = ""
    job_family: str = ""
    site: str = ""
    manager: str = ""
    hire_date: datetime.date | None = None
    active: bool = True
    external: bool = False
    preferred_language: str = ""
    roles: str = ""


class BulkPeople(Schema):
    people: list[PersonIn] = Field(max_length=MAX_ROWS)
    valid_only: bool = False


class RowError(Schema):
    index: int
    field: str
    message: str


class BulkReport(Schema):
    written: bool
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RowError]
    warnings: list[RowError]


class UnitOut(Schema):
    code: str
    name: str
    parent: str | None = None
    site: str | None = None


class PeopleFilter(Schema):
    org_unit: str | None = None
    job_family: str | None = None
    active: bool | None = None
    q: str | None = Field(
        None,
        max_length=100,
        description="Words each found in the first or last name (case and accents ignored) "
        "or equal to the employee id.",
    )


def _person(row: Person) -> dict[str, Any]:
    return {
        "employee_id": row.employee_id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "org_unit": row.org_unit.code if row.org_unit else None,
        "job_family": row.job_family.code if row.job_family else None,
        "site": row.site.code if row.site else None,
        "manager": row.manager.employee_id if row.manager else None,
        "hire_date": row.hire_date,
        "active": row.active,
        "external": row.external,
        "preferred_language": row.preferred_language,
    }


def _visible(request: HttpRequest) -> QuerySet[Person]:
    return Person.objects.visible_to(request.user).select_related(
        "org_unit", "job_family", "site", "manager"
    )


@router.get("/people", response={200: list[PersonOut], **ERRORS}, summary="People you may see")
@paginate(LimitOffsetPagination)
def people(request: HttpRequest, filters: Query[PeopleFilter]) -> Any:
    need(request, "people:read")
    rows = _visible(request).order_by("employee_id")
    if filters.org_unit:
        rows = rows.filter(org_unit__code=filters.org_unit)
    if filters.job_family:
        rows = rows.filter(job_family__code=filters.job_family)
    if filters.active is not None:
        rows = rows.filter(active=filters.active)
    if filters.q:
        rows = search_people(rows, filters.q)
    return Rows(rows, _person, joined=True)


@router.get("/org-units", response={200: list[UnitOut], **ERRORS}, summary="Org units")
@paginate(LimitOffsetPagination)
def org_units(request: HttpRequest) -> Any:
    need(request, "people:read")
    units = OrgUnit.objects.select_related("parent", "site").order_by("path")
    return Rows(units, _unit, joined=True)


def _unit(u: OrgUnit) -> dict[str, Any]:
    return {
        "code": u.code,
        "name": u.name,
        "parent": u.parent.code if u.parent else None,
        "site": u.site.code if u.site else None,
    }


def _csv(people: list[PersonIn]) -> bytes:
    columns = list(FIELDS)
    rows = []
    for p in people:
        values = p.dict()
        values["hire_date"] = (
            values["hire_date"].strftime("%d/%m/%Y") if values["hire_date"] else ""
        )
        values["active"] = "oui" if values["active"] else "non"
        values["external"] = "oui" if values["external"] else "non"
        rows.append([str(values[c]) for c in columns])
    return csv_bytes(columns, rows)


@router.post(
    "/people/bulk",
    response={200: BulkReport, **ERRORS},
    summary="Create or update people, as the people import does",
)
def people_bulk(
    request: HttpRequest,
    body: BulkPeople,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    need(request, "people:write")
    if not user_has_role(request.user, Role.LEAD):
        raise Refused(403, _("Forbidden"), _("Only the programme lead imports people."))

    def write() -> tuple[int, Any]:
        mapping = {c: c for c in FIELDS}
        report = import_people_file(
            _csv(body.people), "api.csv", mapping, valid_only=body.valid_only
        )
        if report.file_problems:
            raise Refused(422, _("People not imported"), " ".join(report.file_problems))
        result = {
            "written": report.written,
            "created": report.to_create if report.written else 0,
            "updated": report.to_update if report.written else 0,
            "unchanged": report.unchanged,
            "rejected": report.rejected_rows,
            "errors": [
                {"index": p.row - 2, "field": p.column, "message": p.message}
                for p in report.problems
            ],
            "warnings": [
                {"index": p.row - 2, "field": p.column, "message": p.message}
                for p in report.warnings
            ],
        }
        return (200 if report.written else 422), result

    status, result = idempotent(request, idempotency_key, write)
    if status != 200:
        raise Refused(
            status,
            _("People not imported"),
            _("%(n)s rows are not as expected; nothing was written.")
            % {"n": len(result["errors"])},
            result["errors"],
        )
    return result


@router.get("/people/{employee_id}", response={200: PersonOut, **ERRORS}, summary="One person")
def person(request: HttpRequest, employee_id: str) -> Any:
    need(request, "people:read")
    return _person(get_object_or_404(_visible(request), employee_id=employee_id))
