from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tremplin.insights import pages
from tremplin.insights.forms import InsightSettingsForm
from tremplin.insights.models import InsightSettings, Snapshot
from tremplin.insights.publications import COMPANY
from tremplin.insights.reports import AUDIENCES
from tremplin.insights.scopes import DIMENSIONS, View, chosen_filters, view_for
from tremplin.insights.snapshot import latest
from tremplin.insights.tables import workbook
from tremplin.insights.tasks import refresh_snapshot, republish
from tremplin.people.access import role_required
from tremplin.people.models import Role, roles_of
from tremplin.spreadsheets import XLSX_TYPE

READERS = (Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL, Role.MANAGER)
PAGES = [
    ("overview", gettext_lazy("Overview")),
    ("heatmap", gettext_lazy("Skills heatmap")),
    ("distribution", gettext_lazy("Level distribution")),
    ("progression", gettext_lazy("Progression")),
    ("compare", gettext_lazy("Compare two populations")),
]


def _choices(view: View, name: str) -> list[tuple[int, str]]:
    """(pk, name) of a dimension's values, for the filters."""
    f = view.figures
    ids = f[f"{name}_ids"]
    return f.memo(
        f"choices:{name}:{get_language()}",
        lambda: list(zip(ids.tolist(), pages.labels(view, name), strict=True)),
    )


def options(choices: list[tuple[int, str]], chosen: int | None, key: str, view: View) -> str:
    """The <option> elements of a filter, rendered once per snapshot and marked as chosen."""
    html = view.figures.memo(
        f"options:{key}",
        lambda: "".join(
            format_html('<option value="{}">{}</option>', pk, name) for pk, name in choices
        ),
    )
    if chosen is not None:
        html = html.replace(f'value="{chosen}">', f'value="{chosen}" selected>', 1)
    return mark_safe(html)  # built from the escaped parts above


def _filter_choices(view: View) -> dict[str, Any]:
    f = view.figures
    chosen = {name: int(f[f"{name}_ids"][value]) for name, value in view.filters.items()}
    choices = {name: _choices(view, name) for name in pages.MODELS}
    return {
        "choices": choices,
        "options": {
            name: options(found, chosen.get(name), f"{name}:{get_language()}", view)
            for name, found in choices.items()
        },
        "periods": list(enumerate(f.periods)),
        "chosen": chosen,
        "period": view.period,
    }


def _when(moment: dt.datetime | None) -> str:
    """A date and time as "21/11/2026 08:29" (no trailing "a.m." to clash with a full stop)."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} {formats.time_format(local, 'H:i')}"


def _competence(request: HttpRequest, view: View) -> int | None:
    raw = request.GET.get("competence", "")
    if not raw.isdigit():
        return None
    at = np.flatnonzero(view.figures["competence_ids"] == int(raw))
    return int(at[0]) if at.size else None


def _page(
    request: HttpRequest,
    slug: str,
    build: Callable[[View], pages.Page],
    *,
    whole: bool = False,
    always: Callable[[View], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A dashboard page of raw figures for the programme lead, or its tables as XLSX with
    ?export=xlsx; every other reader is sent to their publication.

    `whole`: the page shows groups of its own (it does not need the filtered population);
    `always`: context the page needs even when nobody matches the filters.
    """
    if Role.LEAD not in roles_of(request.user):  # other audiences read their publication
        return redirect("insights:published")
    figures = latest()
    if figures is None:
        return render(request, "insights/empty.html", {"is_lead": True})
    view = view_for(request, figures)
    context = {
        "view": view,
        "figures": figures,
        "nobody": not whole and not view.mask().any(),
        "page": slug,
        "built": _when(figures.built_at),
        "dashboard_pages": PAGES,
        "reports": [
            (key, title)
            for key, (title, readers) in AUDIENCES.items()
            if readers & roles_of(request.user)
        ],
        "is_lead": Role.LEAD in roles_of(request.user),
        "competences": pages.competences(view),
        **_filter_choices(view),
    }
    if always is not None:
        context.update(always(view))
    built = None
    if not context["nobody"]:
        built = build(view)
        context.update(built.context())
    if request.GET.get("export") == "xlsx":
        content = workbook(built.tables if built else [], figures.built_at)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = content_disposition_header(
            True, f"tremplin-{slug}-{day}.xlsx"
        )
        return response
    return render(request, f"insights/{slug}.html", context)


@role_required(*READERS)
def overview(request: HttpRequest) -> HttpResponse:
    return _page(request, "overview", pages.overview)


@role_required(*READERS)
def heatmap(request: HttpRequest) -> HttpResponse:
    return _page(request, "heatmap", pages.heatmap)


@role_required(*READERS)
def distribution(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "distribution",
        lambda view: pages.distribution(view, _competence(request, view)),
    )


@role_required(*READERS)
def progression(request: HttpRequest) -> HttpResponse:
    return _page(
        request, "progression", lambda view: pages.progression(view, _competence(request, view))
    )


@role_required(*READERS)
def compare(request: HttpRequest) -> HttpResponse:
    def chosen(view: View) -> tuple[dict[str, int], dict[str, int]]:
        first = chosen_filters(request, view.figures, "a_")
        second = chosen_filters(request, view.figures, "b_")
        asked = any(key.startswith(("a_", "b_")) for key in request.GET)
        if not asked and view.figures["wave_ids"].size >= 2:  # the first two waves, at first
            return {"wave": 0}, {"wave": 1}
        return first, second

    def populations(view: View) -> dict[str, Any]:
        f = view.figures
        choices = {name: _choices(view, name) for name in pages.MODELS}
        found = []
        for prefix, filters, name in zip(
            ("a_", "b_"), chosen(view), (_("Population A"), _("Population B")), strict=True
        ):
            here = {
                dimension: options(
                    choices[dimension],
                    int(f[f"{dimension}_ids"][filters[dimension]])
                    if dimension in filters
                    else None,
                    f"{dimension}:{get_language()}",
                    view,
                )
                for dimension in DIMENSIONS
            }
            found.append((prefix, here, name))
        return {"populations": found, "has_waves": bool(f["wave_ids"].size)}

    return _page(
        request,
        "compare",
        lambda view: pages.compare(view, *chosen(view)),
        whole=True,
        always=populations,
    )


@role_required(Role.LEAD)
def refresh(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        snapshot = Snapshot.objects.create()
        refresh_snapshot.enqueue(snapshot.pk)
        messages.success(request, _("The figures are being recomputed in the background."))
    return redirect("insights:overview")


@role_required(Role.LEAD)
def settings(request: HttpRequest) -> HttpResponse:
    form = InsightSettingsForm(
        request.POST if request.method == "POST" else None, instance=InsightSettings.current()
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        # Publications are kept per minimum group size: the company's are rebuilt at once,
        # a manager's at their next visit.
        if form.has_changed() and latest() is not None:
            for audience in COMPANY:
                republish.enqueue(audience)
        messages.success(
            request, _("Dashboard settings saved; the publications are being rebuilt.")
        )
        return redirect("insights:settings")
    return render(request, "insights/settings.html", {"form": form})
