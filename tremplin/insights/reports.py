"""PDF reports for the executive committee and the works council, generated on the server.

The report reads the same page builders as the dashboards (so the same privacy checks), turns
each chart declaration into SVG with vl-convert, and prints the HTML with WeasyPrint.
"""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.insights import pages
from tremplin.insights.charts import Spec
from tremplin.insights.scopes import view_for
from tremplin.insights.snapshot import latest
from tremplin.people.access import role_required
from tremplin.people.models import Role, roles_of

AUDIENCES = {
    "executive": (gettext_lazy("Report for the executive committee"), {Role.LEAD, Role.EXECUTIVE}),
    "works_council": (
        gettext_lazy("Report for the works council"),
        {Role.LEAD, Role.WORKS_COUNCIL},
    ),
}


def svg(spec: Spec) -> str:
    """A chart declaration as an SVG data URI (Vega-Lite, or Vega for the radar)."""
    import vl_convert

    if "vega/v5" in spec.get("$schema", ""):
        drawing = vl_convert.vega_to_svg(spec)
    else:
        drawing = vl_convert.vegalite_to_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(drawing.encode()).decode()


def sections(request: HttpRequest) -> dict[str, Any]:
    """The figures of the report: the reader's whole scope at the latest date."""
    figures = latest()
    if figures is None:
        return {}
    view = view_for(request, figures)
    view.filters = {}
    view.period = len(figures.periods) - 1
    built = {
        "overview": pages.overview(view),
        "heatmap": pages.heatmap(view),
        "distribution": pages.distribution(view, None),
        "progression": pages.progression(view, None),
    }
    return {
        "view": view,
        "figures": figures,
        "people": int(view.mask().sum()),
        "families": built["overview"].extra["families"],
        "parts": [
            (name, page.tables, [svg(spec) for _id, spec in page.charts])
            for name, page in built.items()
            if name != "overview"
        ],
    }


@role_required(Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL)
def report(request: HttpRequest) -> HttpResponse:
    audience = request.GET.get("audience", "executive")
    if audience not in AUDIENCES:
        audience = "executive"
    title, readers = AUDIENCES[audience]
    if not readers & roles_of(request.user):
        raise PermissionDenied
    content = sections(request)
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
