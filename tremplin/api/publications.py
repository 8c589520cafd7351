"""The audience publications, as their pages show them: the works council's, the executive
sponsor's, a manager's reporting line's; every figure withheld by the privacy rules null."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tremplin.api.core import ERRORS, Refused, need
from tremplin.insights.published import shown
from tremplin.insights.published_views import audiences_of
from tremplin.insights.snapshot import latest
from tremplin.people.models import person_of

router = Router(tags=["publications"])


class PublicationOut(Schema):
    audience: str
    min_group_size: int
    periods: list[str]
    tables: list[dict[str, Any]]


@router.get(
    "/publications",
    response={200: list[str], **ERRORS},
    summary="The audiences whose publication you may read",
)
def audiences(request: HttpRequest) -> Any:
    need(request, "publications:read")
    return [key for key, _name in audiences_of(request)]


@router.get(
    "/publications/{audience}",
    response={200: PublicationOut, **ERRORS},
    summary="One audience's publication: null where a figure is withheld",
)
def publication(request: HttpRequest, audience: str) -> Any:
    need(request, "publications:read")
    if audience not in {key for key, _name in audiences_of(request)}:
        raise Refused(403, _("Forbidden"), _("This publication is not for your role."))
    figures = latest()
    pub = (
        shown(figures, audience, person_of(request.user) if audience == "manager" else None)
        if figures is not None
        else None
    )
    if pub is None:
        raise Refused(404, _("Not published yet"), _("The figures are being computed."))
    tables = []
    for table in pub.tables:
        measures = {}
        for measure in table.measures:
            measures[measure] = {
                pub.periods[p]: {
                    "values": table.values(measure, p),
                    "bounds": table.sides(measure, p),
                }
                for p in table.periods_of(measure)
            }
        tables.append(
            {
                "key": table.key,
                "dimension": table.dimension,
                "groups": ["+".join(n) for n in table.names],
                "measures": measures,
            }
        )
    return {
        "audience": pub.audience,
        "min_group_size": pub.k,
        "periods": pub.periods,
        "tables": tables,
    }
