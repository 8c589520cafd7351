"""A survey's results as a publication: every figure a ratio of two sums over a group of
respondents, protected and audited like every other figure an audience reads
(`compute.publication`, `compute.disclosure`).

Per respondent and question, whole-valued variables with exact public bounds:
`n:KEY` 1 when answered; for a scale, `v:KEY` the answer minus the scale's lowest point (the
mean is that lowest point plus Σv/Σn) and `o:KEY:POINT` 1 on the point chosen; for a choice,
`o:KEY:OPTION` 1 when chosen. Free text and colleagues are counted (`n:`) only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tremplin.compute import surveys as rules
from tremplin.compute.audiences import Split
from tremplin.compute.disclosure import Report, protect
from tremplin.compute.publication import (
    ONE,
    Measure,
    Publication,
    Table,
    Variable,
    compute_sums,
    pool,
)

TOTAL = "total"


@dataclass(frozen=True)
class Item:
    key: str
    kind: str
    options: tuple[str, ...] = ()

    def values(self) -> tuple[str, ...]:
        """What an answer's share is counted on: the points of a scale, the options."""
        limits = rules.bounds(self.kind)
        if limits is not None:
            return tuple(str(v) for v in range(limits[0], limits[1] + 1))
        return self.options if self.kind in rules.CHOICES else ()


def variables(items: Sequence[Item]) -> dict[str, Variable]:
    found: dict[str, Variable] = {}
    for item in items:
        found[f"n:{item.key}"] = Variable(f"n:{item.key}", 0, 1)
        limits = rules.bounds(item.kind)
        if limits is not None:
            found[f"v:{item.key}"] = Variable(f"v:{item.key}", 0, limits[1] - limits[0])
        for value in item.values():
            found[f"o:{item.key}:{value}"] = Variable(f"o:{item.key}:{value}", 0, 1)
    return found


def measures(items: Sequence[Item]) -> list[Measure]:
    """Per question: how many answered, the mean of a scale, the share of each point or
    option among those who answered."""
    found: list[Measure] = []
    for item in items:
        answered = f"n:{item.key}"
        found.append(Measure(f"{item.key}/answered", answered, None, precision=1.0))
        if rules.bounds(item.kind) is not None:
            found.append(Measure(f"{item.key}/mean", f"v:{item.key}", answered))
        for value in item.values():
            found.append(Measure(f"{item.key}/{value}", f"o:{item.key}:{value}", answered))
    return found


def values_of(
    items: Sequence[Item], answers: Sequence[Mapping[str, object]]
) -> dict[str, np.ndarray]:
    """Each variable's value for each respondent (one pass over the answers per question)."""
    found: dict[str, np.ndarray] = {}
    for item in items:
        given = [a.get(item.key) for a in answers]
        answered = np.array([g is not None and g != "" and g != [] for g in given], dtype=bool)
        found[f"n:{item.key}"] = answered.astype(np.float64)
        limits = rules.bounds(item.kind)
        if limits is not None:
            points = np.array(
                [int(str(g)) if a else limits[0] for g, a in zip(given, answered, strict=True)],
                dtype=np.int64,
            )
            found[f"v:{item.key}"] = np.where(answered, points - limits[0], 0).astype(np.float64)
            for value in item.values():
                found[f"o:{item.key}:{value}"] = (answered & (points == int(value))).astype(
                    np.float64
                )
        elif item.kind in rules.CHOICES:
            chosen = [
                set() if not a else set(map(str, g)) if isinstance(g, list) else {str(g)}
                for g, a in zip(given, answered, strict=True)
            ]
            for value in item.values():
                found[f"o:{item.key}:{value}"] = np.array(
                    [value in c for c in chosen], dtype=np.float64
                )
    return found


def build(
    audience: str,
    items: Sequence[Item],
    answers: Sequence[Mapping[str, object]],
    splits: Sequence[Split],
    k: int,
) -> tuple[Publication, Report, dict[str, np.ndarray]]:
    """The protected publication of one survey for `audience`: a total, then a table per
    split (small groups pooled). Returns it, its audit report, and the respondents' values."""
    value = values_of(items, answers)
    shown = measures(items)
    n = len(answers)
    tables = [
        Table(f"by-{TOTAL}", TOTAL, np.zeros(n, dtype=np.int64), [["all"]], shown, [0], [False])
    ]
    for split in splits:
        group, names, pooled = pool(split.group, split.names, k, split.parents)
        tables.append(Table(f"by-{split.key}", split.key, group, names, shown, [0], pooled))
    publication = Publication(audience, k, variables(items), tables)

    def of(name: str, _period: int) -> np.ndarray:
        return np.ones(n) if name == ONE else value[name]

    compute_sums(publication, of)
    return publication, protect(publication, of), value
