"""Stored publications: what an audience reads, kept per snapshot and read by its pages,
exports and reports.

The stored form holds the shown figures only (hidden ones as None, with the reason code), so
nothing a page renders can come from anywhere else. The works council and the executive
sponsor's publications are built with the snapshot and rebuilt when the lead changes a plan;
a manager's is built at their first visit.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tremplin.compute.publication import FEW, ONE, WIDER
from tremplin.compute.publication import Publication as Computed
from tremplin.insights.models import Audience, Publication
from tremplin.insights.publications import COMPANY, Built, audience_key, build
from tremplin.insights.snapshot import Figures, min_group_size
from tremplin.people.models import Person

# Why a figure is withheld, beyond the codes of `compute.publication`: a past quarter end is
# never republished, and this table did not exist (or this group differed) when it was.
EARLIER = 4
# The layout of the stored form; a row of another layout is rebuilt, never read.
FORMAT = 4


def _measures(pub: Computed, t: int, present: np.ndarray, names: list[str]) -> dict[str, Any]:
    """The figures of table `t`'s measures for its groups `present`, by period name."""
    table = pub.tables[t]
    measures: dict[str, Any] = {}
    for measure in table.measures:
        by_period: dict[str, Any] = {}
        for period in table.periods_of(measure):
            values = pub.values(t, measure, period)[present]
            why = pub.why(t, measure, period)[present]
            by_period[names[period]] = [
                [None if np.isnan(v) else float(v) for v in values.tolist()],
                [int(w) for w in why.tolist()],
                pub.steps(t, measure, period)[present].tolist(),
            ]
        measures[measure.key] = {
            "precision": measure.precision,
            "numerator": measure.numerator,
            "denominator": measure.denominator,
            "periods": by_period,
            "range": pub.span(measure),
        }
    return measures


def stored_form(built: Built) -> dict[str, Any]:
    """The figures `built` lets its audience read, hidden ones None with their reason, by
    period name; with who is in each group, for the outside audit. The usage figures, when
    there are, are more measures of the same tables (the same groups)."""
    pub: Computed = built.publication
    names = built.period_names
    usage = {t.key: u for u, t in enumerate(built.usage.tables)} if built.usage else {}
    tables = []
    for t, table in enumerate(pub.tables):
        present = np.flatnonzero(table.sizes() > 0)
        position = np.full(table.n_groups + 1, -1)
        position[present] = np.arange(present.size)
        measures = _measures(pub, t, present, names)
        if built.usage is not None and table.key in usage:
            measures.update(_measures(built.usage, usage[table.key], present, names))
        tables.append(
            {
                "key": table.key,
                "dimension": table.dimension,
                "names": [table.names[g] for g in present.tolist()],
                "pooled": [bool(table.pooled[g]) if table.pooled else False
                           for g in present.tolist()],
                "group_of": position[table.group].tolist(),
                "measures": measures,
                "frozen_groups": {},
            }
        )  # fmt: skip
    variables = dict(pub.variables)
    if built.usage is not None:
        variables.update(built.usage.variables)
    form = {
        "format": FORMAT,
        "audience": pub.audience,
        "k": pub.k,
        "periods": names,
        "variables": {name: [v.low, v.high] for name, v in variables.items()},
        "people": list(built.person_codes),
        "tables": tables,
        "frozen": {},
    }
    if built.usage is not None:
        first, last = built.usage_window
        form["usage"] = {"tools": built.usage_tools, "from": first, "to": last}
    return _counted(form)


def _counted(form: dict[str, Any]) -> dict[str, Any]:
    figures = 0
    withheld: dict[str, int] = {}
    bounded = widened = 0
    for table in form["tables"]:
        for measure in table["measures"].values():
            for values, why, *_steps in measure["periods"].values():
                figures += len(values)
                for value, code in zip(values, why, strict=True):
                    if value is None and code:
                        withheld[str(code)] = withheld.get(str(code), 0) + 1
                    elif code == FEW:
                        bounded += 1
                    elif code == WIDER:
                        widened += 1
    form["figures"] = figures
    form["withheld"] = withheld
    form["bounded"] = bounded
    form["widened"] = widened
    return form


def freeze(form: dict[str, Any], earlier: dict[str, Any], snapshot_id: int) -> dict[str, Any]:
    """Periods already published to this audience (in `earlier`, of snapshot `snapshot_id`:
    past quarter ends, and today when published earlier today) are copied from it, never
    recomputed: a person who left or moved since, or a group recomputed over other people,
    cannot be worked out by setting one publication against the next. A table or measure that
    did not exist then shows nothing for them."""
    previous = {table["key"]: table for table in earlier["tables"]}
    for name in form["periods"]:  # today's too, when published earlier the same day
        if name not in earlier["periods"]:
            continue
        form["frozen"][name] = earlier["frozen"].get(name, {"snapshot": snapshot_id})
        for table in form["tables"]:
            old = previous.get(table["key"])
            if old is None:  # one set of groups per table and date, for every measure
                groups = {"names": table["names"], "pooled": table["pooled"]}
            else:
                groups = old["frozen_groups"].get(name) or {
                    "names": old["names"],
                    "pooled": old["pooled"],
                }
            size = len(groups["names"])
            for key, measure in table["measures"].items():
                if name not in measure["periods"]:
                    continue
                found = {} if old is None else old["measures"].get(key, {})
                copied = found.get("periods", {}).get(name)
                measure["periods"][name] = copied or [
                    [None] * size,
                    [EARLIER] * size,
                    [measure["precision"]] * size,
                ]
            table["frozen_groups"][name] = groups
    return _counted(form)


@dataclass(frozen=True)
class ShownTable:
    """One table of a stored publication; periods are indexes into `Shown.periods`."""

    key: str
    dimension: str
    names: list[list[str]]  # the codes each group holds (several for a pool)
    pooled: list[bool]
    measures: dict[str, Any]
    period_names: list[str]
    frozen_groups: dict[str, Any]  # past quarter ends copied from an earlier publication

    def has(self, measure: str, period: int) -> bool:
        return self.period_names[period] in self.measures.get(measure, {}).get("periods", {})

    def _column(self, measure: str, period: int, row: int) -> list[Any]:
        """The figures (row 0), reasons (row 1) or rounding steps (row 2) of the current
        groups at `period`."""
        missing = [None, 0, self.measures.get(measure, {}).get("precision", 0.01)][row]
        if not self.has(measure, period):
            return [missing] * len(self.names)
        name = self.period_names[period]
        stored = self.measures[measure]["periods"][name][row]
        groups = self.frozen_groups.get(name)
        if groups is None or groups["names"] == self.names:
            return list(stored)
        at = {tuple(n): g for g, n in enumerate(groups["names"])}  # published over other groups
        gone = [None, EARLIER, missing][row]
        return [stored[at[tuple(n)]] if tuple(n) in at else gone
                for n in self.names]  # fmt: skip

    def values(self, measure: str, period: int) -> list[float | None]:
        """The figure of each group, None where withheld or not published for `period`."""
        return self._column(measure, period, 0)

    def reasons(self, measure: str, period: int) -> list[int]:
        return self._column(measure, period, 1)

    def steps(self, measure: str, period: int) -> list[float]:
        """The step each group's figure is rounded to (coarser on small groups)."""
        return self._column(measure, period, 2)

    def sides(self, measure: str, period: int) -> list[int]:
        """−1 where a figure shows an upper bound only ("at most"), +1 a lower bound ("at
        least"), 0 where it is exact or withheld: a figure withheld by the contributors rule
        keeps its bound when the bound tells no more than the rule."""
        span = self.measures.get(measure, {}).get("range")
        found = []
        for value, why in zip(self.values(measure, period), self.reasons(measure, period),
                              strict=True):  # fmt: skip
            if value is None or why != FEW or span is None:
                found.append(0)
            else:
                found.append(-1 if value - span[0] < span[1] - value else 1)
        return found

    def periods_of(self, measure: str) -> list[int]:
        found = self.measures.get(measure, {}).get("periods", {})
        return [p for p, name in enumerate(self.period_names) if name in found]


@dataclass(frozen=True)
class Shown:
    """A stored publication, as its audience reads it."""

    audience: str
    k: int
    periods: list[str]
    figures: int
    withheld: dict[int, int]
    bounded: int  # figures shown as a bound only
    widened: int  # figures rounded more coarsely than their group's step
    tables: list[ShownTable]
    # The AI-tool usage figures: the key of each tool -> its name, and the window's first and
    # last day (ISO); empty without usage data.
    usage_tools: dict[str, str] = field(default_factory=dict)
    usage_window: tuple[str, str] = ("", "")

    @classmethod
    def read(cls, data: dict[str, Any]) -> Shown:
        periods = list(data["periods"])
        tables = [
            ShownTable(t["key"], t["dimension"], t["names"], t["pooled"], t["measures"], periods,
                       t["frozen_groups"])
            for t in data["tables"]
        ]  # fmt: skip
        withheld = {int(code): int(n) for code, n in data["withheld"].items()}
        usage = data.get("usage") or {}
        window = (str(usage.get("from", "")), str(usage.get("to", "")))
        return cls(data["audience"], int(data["k"]), periods, int(data["figures"]), withheld,
                   int(data["bounded"]), int(data["widened"]), tables,
                   dict(usage.get("tools", {})), window)  # fmt: skip

    def table(self, key: str) -> ShownTable | None:
        return next((t for t in self.tables if t.key == key), None)

    def figure_id(self, table: ShownTable, group: int, measure: str, period: int) -> str:
        """The figure's id in `tremplin publication`'s output."""
        label = "+".join(table.names[group])
        return f"{table.key}/{self.periods[period]}/{table.dimension}={label}/{measure}"


def _form(row: Publication) -> dict[str, Any]:
    return dict(json.loads(zlib.decompress(bytes(row.data))))


def publish(f: Figures, audience: str, manager: Person | None = None) -> dict[str, Any]:
    """Build `audience`'s publication on `f`, freeze the past quarter ends it already
    published on an earlier snapshot, and store it."""
    from tremplin.insights import releases

    started = time.perf_counter()
    built = build(f, audience, manager)
    key = audience_key(audience, manager)
    earlier = (
        Publication.objects.filter(audience=key, snapshot_id__lt=f.snapshot_id)
        .order_by("-snapshot_id")
        .first()
    )
    previous = _form(earlier) if earlier is not None else None
    if previous is not None and previous.get("format") != FORMAT:
        previous = None
    released = []
    if manager is None:  # a manager reads their line's people one by one anyway
        frozen = set(previous["periods"]) if previous is not None else set()
        released = releases.audited(built, frozen, key, built.publication.k)
    form = stored_form(built)
    if previous is not None and earlier is not None:
        form = freeze(form, previous, earlier.snapshot_id)
    releases.keep(key, built.publication.k, released)
    Publication.objects.update_or_create(
        snapshot_id=f.snapshot_id,
        audience=key,
        defaults={
            "min_group_size": built.publication.k,
            "seconds": time.perf_counter() - started,
            "data": zlib.compress(json.dumps(form, separators=(",", ":")).encode()),
        },
    )
    return form


def publish_company(f: Figures, audiences: tuple[str, ...] = COMPANY,
                    first_only: bool = False) -> tuple[str, ...]:  # fmt: skip
    """The works council's and the executive sponsor's publications: at the first snapshot,
    then at the first snapshot after each quarter end (`due`); in between they read the last
    one (`insights.releases`: each release is audited with every earlier one). `first_only`:
    publish only for an audience that has none yet; the others due are returned."""
    left = []
    for audience in audiences:
        if not due(f, audience):
            continue
        if first_only and Publication.objects.filter(audience=audience).exists():
            left.append(audience)
        else:
            publish(f, audience)
    return tuple(left)


def due(f: Figures, audience: str) -> bool:
    """Whether a quarter has ended since `audience`'s last publication (or it has none, or
    one of another minimum group size or layout)."""
    last = (
        Publication.objects.filter(audience=audience, snapshot_id__lte=f.snapshot_id)
        .order_by("-snapshot_id")
        .first()
    )
    if last is None or last.min_group_size != min_group_size():
        return True
    form = _form(last)
    if form.get("format") != FORMAT:
        return True
    shown_on = dt.date.fromisoformat(form["periods"][-1])  # the day it was published for
    return any(end > shown_on for end in f.periods[:-1])


def forget(audience: str, snapshot_id: int) -> None:
    """Drop the publications of the snapshot `snapshot_id` for `audience` (its plan changed;
    for managers, every manager's). Earlier snapshots' stay: later ones freeze against them."""
    rows = Publication.objects.filter(snapshot_id=snapshot_id)
    if audience == Audience.MANAGER:
        rows.filter(audience__startswith=f"{Audience.MANAGER}:").delete()
    else:
        rows.filter(audience=audience).delete()


def _stored(f: Figures, audience: str, manager: Person | None) -> tuple[dict[str, Any] | None, str]:
    """The stored form (a manager's built when missing, one of an older layout rebuilt; None
    for a company audience being rebuilt) and the key it is kept under in memory ("" when
    just built)."""
    # A company audience reads its last publication (one a quarter); a manager, the snapshot's.
    on = {"snapshot_id": f.snapshot_id} if manager else {"snapshot_id__lte": f.snapshot_id}
    found = (
        Publication.objects.filter(
            **on, audience=audience_key(audience, manager), min_group_size=min_group_size()
        )
        .order_by("-snapshot_id")
        .values_list("pk", "built_at")
        .first()
    )
    if found is None:
        return (None, "") if manager is None else (publish(f, audience, manager), "")
    pk, built_at = found
    key = f"publication:{pk}:{built_at.isoformat()}"
    form = f.memo(key, lambda: _form(Publication.objects.get(pk=pk)))
    if form.get("format") != FORMAT:  # stored by an older version (an upgrade): rebuild it
        return publish(f, audience, manager), ""
    return form, key


def stored(f: Figures, audience: str, manager: Person | None = None) -> dict[str, Any] | None:
    """The stored form of `audience`'s publication on `f`."""
    return _stored(f, audience, manager)[0]


def shown(f: Figures, audience: str, manager: Person | None = None) -> Shown | None:
    """The stored publication of `audience` on `f`, as its pages read it (a manager's is built
    when missing; the company's are built with the snapshot: None while being rebuilt)."""
    form, key = _stored(f, audience, manager)
    if form is None:
        return None
    return f.memo(f"{key}:read", lambda: Shown.read(form)) if key else Shown.read(form)


def export_form(form: dict[str, Any]) -> dict[str, Any]:
    """A stored publication in the outside-audit format of `tremplin publication`: every
    figure, hidden ones null, with its members at that period (for a frozen past quarter
    end, the people of the publication that first showed it)."""
    people = np.asarray(form["people"], dtype=object)
    origins: dict[int, dict[str, Any]] = {}

    def members_of(table: dict[str, Any], period: str) -> list[list[str]]:
        frozen = form["frozen"].get(period)
        if frozen is None:
            group_of, names, ids = table["group_of"], table["names"], people
        else:
            sid = int(frozen["snapshot"])
            if sid not in origins:
                row = Publication.objects.get(snapshot_id=sid, audience=form["audience"])
                origins[sid] = _form(row)
            origin = origins[sid]
            twin = next((t for t in origin["tables"] if t["key"] == table["key"]), None)
            names = table["frozen_groups"][period]["names"]
            if twin is None:
                return [[] for _n in names]
            at = {tuple(n): g for g, n in enumerate(twin["names"])}
            ids = np.asarray(origin["people"], dtype=object)
            group_of = [at.get(tuple(n), -1) for n in names]
            where = np.asarray(twin["group_of"])
            return [ids[where == g].tolist() if g >= 0 else [] for g in group_of]
        where = np.asarray(group_of)
        return [ids[where == g].tolist() for g in range(len(names))]

    figures: list[dict[str, Any]] = []
    for table in form["tables"]:
        for key, measure in table["measures"].items():
            for period, (values, _why, steps) in measure["periods"].items():
                groups = table["frozen_groups"].get(period, table)
                members = members_of(table, period)
                for g, value in enumerate(values):
                    label = "+".join(groups["names"][g])
                    figures.append(
                        {
                            "id": f"{table['key']}/{period}/{table['dimension']}={label}/{key}",
                            "period": period,
                            "members": members[g],
                            "numerator": measure["numerator"],
                            "denominator": measure["denominator"],
                            "value": value,
                            "precision": steps[g],
                        }
                    )
    return {
        "audience": form["audience"].partition(":")[0],
        "min_group": form["k"],
        "variables": {**form["variables"], ONE: [1, 1]},
        "figures": figures,
    }
