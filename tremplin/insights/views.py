from __future__ import annotations

from typing import Any

import numpy as np
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tremplin.compute.kpis import group_figures
from tremplin.insights import charts
from tremplin.insights.indicators import FAMILIES, kpis
from tremplin.insights.models import Snapshot
from tremplin.insights.scopes import View, view_for
from tremplin.insights.snapshot import Figures, latest
from tremplin.insights.tasks import refresh_snapshot
from tremplin.people.access import role_required
from tremplin.people.models import JobFamily, OrgUnit, Role, Site, roles_of
from tremplin.skills.models import Competence

READERS = (Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL, Role.MANAGER)


def _names(model: Any, ids: np.ndarray) -> list[str]:
    by_pk = {o.pk: str(o) for o in model.objects.filter(pk__in=ids.tolist())}
    return [by_pk.get(int(i), "—") for i in ids]


def _filter_choices(view: View) -> dict[str, Any]:
    f = view.figures
    return {
        "units": list(zip(f["unit_ids"].tolist(), _names(OrgUnit, f["unit_ids"]), strict=True)),
        "families": list(
            zip(f["family_ids"].tolist(), _names(JobFamily, f["family_ids"]), strict=True)
        ),
        "sites": list(zip(f["site_ids"].tolist(), _names(Site, f["site_ids"]), strict=True)),
        "periods": list(enumerate(f.periods)),
        "chosen": {name: int(f[f"{name}_ids"][value]) for name, value in view.filters.items()},
        "period": view.period,
    }


def _page(request: HttpRequest, template: str, build: Any) -> HttpResponse:
    figures = latest()
    if figures is None:
        return render(
            request, "insights/empty.html", {"is_lead": Role.LEAD in roles_of(request.user)}
        )
    view = view_for(request, figures)
    context = {
        "view": view,
        "figures": figures,
        "k": view.k,
        "shown": view.visible(),
        "nobody": not view.mask().any(),
        **_filter_choices(view),
    }
    if context["shown"] and not context["nobody"]:
        context.update(build(view, figures))
    return render(request, template, context)


@role_required(*READERS)
def overview(request: HttpRequest) -> HttpResponse:
    def build(view: View, figures: Figures) -> dict[str, Any]:
        found = kpis(view)
        return {"families": [(label, [k for k in found if k.family == key])
                             for key, label in FAMILIES.items()]}  # fmt: skip

    return _page(request, "insights/overview.html", build)


@role_required(*READERS)
def heatmap(request: HttpRequest) -> HttpResponse:
    def build(view: View, figures: Figures) -> dict[str, Any]:
        parent = figures["unit_parent"]
        top = view.filters.get("unit", -1)
        children = np.flatnonzero(parent == top) if top >= 0 else np.flatnonzero(parent < 0)
        while children.size == 1 and np.any(parent == children[0]):  # one top unit: open it
            children = np.flatnonzero(parent == children[0])
        codes = list(
            Competence.objects.filter(pk__in=figures["competence_ids"].tolist())
            .order_by("order", "code")
            .values_list("code", flat=True)
        )
        group = np.full(figures["person_ids"].size, -1)
        selected = view.mask()
        for row, child in enumerate(children.tolist()):
            group[np.isin(figures["unit"], view.subtree(child)) & selected] = row
        result = group_figures(
            figures["levels"][view.period], figures["target"], group, len(children)
        )
        names = _names(OrgUnit, np.append(figures["unit_ids"], 0)[children])
        rows = []
        cells = []
        for r, child in enumerate(children.tolist()):
            if result.people[r] == 0:
                continue
            shown = view.visible(unit=child)
            values = [round(float(v), 2) if shown else None for v in result.mean_level[r]]
            rows.append((names[r], int(result.people[r]), shown, values))
            cells += [
                {"unit": names[r], "competence": code, "level": value}
                for code, value in zip(codes, values, strict=True)
            ]
        spec = charts.heatmap(cells, "competence", "unit", "level",
                              _("Mean level by org unit and competence"))  # fmt: skip
        return {"rows": rows, "codes": codes, "spec": spec}

    return _page(request, "insights/heatmap.html", build)


@role_required(Role.LEAD)
def refresh(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        snapshot = Snapshot.objects.create()
        refresh_snapshot.enqueue(snapshot.pk)
    return redirect("insights:overview")
