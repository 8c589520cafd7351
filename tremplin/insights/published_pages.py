"""What an audience's dashboard shows, read from its stored publication and nothing else.

Four parts per table of the publication: the indicators, the mean levels (per tier, or per
competence when the plan asks), the spread of levels and the progression over the published
quarter ends. Every cell carries the id of its figure in `tremplin publication`'s output.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.compute.publication import COMPLEMENT, FEW, SMALL, WIDER
from tremplin.compute.variables import DISTRIBUTION, HEADCOUNT
from tremplin.insights import charts, usage_figures
from tremplin.insights.published import EARLIER, Shown, ShownTable
from tremplin.people.models import JobFamily, OrgUnit, Person, Persona, Site
from tremplin.skills.models import Competence, Tier

PARTS = [
    ("kpis", gettext_lazy("Indicators")),
    ("usage", gettext_lazy("AI-tool use")),
    ("levels", gettext_lazy("Mean levels")),
    ("distribution", gettext_lazy("Level distribution")),
    ("progression", gettext_lazy("Progression")),
]
TABLE_TITLES = {
    "total": gettext_lazy("Everyone"),
    "department": gettext_lazy("By department"),
    "department-2": gettext_lazy("By department, one level down"),
    "family": gettext_lazy("By job family"),
    "persona": gettext_lazy("By persona"),
    "site": gettext_lazy("By site"),
    "wave": gettext_lazy("By wave"),
    "team": gettext_lazy("By direct report's team"),
    "cohort": gettext_lazy("By cohort (first assessed by)"),
}
REASONS = {
    SMALL: gettext_lazy("group under the minimum size"),
    FEW: gettext_lazy("carried by fewer than 3 people"),
    COMPLEMENT: gettext_lazy("hidden so that another figure cannot be worked out"),
    EARLIER: gettext_lazy("not published for this group on that date"),
}
BOUNDED = gettext_lazy("a bound: fewer than 3 people carry the figure, or its complement")
WIDENED = gettext_lazy("a range: rounded more coarsely so that nobody can be worked out")
# (measure, label, kind): kind "%" shares, "n" counts, "h" hours, "€" euros.
KPIS = [
    (HEADCOUNT, gettext_lazy("People"), "n"),
    ("assessed", gettext_lazy("Assessed"), "%"),
    ("plans-agreed", gettext_lazy("Plans agreed"), "%"),
    ("engagement", gettext_lazy("Engagement (self-assessment or quiz, 12 months)"), "%"),
    ("completion", gettext_lazy("Training completed"), "%"),
    ("at-target", gettext_lazy("Targets reached"), "%"),
    ("disagreement", gettext_lazy("Ratings disputed"), "%"),
    ("training-hours", gettext_lazy("Training hours"), "h"),
    ("training-cost", gettext_lazy("Training cost (€)"), "€"),
]


def title_of(table: ShownTable) -> str:
    """ "By job family", or "By department × By site" for a cross-table."""
    return " × ".join(str(TABLE_TITLES.get(d, d)) for d in table.dimension.split("-x-"))


@dataclass
class Cell:
    text: str
    figure: str | None = None  # the figure's id; None for a row header
    why: str = ""  # why it is hidden ("" when shown)
    bound: str = ""  # why only a bound is shown ("" for an exact figure)
    pooled: list[str] = field(default_factory=list)  # a pool's groups, listed under its name


@dataclass
class Grid:
    """A table as shown: rows of cells, the first one naming the row."""

    title: str
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    raw: list[list[Any]] = field(default_factory=list)  # the same, as exported to XLSX


def full_name(header: Cell) -> str:
    """A row header's name as exported: a pool names every group it holds."""
    pooled = ", ".join(header.pooled)
    return _("Other: %(names)s") % {"names": pooled} if pooled else header.text


POOL_NAMED = 2  # a pool of more groups is named by its count, its groups listed below


def row_headers(table: ShownTable, shown: Shown) -> list[Cell]:
    """The header cell of each group of `table`: its name; a pool of more than `POOL_NAMED`
    groups says how many it holds and lists them (a column of 8 names made the row a tower)."""
    dimensions = table.dimension.split("-x-")
    codes = [code.split("/") if len(dimensions) > 1 else [code]
             for names in table.names for code in names]  # fmt: skip
    lookups = [_lookup(d.removesuffix("-2"), shown, {c[i] for c in codes})
               for i, d in enumerate(dimensions)]  # fmt: skip

    def name(code: str) -> str:
        pieces = code.split("/") if len(lookups) > 1 else [code]
        return " / ".join(look(p) for look, p in zip(lookups, pieces, strict=True))

    headers = []
    for names, pooled in zip(table.names, table.pooled, strict=True):
        parts = [name(code) for code in names]
        if not pooled:
            headers.append(Cell(parts[0]))
        elif len(parts) <= POOL_NAMED:
            headers.append(Cell(_("Other: %(names)s") % {"names": ", ".join(parts)}))
        elif len(table.names) == 1:  # every group is small: the pool is everyone
            text = _("All %(count)d groups together, each under the minimum size")
            headers.append(Cell(text % {"count": len(parts)}, pooled=parts))
        else:
            text = _("Other (%(count)d groups)")
            headers.append(Cell(text % {"count": len(parts)}, pooled=parts))
    return headers


def _lookup(dimension: str, shown: Shown, codes: set[str]) -> Any:
    """The name of each of `codes` of a dimension (read for those codes only)."""
    nobody = str(_("not set"))
    found: dict[str, str] = {}
    if dimension == "department":
        found = {o.code: str(o) for o in OrgUnit.objects.filter(code__in=codes)}
    elif dimension == "family":
        found = {o.code: str(o) for o in JobFamily.objects.filter(code__in=codes)}
    elif dimension == "site":
        found = {o.code: str(o) for o in Site.objects.filter(code__in=codes)}
    elif dimension == "persona":
        found = {key: str(label) for key, label in Persona.choices}
    elif dimension == "cohort":
        found = {p: date_format(_date(p), "SHORT_DATE_FORMAT") for p in shown.periods}
        found["never"] = str(_("never assessed"))
    elif dimension == "team":
        people = Person.objects.filter(employee_id__in=codes)
        found = {p.employee_id: _("Team of %(name)s") % {"name": p.full_name} for p in people}
    elif dimension == "total":
        found = {"all": str(_("Everyone"))}
    return lambda code: nobody if code == "none" else found.get(code, code)


def _date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def day(shown: Shown, period: int) -> str:
    return date_format(_date(shown.periods[period]), "SHORT_DATE_FORMAT")


def _places(step: float) -> int:
    """Decimals that show a value rounded to `step` (0.1 and 0.5: one; 0.25: two)."""
    return next((d for d in range(4) if abs(round(step, d) - step) < 1e-9), 2)


def _text(value: float | None, kind: str, step: float = 0.01) -> str:
    if value is None:
        return ""
    if kind == "%":
        return f"{number_format(round(100 * value), 0)} %"
    if kind in ("n", "h", "€"):
        return number_format(round(value), 0, force_grouping=True)
    return number_format(value, _places(step))


def _bound(value: float, step: float, side: int, kind: str) -> str:
    """A figure known only within [value − step/2, value + step/2], shown as the bound the
    publication states, rounded outwards to a whole percent or a hundredth of a level:
    "≤ 12 %" (side −1) or "≥ 96 %" (side +1)."""
    if side < 0:
        hundredths = math.ceil(100 * (value + step / 2) - 1e-9)
    else:
        hundredths = math.floor(100 * (value - step / 2) + 1e-9)
    if kind == "%":
        text = f"{number_format(hundredths, 0)} %"
    else:
        text = number_format(hundredths / 100, 2)
    return f"{'≤' if side < 0 else '≥'} {text}"


def _between(value: float, step: float, span: Sequence[float] | None, kind: str) -> str:
    """A figure rounded to a coarse `step`, shown as the range it stands for ("25–75 %"),
    kept within the values the figure can take."""
    low, high = value - step / 2, value + step / 2
    if span is not None:
        low, high = max(low, span[0]), min(high, span[1])
    if kind == "%":
        return f"{number_format(round(100 * low), 0)}–{number_format(round(100 * high), 0)} %"
    places = _places(step / 2)
    return f"{number_format(low, places)}–{number_format(high, places)}"


def _export(value: float | None, kind: str) -> float | int | None:
    if value is None or kind in ("level", "mean"):
        return value
    return round(100 * value) if kind == "%" else round(value)


def _column(shown: Shown, table: ShownTable, measure: str, period: int, kind: str
            ) -> list[tuple[Cell, Any]]:  # fmt: skip
    """One figure per group of `table`, as shown and as exported."""
    values = table.values(measure, period)
    reasons = table.reasons(measure, period)
    steps = table.steps(measure, period)
    sides = table.sides(measure, period)
    found: list[tuple[Cell, Any]] = []
    span = table.measures[measure].get("range")
    for g, value in enumerate(values):
        text, why, bound = figure_text(value, reasons[g], steps[g], sides[g], span, kind)
        exported = text if bound else _export(value, kind)
        found.append((Cell(text, shown.figure_id(table, g, measure, period), why, bound), exported))
    return found


def figure_text(value: float | None, reason: int, step: float, side: int,
                span: Sequence[float] | None, kind: str) -> tuple[str, str, str]:  # fmt: skip
    """A protected figure as read: (text, why it is hidden, what its bound or range means).
    A bound ("≤ 12 %") or a range ("25–75 %") when the publication widened it, else the
    figure rounded; "" and the reason when it is hidden."""
    if value is not None and side:
        return _bound(value, step, side, kind), "", str(BOUNDED)
    if value is not None and reason == WIDER:
        return _between(value, step, span, kind), "", str(WIDENED)
    why = "" if value is not None else str(REASONS.get(reason, ""))
    return _text(value, kind, step), why, ""


def grid(shown: Shown, table: ShownTable, title: str,
         columns: list[tuple[str, int, str, str]]) -> Grid:  # fmt: skip
    """Rows = groups of `table`, columns = (measure, period, header, kind)."""
    found = Grid(title, [title_of(table), *(header for _m, _p, header, _k in columns)])
    cells = [_column(shown, table, measure, period, kind)
             for measure, period, _h, kind in columns]  # fmt: skip
    for g, header in enumerate(row_headers(table, shown)):
        found.rows.append([header, *(column[g][0] for column in cells)])
        found.raw.append([full_name(header), *(column[g][1] for column in cells)])
    return found


Columns = list[tuple[str, str, str]]  # (measure, header, kind)


def _level_columns(table: ShownTable) -> Columns:
    """The mean-level measures of `table`, named by tier or competence."""
    keys = [key for key in table.measures if key.startswith("mean-level:")]
    codes = {key.partition(":")[2] for key in keys}
    names = {**{c.code: str(c) for c in Competence.objects.filter(code__in=codes)},
             **dict(Tier.choices)}  # fmt: skip
    return [(key, str(names.get(key.partition(":")[2], key)), "level") for key in keys]


@dataclass
class Part:
    grids: list[Grid]
    charts: list[tuple[str, charts.Spec]]
    hidden: dict[str, int]  # reason -> figures withheld on this page

    @property
    def approximate(self) -> dict[str, int]:
        """reason -> figures of this page shown as a bound or a range only."""
        return _tally(self.grids, "bound")


def by_competence(shown: Shown, table: ShownTable, levels: Columns) -> Grid:
    """A one-group table (the total) turned on its side: a row per tier and competence, a
    column per quarter end."""
    periods = table.periods_of("assessed")
    found = Grid(
        _("Mean level (0 to 4) at each quarter end; not assessed counts as 0"),
        [_("Competence or tier"), *(day(shown, p) for p in periods)],
    )
    for measure, name, kind in levels:
        cells = [_column(shown, table, measure, p, kind)[0] for p in periods]
        found.rows.append([Cell(name), *(cell for cell, _raw in cells)])
        found.raw.append([name, *(raw for _cell, raw in cells)])
    return found


def usage_period(shown: Shown, table: ShownTable) -> int | None:
    """The day the table's usage figures are published for (the snapshot's), if any."""
    found = table.periods_of(usage_figures.ACTIVE)
    return found[-1] if found else None


def usage_grid(shown: Shown, table: ShownTable) -> Grid | None:
    """Who used the AI tools over the 28 days to the snapshot's day, per group of `table`."""
    period = usage_period(shown, table)
    if period is None:
        return None
    columns = [(HEADCOUNT, period, str(_("People")), "n"),
               (usage_figures.ACTIVE, period, str(_("Used an AI tool")), "%")]  # fmt: skip
    if table.has(usage_figures.ACTIONS, period):
        columns.append((usage_figures.ACTIONS, period, str(_("Actions per person")), "mean"))
    for key, name in sorted(shown.usage_tools.items(), key=lambda item: item[1]):
        if table.has(key, period):
            columns.append((key, period, _("Used %(tool)s") % {"tool": name}, "%"))
    first, last = (_date(d) for d in shown.usage_window)
    title = _("AI-tool use from %(first)s to %(last)s") % {
        "first": date_format(first, "SHORT_DATE_FORMAT"),
        "last": date_format(last, "SHORT_DATE_FORMAT"),
    }
    return grid(shown, table, title, columns)


def build(shown: Shown, table: ShownTable, part: str, period: int, measure: str) -> Part:
    if part == "usage":
        found = usage_grid(shown, table)
        grids = [found] if found else []
        return Part(grids, [], _hidden(grids))
    levels = _level_columns(table) if part in ("levels", "progression") else []
    if part in ("levels", "progression") and len(table.names) == 1:
        grids = [by_competence(shown, table, levels)] if levels else []
        return Part(grids, [], _hidden(grids))
    if part == "levels":
        if not levels:
            return Part([], [], {})
        title = _("Mean level (0 to 4); a competence not assessed counts as 0")
        found = grid(shown, table, title, [(m, period, name, k) for m, name, k in levels])
        cells = [
            {"group": row[0], "competence": found.header[j + 1], "level": _plotted(value)}
            for row in found.raw
            for j, value in enumerate(row[1:])
        ]
        spec = charts.heatmap(cells, "competence", "group", "level", _("Mean level (0 to 4)"),
                              _("Mean level"), found.header[1:],
                              names=(_("Competence"), _("Group")))  # fmt: skip
        return Part([found], [("levels-chart", spec)], _hidden([found]))
    if part == "distribution":
        columns = [(f"share:{lv}", period, _("not assessed") if lv == "none" else
                    _("level %(n)s") % {"n": lv}, "%") for lv in DISTRIBUTION
                   if table.has(f"share:{lv}", period)]  # fmt: skip
        grids = (
            [grid(shown, table, _("Share of ratings at each level"), columns)] if columns else []
        )
        return Part(grids, [], _hidden(grids))
    if part == "progression":
        kind = "%" if measure == "assessed" else "level"
        what = dict(progress_measures(table, levels)).get(measure, measure)
        found = grid(
            shown,
            table,
            _("Progression: %(what)s") % {"what": what},
            [(measure, p, day(shown, p), kind) for p in table.periods_of(measure)],
        )
        lines = [
            {"date": shown.periods[p], "group": row[0], "value": _plotted(row[1 + j])}
            for row in found.raw
            for j, p in enumerate(table.periods_of(measure))
        ]  # fmt: skip
        spec = charts.lines(lines, "date", "value", "group", found.title, measure=str(what),
                            share=kind == "%")  # fmt: skip
        return Part([found], [("progression-chart", spec)], _hidden([found]))
    columns = [(m, period, str(label), kind) for m, label, kind in KPIS if table.has(m, period)]
    grids = [grid(shown, table, _("Indicators"), columns)]
    return Part(grids, [], _hidden(grids))


def progress_measures(table: ShownTable, levels: Columns | None = None) -> list[tuple[str, str]]:
    """The measures the progression part can follow: the share assessed, each mean level."""
    found = [("assessed", str(_("Share of people assessed")))]
    levels = _level_columns(table) if levels is None else levels
    found += [(key, _("Mean level: %(what)s") % {"what": name}) for key, name, _k in levels]
    return found


def _plotted(value: Any) -> float | None:
    """A figure as a chart draws it: a bound ("≤ 12 %") is not drawn."""
    return None if isinstance(value, str) else value


def _tally(grids: list[Grid], note: str) -> dict[str, int]:
    """How many figures of `grids` carry each text of a cell's `note` ("why" or "bound")."""
    found: dict[str, int] = {}
    for g in grids:
        for row in g.rows:
            for cell in row[1:]:
                if text := getattr(cell, note):
                    found[text] = found.get(text, 0) + 1
    return found


def _hidden(grids: list[Grid]) -> dict[str, int]:
    return _tally(grids, "why")
