"""What each dashboard shows: its tables and its charts, built from a View of a snapshot.

The page, the XLSX export and the PDF reports all read these builders, so a figure looks the
same everywhere and passes through the same privacy checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from tremplin.compute.kpis import LEVELS, group_means
from tremplin.insights import charts, usage_figures
from tremplin.insights.indicators import FAMILIES, kpis
from tremplin.insights.scopes import View
from tremplin.insights.snapshot import min_group_size
from tremplin.insights.tables import Table
from tremplin.people.models import JobFamily, OrgUnit, Site
from tremplin.rollout.models import Wave
from tremplin.skills.models import Competence

MODELS: dict[str, Any] = {"unit": OrgUnit, "family": JobFamily, "site": Site, "wave": Wave}


def labels(view: View, dimension: str) -> list[str]:
    """Names of a dimension's values, in the snapshot's order; read once per snapshot and
    language."""
    f = view.figures

    def read() -> list[str]:
        by_pk = {o.pk: str(o) for o in MODELS[dimension].objects.all()}
        return [by_pk.get(int(pk), "—") for pk in f[f"{dimension}_ids"]]

    return f.memo(f"{dimension}:{get_language()}", read)


def competences(view: View) -> list[Competence]:
    """The snapshot's competences, in its column order."""
    found = Competence.objects.filter(pk__in=view.figures["competence_ids"].tolist())
    return list(found.order_by("order", "code"))


def _day(view: View, period: int) -> str:
    return date_format(view.figures.periods[period], "SHORT_DATE_FORMAT")


@dataclass
class Page:
    tables: list[Table]
    charts: list[tuple[str, charts.Spec]]  # (element id, declaration)
    extra: dict[str, Any]

    def context(self) -> dict[str, Any]:
        return {"tables": self.tables, "charts": self.charts, **self.extra}


# The exports' unit column in words where a unit is a code (the page draws each its own way).
UNITS = {"level": pgettext_lazy("unit", "levels"), "pts": pgettext_lazy("unit", "points"),
         "n": pgettext_lazy("unit", "number"), "h": pgettext_lazy("unit", "hours")}  # fmt: skip


def overview(view: View) -> Page:
    found = kpis(view)
    table = Table(_("Indicators"), [_("Indicator"), _("Value"), _("Unit"), _("Definition")])
    for kpi in found:
        value: float | str | None = kpi.value
        if kpi.value is None:
            value = str(_("No data yet"))
        elif kpi.unit == "%":
            value = round(100 * kpi.value)
        table.rows.append([str(kpi.label), value, str(UNITS.get(kpi.unit, kpi.unit)),
                           str(kpi.definition)])  # fmt: skip
    grouped = [(label, [k for k in found if k.family == key]) for key, label in FAMILIES.items()]
    tools = usage_tools(view)
    return Page([table, *([tools] if tools else [])], [], {"families": grouped,
                                                            "usage_tools": tools})  # fmt: skip


def usage_tools(view: View) -> Table | None:
    """Who used each AI tool over the last 28 days, when the filters keep enough people."""
    f = view.figures
    usage = usage_figures.overview(f, view.mask(), min_group_size())
    if not usage.tools:
        return None
    last = usage_figures.window(f)[1]
    title = _("AI tools used over the 28 days to %(day)s") % {
        "day": date_format(dt.date.fromordinal(last), "SHORT_DATE_FORMAT")
    }
    header = [_("Tool"), _("People who used it"), _("Actions per user"), _("Share of people")]
    table = Table(title, header, percent_from=3)
    for row in usage.tools:
        users = None if row.users.value is None else int(row.users.value)
        actions = row.actions.value if row.actions.value is not None or row.actions.why else "—"
        table.rows.append([row.name, users, actions, row.share.value])
    return table


def heatmap(view: View) -> Page:
    f = view.figures
    parent = f["unit_parent"]
    top = view.filters.get("unit", -1)
    children = np.flatnonzero(parent == top) if top >= 0 else np.flatnonzero(parent < 0)
    selected = view.mask()
    while True:  # a single unit holding everyone, none of them its own staff: open it
        group = np.where(selected, view.branches(children)[f["unit"]], -1)
        held = np.unique(group[group >= 0])
        if held.size != 1:
            break
        only = int(children[held[0]])
        if (selected & (f["unit"] == only)).any() or not np.any(parent == only):
            break
        children = np.flatnonzero(parent == only)
    codes = [c.code for c in competences(view)]
    people, means = group_means(f["levels"][view.period], group, len(children))
    every_unit = [*labels(view, "unit"), "—"]  # the last: people attached to no unit
    unit_names = [every_unit[c] for c in children.tolist()]
    title = _("Mean level by org unit and competence")
    table = Table(title, [_("Org unit"), _("People"), *codes])
    cells = []
    for r in range(children.size):
        if people[r] == 0:
            continue
        values = [float(v) for v in means[r]]
        table.rows.append([unit_names[r], int(people[r]), *values])
        cells += [
            {"unit": unit_names[r], "competence": code, "level": v}
            for code, v in zip(codes, values, strict=True)
        ]
    spec = charts.heatmap(cells, "competence", "unit", "level", title, _("Mean level"),
                          names=(_("Competence"), _("Org unit")))  # fmt: skip
    return Page([table], [("heatmap-chart", spec)], {})


def distribution(view: View, competence: int | None) -> Page:
    """Share of people at each level, per job family (all competences, or one)."""
    f = view.figures
    levels = f["levels"][view.period]
    mask = view.mask()
    family_names = [*labels(view, "family"), _("No job family")]
    level_labels = [_("Not assessed"), *(_("Level %(n)s") % {"n": n} for n in range(LEVELS))]
    header = [_("Job family"), _("People"), *level_labels]
    table = Table(_("Level distribution per job family"), header, percent_from=2)
    bars = []
    width = LEVELS + 1

    def tally() -> tuple[np.ndarray, np.ndarray]:
        chosen = levels[mask] if competence is None else levels[mask][:, [competence]]
        family = f["family"][mask].astype(np.int32)
        codes = family[:, None] * width + chosen.astype(np.int32) + 1  # 0: not assessed
        counts = np.bincount(codes.ravel(), minlength=f.n_families * width)
        return counts.reshape(f.n_families, width), np.bincount(family, minlength=f.n_families)

    if view.filters:
        counts, sizes = tally()
    else:  # the whole company: the same for every request on this snapshot
        counts, sizes = f.memo(f"levels:{view.period}:{competence}", tally)
    rows = [(family_names[x], counts[x], int(sizes[x])) for x in range(f.n_families)]
    rows.append((_("All"), counts.sum(axis=0), int(mask.sum())))
    for name, count, people in rows:
        if people == 0:
            continue
        shares = count / max(int(count.sum()), 1)
        table.rows.append([name, people, *map(float, shares)])
        bars += [{"group": name, "level": level_labels[j], "rank": j, "share": float(v)}
                 for j, v in enumerate(shares)]  # fmt: skip
    spec = charts.stacked_shares(bars, "group", "level", "share", table.title, level_labels)
    return Page([table], [("distribution-chart", spec)], {})


def progression(view: View, competence: int | None) -> Page:
    """Mean level over time, per competence (or tier), and per cohort of first assessment."""
    f = view.figures
    mask = view.mask()
    people = max(int(mask.sum()), 1)
    if view.filters:
        sums = f.known[:, mask].sum(axis=1, dtype=np.int64)
    else:  # the whole company: the same for every request on this snapshot
        sums = f.memo("sums", lambda: f.known[:, mask].sum(axis=1, dtype=np.int64))
    mean = sums / people  # (periods, competences)
    found = competences(view)
    days = [_day(view, p) for p in range(len(f.periods))]
    iso = [d.isoformat() for d in f.periods]
    per_competence = Table(
        _("Mean level per competence over time"), [_("Competence"), *days], digits=2
    )
    for c, comp in enumerate(found):
        per_competence.rows.append([f"{comp.code} {comp.name}", *map(float, mean[:, c])])
    points = []
    if competence is None:
        for tier in dict.fromkeys(c.tier for c in found):
            columns = [j for j, c in enumerate(found) if c.tier == tier]
            label = found[columns[0]].get_tier_display()
            points += [{"day": iso[p], "series": label, "level": float(mean[p, columns].mean())}
                       for p in range(len(iso))]  # fmt: skip
    else:
        points = [{"day": iso[p], "series": found[competence].code,
                   "level": float(mean[p, competence])} for p in range(len(iso))]  # fmt: skip
    curves = charts.lines(points, "day", "level", "series", per_competence.title)

    by_cohort = Table(
        _("Mean level per cohort (people first assessed in the same quarter)"),
        [_("Cohort"), _("People"), *days],
        digits=2,
    )
    start = f.first_assessed[mask]
    cohorts = np.unique(start[start >= 0])
    sizes = np.bincount(np.searchsorted(cohorts, start[start >= 0]), minlength=cohorts.size)
    in_cohort = np.searchsorted(cohorts, start)
    counted = start >= 0
    totals = f.person_totals[:, mask][:, counted]  # (periods, people assessed at some point)
    by_period = np.stack(
        [np.bincount(in_cohort[counted], totals[p], minlength=cohorts.size)
         for p in range(len(iso))]
    )  # fmt: skip
    cohort_points = []
    for n, cohort in enumerate(cohorts.tolist()):
        label = _("first assessed by %(day)s") % {"day": days[cohort]}
        curve = by_period[:, n] / (sizes[n] * max(len(found), 1))
        by_cohort.rows.append([label, int(sizes[n]), *["–"] * cohort, *map(float, curve[cohort:])])
        cohort_points += [{"day": iso[p], "series": label, "level": float(curve[p])}
                          for p in range(cohort, len(iso))]  # fmt: skip
    cohort_chart = charts.lines(cohort_points, "day", "level", "series", by_cohort.title)
    return Page(
        [per_competence, by_cohort],
        [("progression-chart", curves), ("cohort-chart", cohort_chart)],
        {},
    )


def population_label(view: View, filters: dict[str, int]) -> str:
    parts = [labels(view, name)[filters[name]] for name in MODELS if name in filters]
    return " · ".join(parts) or str(_("Everyone in scope"))


def compare(view: View, first: dict[str, int], second: dict[str, int]) -> Page:
    """Two populations side by side: mean level and mean target per competence."""
    f = view.figures
    found = competences(view)
    levels = f["levels"][view.period]
    titles = [population_label(view, first), population_label(view, second)]
    if titles[0] == titles[1]:
        titles = [f"A · {titles[0]}", f"B · {titles[1]}"]
    header = [_("Competence")]
    for label in titles:
        header += [_("%(who)s: level") % {"who": label}, _("%(who)s: target") % {"who": label}]
    table = Table(_("Profile against target"), header, digits=2)
    people = []
    columns = []
    for filters in (first, second):
        members = view.select(filters)  # the reader's filters do not apply here
        count = int(members.sum())
        people.append(count)
        if count:
            level = np.maximum(levels[members], 0).mean(axis=0)
            target = f["target"][members].mean(axis=0)
            columns.append((level, target))
        else:
            columns.append((None, None))
    points = []
    for c, comp in enumerate(found):
        row: list[Any] = [f"{comp.code} {comp.name}"]
        for (level, target), label in zip(columns, titles, strict=True):
            if level is None or target is None:
                row += [None, None]
                continue
            row += [float(level[c]), float(target[c])]
            points += [
                {"axis": comp.code, "series": _("%(who)s: level") % {"who": label},
                 "value": float(level[c])},
                {"axis": comp.code, "series": _("%(who)s: target") % {"who": label},
                 "value": float(target[c])},
            ]  # fmt: skip
        table.rows.append(row)
    order = [s for label in titles for s in (_("%(who)s: level") % {"who": label},
                                             _("%(who)s: target") % {"who": label})]  # fmt: skip
    spec = charts.radar(points, "axis", "series", "value", table.title, order)
    legend = [(name, colour) for name, colour in zip(order, charts.RADAR_COLOURS, strict=True)
              if any(p["series"] == name for p in points)]  # fmt: skip
    return Page(
        [table],
        [("compare-chart", spec)] if points else [],
        {"labels": titles, "people": people, "legend": legend},
    )
