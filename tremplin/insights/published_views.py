"""The dashboard of the executive sponsor, the works council and managers: their publication.

They do not filter people freely: they pick one of the tables their publication holds, a part
(indicators, levels, spread, progression) and a quarter end. The programme lead may open either
company publication to see what each audience reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tremplin.compute.variables import HEADCOUNT
from tremplin.insights import published_pages as parts
from tremplin.insights.forms import PublicationPlanForm
from tremplin.insights.models import Audience, PublicationPlan
from tremplin.insights.published import Shown, ShownTable, forget, shown
from tremplin.insights.snapshot import latest
from tremplin.insights.tasks import republish
from tremplin.people.access import role_required
from tremplin.people.models import Person, Role, person_of, roles_of
from tremplin.spreadsheets import XLSX_TYPE, Sheet, xlsx_workbook

READERS = (Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL, Role.MANAGER)


def audiences_of(request: HttpRequest) -> list[tuple[str, str]]:
    """(audience, name) the reader may open, their own first."""
    roles = roles_of(request.user)
    found = []
    if roles & {Role.WORKS_COUNCIL, Role.LEAD}:
        found.append((Audience.WORKS_COUNCIL.value, str(Audience.WORKS_COUNCIL.label)))
    if roles & {Role.EXECUTIVE, Role.LEAD}:
        found.append((Audience.EXECUTIVE.value, str(Audience.EXECUTIVE.label)))
    if Role.MANAGER in roles and person_of(request.user) is not None:
        found.append((Audience.MANAGER.value, _("my reporting line")))
    if Role.LEAD not in roles and Role.WORKS_COUNCIL not in roles and found:
        found.sort(key=lambda a: a[0] != Audience.MANAGER)  # a manager's own line first
    return found


def chosen_audience(
    request: HttpRequest, audiences: list[tuple[str, str]]
) -> tuple[str, Person | None]:
    """The audience asked for among `audiences`, the reader's (else their first)."""
    allowed = [key for key, _name in audiences]
    asked = request.GET.get("audience", "")
    audience = asked if asked in allowed else allowed[0]
    manager = person_of(request.user) if audience == Audience.MANAGER else None
    return audience, manager


def _table(pub: Shown, request: HttpRequest) -> ShownTable:
    asked = pub.table(request.GET.get("table", ""))
    if asked is not None:
        return asked
    return default_table(pub)


def default_table(pub: Shown) -> ShownTable:
    """The table a page opens on: by department, else by team, else the first that shows more
    than one group; else everyone (a manager's teams, each under the minimum size, pool into
    one row that says no more than the total)."""
    preferred = [pub.table("by-department"), pub.table("by-team"), *pub.tables]
    tables = [t for t in preferred if t is not None]
    return next((t for t in tables if len(t.names) > 1), pub.table("by-total") or tables[0])


def _period(table: ShownTable, request: HttpRequest) -> int:
    """The quarter end asked for among those the table is published for (else the last)."""
    published = table.periods_of(HEADCOUNT)
    raw = request.GET.get("period", "")
    return int(raw) if raw.isdigit() and int(raw) in published else published[-1]


@role_required(*READERS)
def published(request: HttpRequest) -> HttpResponse:
    figures = latest()
    roles = roles_of(request.user)
    context: dict[str, Any] = {"is_lead": Role.LEAD in roles, "page": "published"}
    if figures is None:
        return render(request, "insights/empty.html", context)
    audiences = audiences_of(request)
    audience, manager = chosen_audience(request, audiences)
    pub = shown(figures, audience, manager)
    context.update({"audiences": audiences, "audience": audience, "pub": pub})
    if pub is None:  # the lead changed the plan: being rebuilt
        return render(request, "insights/published.html", context)
    if not any(t.names for t in pub.tables):  # a reporting line with nobody in it yet
        context["nobody"] = True
        return render(request, "insights/published.html", context)
    table = _table(pub, request)
    part = request.GET.get("part", "kpis")
    part = part if part in dict(parts.PARTS) else "kpis"
    period = _period(table, request)
    choices = parts.progress_measures(table)
    measure = request.GET.get("measure", "")
    measure = measure if measure in dict(choices) else choices[0][0]
    built = parts.build(pub, table, part, period, measure)
    if request.GET.get("export") == "xlsx":
        return _xlsx(pub, built)
    context.update(
        {
            "table": table,
            "tables": [
                (t.key, parts.TABLE_TITLES.get(t.dimension, t.dimension)) for t in pub.tables
            ],
            "part": part,
            "parts": parts.PARTS,
            "period": period,
            "periods": [
                (i, dt.date.fromisoformat(pub.periods[i])) for i in table.periods_of(HEADCOUNT)
            ],
            "measure": measure,
            "measures": choices,
            "grids": built.grids,
            "charts": built.charts,
            "hidden": sorted(built.hidden.items(), key=lambda item: -item[1]),
            "hidden_total": sum(built.hidden.values()),
            "approximate": sorted(built.approximate.items(), key=lambda item: -item[1]),
            "approximate_total": sum(built.approximate.values()),
            "withheld": [(parts.REASONS[code], n) for code, n in sorted(pub.withheld.items())],
            "withheld_total": sum(pub.withheld.values()),
        }
    )
    return render(request, "insights/published.html", context)


def _xlsx(pub: Shown, built: parts.Part) -> HttpResponse:
    note = _(
        "Blank cells are withheld: a group under %(k)s people, a figure carried by fewer than "
        "3 people, or a figure hidden so that another could not be worked out. A figure "
        "carried by fewer than 3 people shows, where it can, only a bound (≤ 12 %%, ≥ 96 %%)."
    ) % {"k": pub.k}
    sheets = [Sheet(g.title, g.header, [*g.raw, [], [note]]) for g in built.grids]
    response = HttpResponse(xlsx_workbook(sheets), content_type=XLSX_TYPE)
    day = timezone.localdate().isoformat()
    name = f"tremplin-{pub.audience.replace(':', '-')}-{day}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@role_required(Role.LEAD)
def plans(request: HttpRequest) -> HttpResponse:
    """The lead's one page: what each audience receives."""
    forms = []
    for audience in Audience:
        plan = PublicationPlan.of(audience.value)
        data = request.POST if request.method == "POST" else None
        forms.append(PublicationPlanForm(data, instance=plan, prefix=audience.value))
    if request.method == "POST" and all(form.is_valid() for form in forms):
        figures = latest()
        for form in forms:
            if form.has_changed():
                form.save()
                if figures is None:
                    continue
                forget(form.instance.audience, figures.snapshot_id)
                if form.instance.audience != Audience.MANAGER:
                    republish.enqueue(form.instance.audience)
        messages.success(request, _("Publication plans saved; the publications are being rebuilt."))
        return redirect("insights:plans")
    return render(request, "insights/plans.html", {"forms": forms})
