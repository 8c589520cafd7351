"""The Article 4 register's tables as each reader sees them.

The lead reads every group's exact figures, however small (as on the lead's dashboards). The
sponsor and the works council read the same tables as a protected publication
(`compute.publication`, audited by `compute.disclosure`, like every figure they read): job
families under the minimum group size pooled, a system concerning fewer people than that shows
its headcount only, figures rounded to their group's size, and a figure that would let a
smaller group or a person be worked out from the others widened to a range or hidden.

They read it at quarter ends, and may keep every one: each quarter's figures are also audited
with those of every earlier quarter end, as published (`compute.temporal`: a measure once in
place stays so, and a family that gained a person between two quarters must not give that
person away), a figure of the newer quarter widened or hidden where they would. Auditing each
quarter with the one before it only is not enough: three quarters read together gave a
newcomer away where every pair did not. The chain starts at the quarter of the first measure,
so a quarter's figures do not change as time goes by."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain as chain_of
from typing import Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tremplin.compute import across, temporal
from tremplin.compute import literacy as rules
from tremplin.compute.disclosure import protect
from tremplin.compute.publication import (
    ONE,
    Measure,
    Publication,
    Table,
    Variable,
    compute_sums,
    pool,
)
from tremplin.governance.literacy import Dossier, Row
from tremplin.insights.published_pages import figure_text

SHARES = ("any", *rules.MEASURES)
STAYING = ("sessions", "modules", "quiz")  # measures that never go away
REQUIRED = "required"


@dataclass(frozen=True)
class Figure:
    text: str  # as read: "42 %", "25–75 %", "≤ 12 %", "—"
    value: float | str | None  # as exported: a percent, or the text of a range or bound
    why: str = ""  # why it is hidden, or what its range or bound stands for


@dataclass(frozen=True)
class Line:
    name: str
    people: int
    figures: dict[str, Figure]  # SHARES, and REQUIRED on a system's line

    @property
    def in_order(self) -> list[Figure]:
        """The figures in the tables' column order (the page's, the PDF's, the workbook's)."""
        return [self.figures[key] for key in (*SHARES, REQUIRED) if key in self.figures]


@dataclass(frozen=True)
class Tables:
    systems: list[Line]
    families: list[Line]
    protected: bool


NONE = Figure("—", None)


def _exact(share: float | None) -> Figure:
    if share is None:
        return NONE
    return Figure(f"{number_format(round(100 * share), 0)} %", round(100 * share, 1))


def exact(dossier: Dossier) -> Tables:
    """Every group's figures as they are (the lead's)."""

    def line(row: Row, required: bool) -> Line:
        figures = {"any": _exact(row.any_share)}
        figures |= {m: _exact(row.share(m)) for m in rules.MEASURES}
        if required:
            figures[REQUIRED] = _exact(row.required_share)
        return Line(row.name, row.coverage.people, figures)

    return Tables([line(r, True) for r in dossier.systems],
                  [line(r, False) for r in dossier.families], protected=False)  # fmt: skip


def _flags(dossier: Dossier) -> dict[str, np.ndarray]:
    """Per person, 0/1: any measure in place, and each measure."""
    state = dossier.state
    values = {"any": state.any.astype(np.float64)}
    values |= {m: (state.latest[m] != rules.NONE).astype(np.float64) for m in rules.MEASURES}
    return values


def _ids(dossier: Dossier) -> np.ndarray:
    """The people's stable ids (their primary keys), in the dossier's order."""
    return np.array([getattr(p, "pk", p) for p in dossier.people], dtype=np.int64)


def publication(dossier: Dossier, k: int) -> Publication:
    """The register as a protected publication for groups of at least `k`: a table per
    system (its people; the others outside it), one by job family (pooled); per person
    0/1 variables: any measure, each measure, and each system's required modules all done."""
    state = dossier.state
    n = len(dossier.people)
    values = _flags(dossier)
    shares = [Measure(key, key, ONE) for key in SHARES]
    tables = []
    for i, row in enumerate(dossier.systems):
        group = np.full(n, -1, dtype=np.int64)
        group[row.concerned] = 0
        measures = list(shares)
        if row.required.size:
            name = f"{REQUIRED}:{i}"
            values[name] = np.asarray(state.done[:, row.required].all(axis=1), dtype=np.float64)
            measures.append(Measure(REQUIRED, name, ONE))
        tables.append(Table(f"system-{i}", "system", group, [[row.name]], measures, [0], [False]))
    family = np.full(n, -1, dtype=np.int64)
    for f, row in enumerate(dossier.families):
        family[row.concerned] = f
    group, names, pooled = pool(family, [r.name for r in dossier.families], k)
    tables.append(Table("families", "family", group, names, shares, [0], pooled))
    found = Publication("register", k, {v: Variable(v, 0, 1) for v in values}, tables)

    def of(name: str, _period: int) -> np.ndarray:
        return np.ones(n) if name == ONE else values[name]

    compute_sums(found, of)
    protect(found, of)
    return found


def raw(found: Publication) -> list[dict[str, Any]]:
    """Each table's groups and figures as published, in no language (JSON-ready): what a
    reader's tables are drawn from (`tables_of`), kept with a quarter's release."""
    tables = []
    for t, table in enumerate(found.tables):
        measures = {}
        for measure in table.measures:
            values, span = found.values(t, measure, 0), found.span(measure)
            measures[measure.key] = {
                "values": [None if np.isnan(v) else float(v) for v in values.tolist()],
                "reasons": found.why(t, measure, 0).astype(int).tolist(),
                "steps": found.steps(t, measure, 0).astype(float).tolist(),
                "sides": found.bounded(t, measure, 0).astype(int).tolist(),
                "span": None if span is None else [float(end) for end in span],
            }
        tables.append({"names": table.names, "sizes": table.sizes().astype(int).tolist(),
                       "pooled": [bool(p) for p in table.pooled] if table.pooled else [],
                       "measures": measures})  # fmt: skip
    return tables


def _lines(table: dict[str, Any]) -> list[Line]:
    """A table of `raw` as lines of figures read in the current language."""
    columns = {}
    for key, m in table["measures"].items():
        column = []
        for value, reason, step, side in zip(m["values"], m["reasons"], m["steps"], m["sides"],
                                             strict=True):  # fmt: skip
            text, why, bound = figure_text(value, reason, step, side, m["span"], "%")
            exported = text if bound else None if value is None else round(100 * value)
            column.append(Figure(text or "—", exported, why or bound))
        columns[key] = column
    lines = []
    for g, names in enumerate(table["names"]):  # a system concerning nobody is listed too
        pooled = table["pooled"][g] if table["pooled"] else False
        name = _("Other: %(names)s") % {"names": ", ".join(names)} if pooled else names[0]
        lines.append(Line(name, table["sizes"][g], {key: c[g] for key, c in columns.items()}))
    return lines


def tables_of(figures: list[dict[str, Any]]) -> Tables:
    """The sponsor's and the council's tables from `raw` figures: one table per system, then
    the job families'."""
    systems = [Line(line.name, line.people, {REQUIRED: NONE} | line.figures)
               for table in figures[:-1] for line in _lines(table)]  # fmt: skip
    return Tables(systems, _lines(figures[-1]), protected=True)


def linked(first: bool, charter: object, before: object) -> set[str]:
    """The measures a quarter's counts cannot fall below the earlier quarter's: a measure in
    place stays so; the charter's acknowledgements and "any measure" only while the same
    charter is in force (a new version is acknowledged anew)."""
    return set(STAYING) | ({"charter", "any"} if not first and charter == before else set())


def audited(dossier: Dossier, k: int, earlier: list[across.Dated],
            links: list[set[str]]) -> tuple[list[dict[str, Any]], temporal.Release]:  # fmt: skip
    """A quarter's figures (`raw`) audited with the `earlier` quarters' releases (`links`:
    each quarter's, this one's last), and this quarter's release."""
    found = publication(dossier, k)
    if earlier:
        against(found, dossier, earlier, links, k)
    return raw(found), release(found, dossier)


def protected(dossier: Dossier, k: int, earlier: Iterable[Dossier] = ()) -> Tables:
    """The figures the sponsor and the works council read (`publication`), each quarter's
    audited with every earlier one as the council read it, from the oldest of `earlier` on
    (the application keeps each quarter's release: `governance.releases`)."""
    releases: list[across.Dated] = []
    links: list[set[str]] = []
    charter: object = None
    figures: list[dict[str, Any]] = []
    for i, found in enumerate(chain_of(earlier, [dossier])):  # one dossier held at a time
        links.append(linked(i == 0, _charter(found), charter))
        charter = _charter(found)
        figures, now = audited(found, k, releases, links)
        releases.append((found.day, now))
    return tables_of(figures)


def _charter(dossier: Dossier) -> int | None:
    return getattr(dossier.charter, "pk", None)


def release(found: Publication, dossier: Dossier) -> temporal.Release:
    """What a reader of `found` holds, for the audit across quarters."""
    values = _flags(dossier)
    return across.release(found, 0, lambda name, _period: values[name], _ids(dossier),
                          list(values))  # fmt: skip


def against(found: Publication, dossier: Dossier, earlier: list[across.Dated],
            links: list[set[str]], k: int) -> None:  # fmt: skip
    """Widen or hide figures of `found` until, read with the `earlier` quarters' releases
    (`links`: each quarter's, this one's last), nobody and no group under `k` people can be
    worked out (`compute.across`: through a figure of this quarter over the people concerned,
    the smallest group first)."""
    values = _flags(dossier)
    across.audit(found, {0: dossier.day}, lambda name, _period: values[name], _ids(dossier),
                 list(values), earlier, k, links)  # fmt: skip
