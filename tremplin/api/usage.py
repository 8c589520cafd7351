"""AI-tool usage figures, per person or team, per tool, per day: the adoption KPIs' source."""

import datetime
import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema
from pydantic import BaseModel, Field

from tremplin.api.core import ERRORS, Refused, idempotent, need
from tremplin.insights.usage import upsert_usage
from tremplin.insights.usage_models import UsageSource
from tremplin.people.models import Role, user_has_role

router = Router(tags=["usage"])
MAX_ROWS = 100_000


class UsageRow(BaseModel):
    """One row as the OpenAPI document describes it. The rows themselves are checked once, by
    `upsert_usage`, which names the row, the field and what was expected: validating 100,000
    rows with pydantic first, then again, took most of a request's time."""

    employee_id: str = Field("", max_length=64)
    email: str = Field("", max_length=254)
    unit: str = Field("", max_length=50, description="An org unit's code, for a team's figures")
    tool: str = Field(min_length=1, max_length=80)
    day: datetime.date
    active: int = Field(1, ge=0, description="A person: 1 or 0; a team: its active users")
    actions: int = Field(0, ge=0)


BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["rows"],
                "properties": {
                    "rows": {
                        "type": "array",
                        "maxItems": MAX_ROWS,
                        "items": UsageRow.model_json_schema(),
                    },
                },
            }
        }
    },
}


def _rows(request: HttpRequest) -> list[Any]:
    """The body's rows, or a refusal saying what is wrong with the body as a whole."""
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):  # a UnicodeDecodeError is a ValueError
        raise Refused(
            400, _("Invalid request"), _("The body is not JSON, or is nested too deep.")
        ) from None
    rows = body.get("rows") if isinstance(body, dict) else None
    if not isinstance(rows, list):
        where = [{"where": "body.rows", "message": _("expected a list of rows")}]
        raise Refused(422, _("Invalid request"), _("Some fields are not as expected."), where)
    if len(rows) > MAX_ROWS:
        message = _("at most %(most)s rows a request") % {"most": MAX_ROWS}
        where = [{"where": "body.rows", "message": message}]
        raise Refused(422, _("Invalid request"), _("Some fields are not as expected."), where)
    return rows


class UsageOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int


@router.post(
    "/usage",
    response={200: UsageOut, **ERRORS},
    summary="AI-tool usage per person or team, per tool, per day (created or updated)",
    openapi_extra={"requestBody": BODY},
)
def usage(
    request: HttpRequest,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    need(request, "usage:write")
    if not user_has_role(request.user, Role.LEAD):
        raise Refused(403, _("Forbidden"), _("Usage figures come from the programme's tools."))

    rows = _rows(request)

    def write() -> tuple[int, Any]:
        report = upsert_usage(rows, source=UsageSource.API)
        if not report.written and report.problems:
            return 422, {
                "errors": [
                    {"index": p.index, "field": p.field, "message": p.message}
                    for p in report.problems
                ],
                "more": report.more_problems,
            }
        return 200, {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }

    status, result = idempotent(request, idempotency_key, write)
    if status != 200:
        raise Refused(
            status,
            _("Usage not recorded"),
            _("Some rows are not as expected; nothing was written."),
            result["errors"],
        )
    return result
