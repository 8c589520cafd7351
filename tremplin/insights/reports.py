"""PDF reports for the executive committee and the works council, generated on the server.

The report prints its audience's stored publication (the figures that audience's dashboard
shows, nothing else) and prints the HTML with WeasyPrint.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.insights import published_pages
from tremplin.insights.models import Audience
from tremplin.insights.published import shown
from tremplin.insights.snapshot import latest
from tremplin.people.access import role_required
from tremplin.people.models import Role, roles_of

# The publication each report prints.
PUBLICATION = {"executive": Audience.EXECUTIVE.value, "works_council": Audience.WORKS_COUNCIL.value}
AUDIENCES = {
    "executive": (gettext_lazy("Report for the executive committee"), {Role.LEAD, Role.EXECUTIVE}),
    "works_council": (
        gettext_lazy("Report for the works council"),
        {Role.LEAD, Role.WORKS_COUNCIL},
    ),
}


def sections(audience: str) -> dict[str, Any]:
    """The figures of the report: its audience's publication at the latest quarter end."""
    figures = latest()
    if figures is None:
        return {}
    pub = shown(figures, PUBLICATION[audience])
    if pub is None:
        return {}
    last = len(pub.periods) - 1
    total = pub.table("by-total")
    assert total is not None
    parts_of = []
    for table in pub.tables:
        if table.key == "by-total":
            continue
        found = [published_pages.build(pub, table, part, last, "assessed")
                 for part in ("kpis", "levels")]  # fmt: skip
        parts_of.append((published_pages.title_of(table), [g for p in found for g in p.grids]))
    overall = [published_pages.build(pub, total, part, last, "assessed")
               for part in ("kpis", "distribution", "levels")]  # fmt: skip
    return {
        "figures": figures,
        "pub": pub,
        "overall": [g for p in overall for g in p.grids],
        "tables": parts_of,
        "withheld": [(published_pages.REASONS[c], n) for c, n in sorted(pub.withheld.items())],
        "withheld_total": sum(pub.withheld.values()),
    }


@role_required(Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL)
def report(request: HttpRequest) -> HttpResponse:
    audience = request.GET.get("audience", "executive")
    if audience not in AUDIENCES:
        audience = "executive"
    title, readers = AUDIENCES[audience]
    if not readers & roles_of(request.user):
        raise PermissionDenied
    content = sections(audience)
    if not content:
        messages.error(request, _("No figures yet: recompute them first."))
        return redirect("insights:overview")
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # the system libraries WeasyPrint needs are missing
        messages.error(
            request,
            _("PDF reports need WeasyPrint and its system libraries (Pango); see the README."),
        )
        return redirect("insights:overview")
    today = timezone.localdate()
    html = render_to_string(
        "insights/report.html",
        {**content, "title": title, "audience": audience, "today": today},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"tremplin-{audience.replace('_', '-')}-{today.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
