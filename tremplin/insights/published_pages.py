"""What an audience's dashboard shows, read from its stored publication and nothing else.

Four parts per table of the publication: the indicators, the mean levels (per tier, or per
competence when the plan asks), the spread of levels and the progression over the published
quarter ends. Every cell carries the id of its figure in `tremplin publication`'s output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.compute.publication import COMPLEMENT, FEW, SMALL
from tremplin.compute.variables import DISTRIBUTION, HEADCOUNT
from tremplin.insights import charts
from tremplin.insights.published import EARLIER, Shown, ShownTable
from tremplin.people.models import JobFamily, OrgUnit, Person, Persona, Site
from tremplin.skills.models import Competence, Tier

PARTS = [
    ("kpis", gettext_lazy("Indicators")),
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
# (measure, label, kind): kind "%" shares, "n" counts, "h" hours, "€" euros.
KPIS = [
    (HEADCOUNT, gettext_lazy("People"), "n"),
    ("assessed", gettext_lazy("Assessed"), "%"),
    ("plans-agreed", gettext_lazy("Plans agreed"), "%"),
    ("engagement", gettext_lazy("Engaged in training"), "%"),
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


@dataclass
class Grid:
    """A table as shown: rows of cells, the first one naming the row."""

    title: str
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    raw: list[list[Any]] = field(default_factory=list)  # the same, as exported to XLSX


def label_maker(table: ShownTable, shown: Shown) -> list[str]:
    """The readable name of each group of `table`."""
    names = _names_of(table.dimension.split("-x-"), shown)
    labels = []
    for codes, pooled in zip(table.names, table.pooled, strict=True):
        parts = [names(code) for code in codes]
        labels.append(_("Other: %(names)s") % {"names": ", ".join(parts)} if pooled else parts[0])
    return labels


def _names_of(dimensions: list[str], shown: Shown) -> Any:
    lookups = [_lookup(d.removesuffix("-2"), shown) for d in dimensions]

    def name(code: str) -> str:
        pieces = code.split("/") if len(lookups) > 1 else [code]
        return " / ".join(look(p) for look, p in zip(lookups, pieces, strict=True))

    return name


def _lookup(dimension: str, shown: Shown) -> Any:
    nobody = str(_("not set"))
    found: dict[str, str] = {}
    if dimension == "department":
        found = {o.code: str(o) for o in OrgUnit.objects.all()}
    elif dimension == "family":
        found = {o.code: str(o) for o in JobFamily.objects.all()}
    elif dimension == "site":
        found = {o.code: str(o) for o in Site.objects.all()}
    elif dimension == "persona":
        found = {key: str(label) for key, label in Persona.choices}
    elif dimension == "cohort":
        found = {p: date_format(_date(p), "SHORT_DATE_FORMAT") for p in shown.periods}
        found["never"] = str(_("never assessed"))
    elif dimension == "team":
        people = Person.objects.values_list("employee_id", "first_name", "last_name")
        found = {e: _("Team of %(name)s") % {"name": f"{f} {la}"} for e, f, la in people}
    elif dimension == "total":
        found = {"all": str(_("Everyone"))}
    return lambda code: nobody if code == "none" else found.get(code, code)


def _date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _text(value: float | None, kind: str) -> str:
    if value is None:
        return ""
    if kind == "%":
        return f"{number_format(round(100 * value), 0)} %"
    if kind in ("n", "h", "€"):
        return number_format(round(value), 0, force_grouping=True)
    return number_format(value, 2)


def _export(value: float | None, kind: str) -> float | int | None:
    if value is None:
        return None
    return round(100 * value) if kind == "%" else round(value) if kind != "level" else value


def grid(shown: Shown, table: ShownTable, title: str, columns: list[tuple[str, str, str]],
         period: int) -> Grid:  # fmt: skip
    """Rows = groups of `table`, columns = (measure, header, kind) at `period`."""
    found = Grid(title, ["", *(header for _m, header, _k in columns)])
    found.header[0] = title_of(table)
    labels = label_maker(table, shown)
    for g, label in enumerate(labels):
        row, raw = [Cell(label)], list[Any]([label])
        for measure, _header, kind in columns:
            value = table.values(measure, period)[g]
            why = REASONS.get(table.reasons(measure, period)[g], "")
            row.append(Cell(_text(value, kind), shown.figure_id(table, g, measure, period),
                            str(why) if value is None else ""))  # fmt: skip
            raw.append(_export(value, kind))
        found.rows.append(row)
        found.raw.append(raw)
    return found


def _level_columns(table: ShownTable) -> list[tuple[str, str, str]]:
    tiers = dict(Tier.choices)
    codes = {c.code: str(c) for c in Competence.objects.all()}
    found = []
    for key in table.measures:
        if key.startswith("mean-level:"):
            code = key.partition(":")[2]
            found.append((key, str(tiers.get(code, codes.get(code, code))), "level"))
    return found


@dataclass
class Part:
    grids: list[Grid]
    charts: list[tuple[str, charts.Spec]]
    hidden: dict[str, int]  # reason -> figures withheld on this page


def by_competence(shown: Shown, table: ShownTable) -> Grid:
    """A one-group table (the total) turned on its side: a row per tier and competence, a
    column per quarter end."""
    periods = table.periods_of("assessed")
    found = Grid(
        _("Mean level (0 to 4) at each quarter end; not assessed counts as 0"),
        [_("Competence or tier"), *(date_format(_date(shown.periods[p]), "SHORT_DATE_FORMAT")
                                    for p in periods)],
    )  # fmt: skip
    for measure, name, kind in _level_columns(table):
        row, raw = [Cell(name)], list[Any]([name])
        for p in periods:
            value = table.values(measure, p)[0]
            why = REASONS.get(table.reasons(measure, p)[0], "")
            row.append(Cell(_text(value, kind), shown.figure_id(table, 0, measure, p),
                            str(why) if value is None else ""))  # fmt: skip
            raw.append(_export(value, kind))
        found.rows.append(row)
        found.raw.append(raw)
    return found


def build(shown: Shown, table: ShownTable, part: str, period: int, measure: str) -> Part:
    if part in ("levels", "progression") and len(table.names) == 1:
        grids = [by_competence(shown, table)] if _level_columns(table) else []
        return Part(grids, [], _hidden(grids))
    if part == "levels":
        columns = _level_columns(table)
        if not columns:
            return Part([], [], {})
        title = _("Mean level (0 to 4); a competence not assessed counts as 0")
        grids = [grid(shown, table, title, columns, period)]
        cells = [
            {"group": row[0].text, "competence": grids[0].header[j + 1], "level": raw}
            for row, raws in zip(grids[0].rows, grids[0].raw, strict=True)
            for j, raw in enumerate(raws[1:])
        ]
        spec = charts.heatmap(cells, "competence", "group", "level", _("Mean level (0 to 4)"),
                              _("Mean level"), grids[0].header[1:])  # fmt: skip
        return Part(grids, [("levels-chart", spec)], _hidden(grids))
    if part == "distribution":
        columns = [(f"share:{lv}", _("not assessed") if lv == "none" else
                    _("level %(n)s") % {"n": lv}, "%") for lv in DISTRIBUTION
                   if table.has(f"share:{lv}", period)]  # fmt: skip
        grids = [grid(shown, table, _("Share of ratings at each level"), columns, period)]
        grids = grids if columns else []
        return Part(grids, [], _hidden(grids))
    if part == "progression":
        columns = [(measure, date_format(_date(shown.periods[p]), "SHORT_DATE_FORMAT"), "level")
                   for p in table.periods_of(measure)]  # fmt: skip
        found = Grid(_("Progression: %(what)s") % {"what": _measure_name(table, measure)},
                     [title_of(table),
                      *(c[1] for c in columns)])  # fmt: skip
        labels = label_maker(table, shown)
        lines = []
        kind = "%" if measure == "assessed" else "level"
        for g, label in enumerate(labels):
            row, raw = [Cell(label)], list[Any]([label])
            for p in table.periods_of(measure):
                value = table.values(measure, p)[g]
                why = REASONS.get(table.reasons(measure, p)[g], "")
                row.append(Cell(_text(value, kind), shown.figure_id(table, g, measure, p),
                                str(why) if value is None else ""))  # fmt: skip
                raw.append(_export(value, kind))
                lines.append({"date": shown.periods[p], "group": label, "value": value})
            found.rows.append(row)
            found.raw.append(raw)
        spec = charts.lines(lines, "date", "value", "group", found.title)
        if kind == "%":
            spec["encoding"]["y"]["scale"] = {"domain": [0, 1]}
            spec["encoding"]["y"]["axis"] = {"format": "%"}
        return Part([found], [("progression-chart", spec)], _hidden([found]))
    columns = [(m, str(label), kind) for m, label, kind in KPIS if table.has(m, period)]
    grids = [grid(shown, table, _("Indicators"), columns, period)]
    return Part(grids, [], _hidden(grids))


def progress_measures(table: ShownTable) -> list[tuple[str, str]]:
    """The measures the progression part can follow: the share assessed, each mean level."""
    found = [("assessed", str(_("Share of people assessed")))]
    found += [(key, _("Mean level: %(what)s") % {"what": name})
              for key, name, _k in _level_columns(table)]  # fmt: skip
    return found


def _measure_name(table: ShownTable, measure: str) -> str:
    return dict(progress_measures(table)).get(measure, measure)


def _hidden(grids: list[Grid]) -> dict[str, int]:
    found: dict[str, int] = {}
    for g in grids:
        for row in g.rows:
            for cell in row[1:]:
                if cell.why:
                    found[cell.why] = found.get(cell.why, 0) + 1
    return found
