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

import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain as chain_of

import numpy as np
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tremplin.compute import literacy as rules
from tremplin.compute import temporal
from tremplin.compute.disclosure import protect
from tremplin.compute.publication import (
    COMPLEMENT,
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


def _lines(found: Publication, t: int) -> list[Line]:
    table = found.tables[t]
    sizes = table.sizes()
    columns = {}
    for measure in table.measures:
        values = found.values(t, measure, 0)
        reasons = found.why(t, measure, 0)
        steps = found.steps(t, measure, 0)
        sides = found.bounded(t, measure, 0)
        span = found.span(measure)
        column = []
        for g in range(table.n_groups):
            value = None if np.isnan(values[g]) else float(values[g])
            text, why, bound = figure_text(value, int(reasons[g]), float(steps[g]),
                                           int(sides[g]), span, "%")  # fmt: skip
            exported = text if bound else None if value is None else round(100 * value)
            column.append(Figure(text or "—", exported, why or bound))
        columns[measure.key] = column
    lines = []
    for g, names in enumerate(table.names):  # a system concerning nobody is listed too
        pooled = table.pooled[g] if table.pooled else False
        name = _("Other: %(names)s") % {"names": ", ".join(names)} if pooled else names[0]
        lines.append(Line(name, int(sizes[g]), {key: c[g] for key, c in columns.items()}))
    return lines


def protected(dossier: Dossier, k: int, earlier: Iterable[Dossier] = ()) -> Tables:
    """The figures the sponsor and the works council read (`publication`), each quarter's
    audited with every earlier one as the council read it, from the oldest of `earlier` on.
    Each quarter's is kept for a day under a digest of everything it depends on, its own data
    and every earlier quarter's (the same data gives the same figures)."""
    chain = ""
    releases: list[temporal.Release] = []
    linked: list[set[str]] = []
    charter: object = None
    tables: Tables | None = None
    for i, found in enumerate(chain_of(earlier, [dossier])):  # one dossier held at a time
        chain = hashlib.sha256(f"{chain}:{_digest(found, k)}".encode()).hexdigest()
        key = f"tremplin:register:{get_language()}:{chain}"
        # A measure in place stays so; the charter's acknowledgements and "any measure" only
        # while the same charter is in force.
        linked.append(set(STAYING) | ({"charter", "any"} if i and found.charter == charter
                                      else set()))  # fmt: skip
        charter = found.charter
        kept = cache.get(key)
        if kept is None:
            kept = _protected(found, k, releases, linked)
            cache.set(key, kept, 24 * 3600)
        tables, release = kept
        releases.append(release)
    assert tables is not None
    return tables


def council(dossier: Dossier, k: int, earlier: Sequence[datetime.date],
            build: Callable[[datetime.date], Dossier]) -> Tables:  # fmt: skip
    """`protected` for the quarter ends `earlier` (built with `build` only when the figures of
    this quarter are not kept yet: each takes seconds at 100,000 people)."""
    days = ",".join(day.isoformat() for day in earlier)
    key = f"tremplin:register-council:{get_language()}:{_digest(dossier, k)}:{days}"
    found = cache.get(key)
    if found is None:
        found = protected(dossier, k, (build(day) for day in earlier))
        cache.set(key, found, 24 * 3600)
    return found


def _digest(dossier: Dossier, k: int) -> str:
    state = dossier.state
    digest = hashlib.sha256(f"{k}:{len(dossier.people)}".encode())
    digest.update(_ids(dossier).tobytes())
    for row in (*dossier.systems, *dossier.families):
        digest.update(row.name.encode() + b"\0")
        digest.update(np.ascontiguousarray(row.concerned, dtype=np.int64).tobytes() + b"|")
        digest.update(np.ascontiguousarray(row.required, dtype=np.int64).tobytes() + b"|")
    for m in rules.MEASURES:
        digest.update((state.latest[m] != rules.NONE).tobytes())
    digest.update(np.packbits(state.done).tobytes())
    return digest.hexdigest()


def _protected(dossier: Dossier, k: int, earlier: list[temporal.Release],
               linked: list[set[str]]) -> tuple[Tables, temporal.Release]:  # fmt: skip
    found = publication(dossier, k)
    if earlier:
        _against(found, dossier, earlier, linked, k)
    systems = [Line(line.name, line.people, {REQUIRED: NONE} | line.figures)
               for t in range(len(dossier.systems)) for line in _lines(found, t)]  # fmt: skip
    tables = Tables(systems, _lines(found, len(dossier.systems)), protected=True)
    return tables, release(found, dossier)


def release(found: Publication, dossier: Dossier) -> temporal.Release:
    """What a reader of `found` holds, for the audit across quarters."""
    values = _flags(dossier)
    cells = []
    for t, table in enumerate(found.tables):
        for measure in table.measures:
            if measure.numerator == ONE or measure.numerator not in values:
                continue
            low, high = found.ranges(t, measure, 0)
            for g in np.flatnonzero(~np.isnan(low)).tolist():
                cells.append(temporal.Cell(table.key, g, measure.numerator, float(low[g]),
                                           float(high[g])))  # fmt: skip
    groups = {table.key: table.group for table in found.tables}
    return temporal.Release(_ids(dossier), groups, values, cells)


def _against(found: Publication, dossier: Dossier, earlier: list[temporal.Release],
             linked: list[set[str]], k: int) -> None:  # fmt: skip
    """Widen or hide figures of `found` until, read with the `earlier` releases, nobody and
    no group under `k` people can be worked out (`compute.temporal`). Each leak is closed
    through a figure of this quarter over the people concerned, the smallest group first;
    without one, the smallest group's figure of the variable: hiding every figure of a
    variable leaves the earlier releases, already audited, as they were."""
    people = _ids(dossier)
    for _round in range(10_000):
        now = release(found, dossier)
        leaks = temporal.leaks([*earlier, now], linked, k)
        if not leaks:
            return
        closed = [_close(found, leak.variable, np.flatnonzero(np.isin(people, leak.people)))
                  for leak in leaks]  # fmt: skip
        if not any(closed):  # nothing of this quarter left to hide: the leak is older
            return


def _close(found: Publication, name: str, rows: np.ndarray) -> bool:
    options = []
    for t, table in enumerate(found.tables):
        sizes = table.sizes()
        groups = table.group[rows]
        held = np.zeros(table.n_groups, bool)  # the groups holding the people concerned
        held[groups[groups >= 0]] = True
        for measure in table.measures:
            if measure.numerator != name:
                continue
            shown = found.shown(t, measure, 0) | (found.bounded(t, measure, 0) != 0)
            for g in np.flatnonzero(shown).tolist():
                options.append((not held[g], int(sizes[g]), t, g))
    if not options:
        return False
    _outside, _size, t, g = min(options)
    if not found.widen(t, name, 0, g):
        found.reason[(t, name, 0)][g] = COMPLEMENT
    return True
