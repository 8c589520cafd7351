"""Framework, ratings (read; written with their provenance), levels and gaps, plans."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from tremplin.api.core import ERRORS, Refused, Rows, need
from tremplin.assessments.access import may_rate
from tremplin.assessments.models import CurrentLevel, Rating, Source
from tremplin.assessments.services import AssessmentError, Evidence, record_ratings
from tremplin.learning.models import Plan
from tremplin.learning.queries import person_gap_rows
from tremplin.people.models import Person, person_of
from tremplin.skills.models import Competence
from tremplin.skills.queries import active_framework

router = Router(tags=["framework, ratings, levels, plans"])


class CompetenceOut(Schema):
    code: str
    tier: str
    name_fr: str
    name_en: str


class FrameworkOut(Schema):
    code: str
    version: str
    name_fr: str
    name_en: str
    competences: list[CompetenceOut]


class RatingOut(Schema):
    person: str
    competence: str
    level: int
    source: str
    assessed_on: datetime.date
    recorded_at: datetime.datetime
    assessor: str | None = None
    campaign: str | None = None


class RatingIn(Schema):
    person: str = Field(description="The person's employee id", min_length=1, max_length=64)
    competence: str = Field(min_length=1, max_length=40)
    level: int = Field(ge=0, le=4)
    source: str = Field(description="self or manager: who assesses, as on the pages")
    assessed_on: datetime.date | None = None
    evidence_text: str = Field("", max_length=4000)
    evidence_url: str = Field("", max_length=500)


class RatingFilter(Schema):
    person: str | None = Field(None, max_length=64)
    competence: str | None = Field(None, max_length=40)
    since: datetime.date | None = None


class LevelOut(Schema):
    person: str
    competence: str
    level: int
    source: str
    updated_at: datetime.datetime


class GapOut(Schema):
    competence: str
    current: int | None = None
    target: int
    gap: int


class PlanItemOut(Schema):
    module: str
    year: int
    status: str
    completed_on: datetime.date | None = None


class PlanOut(Schema):
    person: str
    status: str
    starts_in: int
    person_signed_at: datetime.datetime | None = None
    manager_signed_at: datetime.datetime | None = None
    items: list[PlanItemOut]


def _visible_person(request: HttpRequest, employee_id: str) -> Person:
    return get_object_or_404(Person.objects.visible_to(request.user), employee_id=employee_id)


@router.get("/framework", response={200: FrameworkOut, **ERRORS}, summary="The framework in use")
def framework(request: HttpRequest) -> Any:
    need(request, "framework:read")
    found = active_framework()
    if found is None:
        raise Refused(404, _("No framework"), _("No framework is in use yet."))
    return {
        "code": found.code,
        "version": found.version,
        "name_fr": found.name_fr,
        "name_en": found.name_en,
        "competences": list(
            found.competences.order_by("order", "code").values("code", "tier", "name_fr", "name_en")
        ),
    }


@router.get("/ratings", response={200: list[RatingOut], **ERRORS}, summary="Ratings you may see")
@paginate(LimitOffsetPagination)
def ratings(request: HttpRequest, filters: Query[RatingFilter]) -> Any:
    need(request, "ratings:read")
    rows = Rating.objects.visible_to(request.user).order_by("-assessed_on", "-pk")
    if filters.person:
        rows = rows.filter(person__employee_id=filters.person)
    if filters.competence:
        rows = rows.filter(competence__code=filters.competence)
    if filters.since:
        rows = rows.filter(assessed_on__gte=filters.since)
    fields = ("person__employee_id", "competence__code", "level", "source", "assessed_on",
              "recorded_at", "assessor__employee_id", "campaign__name")  # fmt: skip
    names = ("person", "competence", "level", "source", "assessed_on", "recorded_at",
             "assessor", "campaign")  # fmt: skip
    return Rows(rows.values_list(*fields), lambda row: dict(zip(names, row, strict=True)))


@router.post(
    "/ratings",
    response={201: RatingOut, **ERRORS},
    summary="Record a rating (added, never replacing one)",
)
def rate(request: HttpRequest, body: RatingIn) -> Any:
    need(request, "ratings:write")
    person = _visible_person(request, body.person)
    if body.source not in (Source.SELF, Source.MANAGER):
        raise Refused(422, _("Unknown source"), _("The source is self or manager."))
    me = person_of(request.user)
    if not may_rate(me, person, body.source):
        raise Refused(
            403,
            _("Forbidden"),
            _("A self-assessment is the person's own; a manager rating is their manager's."),
        )
    framework = active_framework()
    competence = Competence.objects.filter(framework=framework, code=body.competence).first()
    if competence is None:
        raise Refused(
            422,
            _("Unknown competence"),
            _("No competence %(code)s in the framework in use.") % {"code": body.competence},
        )
    try:
        rating = record_ratings(
            person=person,
            levels={competence: body.level},
            source=body.source,
            assessor=me,
            assessed_on=body.assessed_on,
            evidence=Evidence(text=body.evidence_text, url=body.evidence_url),
        )[0]
    except AssessmentError as refused:
        raise Refused(422, _("Rating refused"), str(refused)) from None
    return Status(
        201,
        {
            "person": person.employee_id,
            "competence": competence.code,
            "level": rating.level,
            "source": rating.source,
            "assessed_on": rating.assessed_on,
            "recorded_at": rating.recorded_at,
            "assessor": me.employee_id if me else None,
            "campaign": None,
        },
    )


@router.get(
    "/people/{employee_id}/levels",
    response={200: list[LevelOut], **ERRORS},
    summary="A person's current levels",
)
def levels(request: HttpRequest, employee_id: str) -> Any:
    need(request, "levels:read")
    person = _visible_person(request, employee_id)
    return [
        {"person": person.employee_id, "competence": c, "level": lv, "source": s, "updated_at": at}
        for c, lv, s, at in CurrentLevel.objects.filter(person=person)
        .order_by("competence__code")
        .values_list("competence__code", "level", "source", "updated_at")
    ]


@router.get(
    "/people/{employee_id}/gaps",
    response={200: list[GapOut], **ERRORS},
    summary="A person's gaps to their job's targets",
)
def gaps(request: HttpRequest, employee_id: str) -> Any:
    need(request, "levels:read")
    person = _visible_person(request, employee_id)
    found = active_framework()
    if found is None:
        return []
    return [
        {"competence": r.competence.code, "current": r.current, "target": r.target, "gap": r.gap}
        for r in person_gap_rows(person, found)
    ]


@router.get(
    "/people/{employee_id}/plans",
    response={200: list[PlanOut], **ERRORS},
    summary="A person's development plans (never for appraisal)",
)
def plans(request: HttpRequest, employee_id: str) -> Any:
    need(request, "plans:read")
    person = _visible_person(request, employee_id)
    found = (
        Plan.objects.visible_to(request.user)
        .filter(person=person)
        .prefetch_related("items__module")
        .order_by("-created_at")
    )
    return [
        {
            "person": person.employee_id,
            "status": p.status,
            "starts_in": p.starts_in,
            "person_signed_at": p.person_signed_at,
            "manager_signed_at": p.manager_signed_at,
            "items": [
                {
                    "module": i.module.code,
                    "year": i.year,
                    "status": i.status,
                    "completed_on": i.completed_on,
                }
                for i in p.items.all()
            ],
        }
        for p in found
    ]
