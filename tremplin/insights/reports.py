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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tremplin.compute.variables import HEADCOUNT
from tremplin.downloads import file_name
from tremplin.insights import published_pages, report_charts
from tremplin.insights.models import Audience
from tremplin.insights.published import shown
from tremplin.insights.snapshot import latest
from tremplin.pdf import pdf_response
from tremplin.people.access import role_required
from tremplin.people.models import Role, roles_of
from tremplin.skills.models import Tier

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
    withheld = _("withheld")
    label = {m: str(label) for m, label, _k in published_pages.KPIS}
    parts_of = []
    for table in pub.tables:
        if table.key == "by-total":
            continue
        name = published_pages.title_of(table)
        kpis, usage, levels = (published_pages.build(pub, table, part, last, "assessed")
                               for part in ("kpis", "usage", "levels"))  # fmt: skip
        drawn = [
            report_charts.bars(g, g.header.index(label["assessed"]), "%",
                               _("Share of people assessed · %(table)s") % {"table": name},
                               withheld=withheld) if label["assessed"] in g.header else
            report_charts.bars(g, g.header.index(label[HEADCOUNT]), "n",
                               _("People · %(table)s") % {"table": name}, withheld=withheld)
            for g in kpis.grids
        ]  # fmt: skip
        parts_of.append((name, kpis.grids + usage.grids + levels.grids, [c for c in drawn if c]))
    parts = ("kpis", "usage", "distribution", "levels")
    kpis, usage, spread, levels = (published_pages.build(pub, total, part, last, "assessed")
                                   for part in parts)  # fmt: skip
    drawn = [report_charts.shares(g, g.title, withheld) for g in spread.grids]
    periods = total.periods_of("assessed")
    progress = published_pages.grid(
        pub, total, _("Share of people assessed"),
        [("assessed", p, published_pages.day(pub, p), "%") for p in periods],
    )  # fmt: skip
    drawn += report_charts.lines(progress, "%", progress.title, top=100.0)
    tiers = {str(name) for _value, name in Tier.choices}
    for g in levels.grids:  # the tiers only when there are: a line per competence is a tangle
        rows = [row for row in g.raw if row[0] in tiers] or g.raw
        tier_grid = published_pages.Grid(g.title, g.header, raw=rows)
        title = _("Mean level (0 to 4) at each quarter end")
        drawn += report_charts.lines(tier_grid, "level", title, top=4.0)
    return {
        "figures": figures,
        "pub": pub,
        "overall": kpis.grids + usage.grids + spread.grids + levels.grids,
        "overall_charts": [c for c in drawn if c],
        "tables": parts_of,
        "withheld": [(published_pages.REASONS[c], n) for c, n in sorted(pub.withheld.items())],
        "withheld_total": sum(pub.withheld.values()),
    }


@role_required(Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL)
def report(request: HttpRequest) -> HttpResponse:
    mine = [key for key, (_title, readers) in AUDIENCES.items()
            if readers & roles_of(request.user)]  # fmt: skip
    audience = request.GET.get("audience") or (mine[0] if mine else "executive")
    if audience not in AUDIENCES:
        audience = mine[0] if mine else "executive"
    title, readers = AUDIENCES[audience]
    if not readers & roles_of(request.user):
        raise PermissionDenied
    content = sections(audience)
    if not content:
        messages.error(request, _("No figures yet: recompute them first."))
        return redirect("insights:overview")
    today = timezone.localdate()
    reader = {"executive": pgettext("file name", "executive committee"),
              "works_council": pgettext("file name", "works council")}[audience]  # fmt: skip
    name = file_name("tremplin", reader, today.isoformat(), extension="pdf")
    return pdf_response(request, "insights/report.html",
                        {**content, "title": title, "audience": audience, "today": today},
                        name, "insights:overview")  # fmt: skip
