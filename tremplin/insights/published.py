"""Stored publications: what an audience reads, kept per snapshot and read by its pages,
exports and reports.

The stored form holds the shown figures only (hidden ones as None, with the reason code), so
nothing a page renders can come from anywhere else. The works council and the executive
sponsor's publications are built with the snapshot and rebuilt when the lead changes a plan;
a manager's is built at their first visit.
"""

from __future__ import annotations

import json
import time
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from tremplin.compute.publication import Publication as Computed
from tremplin.insights.models import Audience, Publication
from tremplin.insights.publications import COMPANY, Built, build
from tremplin.insights.snapshot import Figures, min_group_size
from tremplin.people.models import Person


def stored_form(built: Built) -> dict[str, Any]:
    """The figures `built` lets its audience read, hidden ones None with their reason."""
    pub: Computed = built.publication
    tables = []
    for t, table in enumerate(pub.tables):
        present = np.flatnonzero(table.sizes() > 0)
        measures: dict[str, Any] = {}
        for measure in table.measures:
            by_period: dict[str, Any] = {}
            for period in table.periods_of(measure):
                values = pub.values(t, measure, period)[present]
                why = pub.why(t, measure, period)[present]
                by_period[str(period)] = [
                    [None if np.isnan(v) else float(v) for v in values.tolist()],
                    [int(w) for w in why.tolist()],
                ]
            measures[measure.key] = {"precision": measure.precision, "periods": by_period}
        tables.append(
            {
                "key": table.key,
                "dimension": table.dimension,
                "names": [table.names[g] for g in present.tolist()],
                "pooled": [bool(table.pooled[g]) if table.pooled else False
                           for g in present.tolist()],
                "measures": measures,
            }
        )  # fmt: skip
    return {
        "audience": pub.audience,
        "k": pub.k,
        "periods": built.period_names,
        "figures": pub.figure_count(),
        "withheld": {str(code): n for code, n in pub.withheld().items()},
        "tables": tables,
    }


@dataclass(frozen=True)
class ShownTable:
    key: str
    dimension: str
    names: list[list[str]]  # the codes each group holds (several for a pool)
    pooled: list[bool]
    measures: dict[str, Any]

    def has(self, measure: str, period: int) -> bool:
        return str(period) in self.measures.get(measure, {}).get("periods", {})

    def values(self, measure: str, period: int) -> list[float | None]:
        """The figure of each group, None where hidden (or not published for `period`)."""
        if not self.has(measure, period):
            return [None] * len(self.names)
        return list(self.measures[measure]["periods"][str(period)][0])

    def reasons(self, measure: str, period: int) -> list[int]:
        if not self.has(measure, period):
            return [0] * len(self.names)
        return list(self.measures[measure]["periods"][str(period)][1])

    def periods_of(self, measure: str) -> list[int]:
        return sorted(int(p) for p in self.measures.get(measure, {}).get("periods", {}))


@dataclass(frozen=True)
class Shown:
    """A stored publication, as its audience reads it."""

    audience: str
    k: int
    periods: list[str]
    figures: int
    withheld: dict[int, int]
    tables: list[ShownTable]

    @classmethod
    def read(cls, data: dict[str, Any]) -> Shown:
        return cls(
            data["audience"],
            int(data["k"]),
            list(data["periods"]),
            int(data["figures"]),
            {int(code): int(n) for code, n in data["withheld"].items()},
            [ShownTable(**table) for table in data["tables"]],
        )

    def table(self, key: str) -> ShownTable | None:
        return next((t for t in self.tables if t.key == key), None)

    def figure_id(self, table: ShownTable, group: int, measure: str, period: int) -> str:
        """The figure's id in `tremplin publication`'s output."""
        label = "+".join(table.names[group])
        return f"{table.key}/{self.periods[period]}/{table.dimension}={label}/{measure}"


def _save(snapshot_id: int, key: str, built: Built, seconds: float) -> dict[str, Any]:
    form = stored_form(built)
    data = zlib.compress(json.dumps(form, separators=(",", ":")).encode())
    Publication.objects.update_or_create(
        snapshot_id=snapshot_id,
        audience=key,
        defaults={"min_group_size": built.publication.k, "seconds": seconds, "data": data},
    )
    return form


def publish(f: Figures, audience: str, manager: Person | None = None) -> dict[str, Any]:
    """Build `audience`'s publication on `f` and store it."""
    started = time.perf_counter()
    built = build(f, audience, manager)
    key = audience if manager is None else f"{Audience.MANAGER}:{manager.pk}"
    return _save(f.snapshot_id, key, built, time.perf_counter() - started)


def publish_company(f: Figures, audiences: tuple[str, ...] = COMPANY) -> None:
    """The works council's and the executive sponsor's publications of a snapshot."""
    for audience in audiences:
        publish(f, audience)


def forget(audience: str) -> None:
    """Drop an audience's stored publications (its plan changed); managers' all go."""
    if audience == Audience.MANAGER:
        Publication.objects.filter(audience__startswith=f"{Audience.MANAGER}:").delete()
    else:
        Publication.objects.filter(audience=audience).delete()


def shown(f: Figures, audience: str, manager: Person | None = None) -> Shown | None:
    """The stored publication of `audience` on `f` (a manager's is built when missing; the
    company's are built with the snapshot: None while being rebuilt)."""
    key = audience if manager is None else f"{Audience.MANAGER}:{manager.pk}"

    k = min_group_size()
    rows = Publication.objects.filter(snapshot_id=f.snapshot_id, audience=key, min_group_size=k)
    found = rows.values_list("pk", "built_at").first()
    if found is None:
        if manager is None:
            return None
        return Shown.read(publish(f, audience, manager))
    pk, built_at = found

    def load() -> Shown:
        data = Publication.objects.values_list("data", flat=True).get(pk=pk)
        return Shown.read(json.loads(zlib.decompress(bytes(data))))

    return f.memo(f"shown:{pk}:{built_at.isoformat()}", load)
