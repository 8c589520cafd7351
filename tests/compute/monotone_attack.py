"""An attacker who keeps every release of a publication and knows that some 0/1 values never
go away (an assessment, once recorded, stays): an integer program over each person's values at
each release, every shown figure's rounding range, and the links between a person's values at
following releases. What it pins down, leaving out a group fact: a value every member of a
shown group of at least `k` people holds, stated by its figure or worked out (each member's
value pinned; in any variable, whichever figures show the group), and what the link carries
from it (all of them forward, none backward)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp


def pinned(readings: Sequence[dict[str, object]], variables: Sequence[str], k: int,
           any_of: dict[str, Sequence[str]] | None = None,
           per_head: dict[str, str] | None = None,
           sums: dict[str, tuple[str, Sequence[str]]] | None = None,
           ) -> list[tuple[str, str, str, int]]:  # fmt: skip
    """(person, variable, period, value) the figures of all `readings` (exports of
    `compute.publication.export`, periods named in date order) pin down. `any_of[v]`: v holds
    exactly when one of those does; `per_head[v]`: the denominator of v's shares that counts
    one per person (else "one"); `sums[s] = (d, parts)`: a figure of s over denominator d
    is the share of a group's people × `parts` (variables) that hold (a tier's competences
    assessed)."""
    any_of, per_head, sums = any_of or {}, per_head or {}, sums or {}
    column: dict[tuple[str, str, str], int] = {}
    rows: list[dict[int, float]] = []
    low: list[float] = []
    high: list[float] = []
    facts: dict[tuple[str, str, str], int] = {}
    groups: list[list[tuple[str, str, str]]] = []  # each shown group's values, ≥ k people
    shown: set[tuple[tuple[str, ...], str]] = set()  # (members, period) of each such group
    for reading in readings:
        for fig in reading["figures"]:  # type: ignore[attr-defined]
            name = fig["numerator"]
            if fig["value"] is not None and name in sums and fig["denominator"] == sums[name][0]:
                parts, q = sums[name][1], fig["period"]
                size = len(fig["members"]) * len(parts)
                value, step = fig["value"], fig["precision"]
                rows.append({column.setdefault((p, v, q), len(column)): 1.0
                             for p in fig["members"] for v in parts})  # fmt: skip
                low.append(np.ceil((value - step / 2) * size - 1e-6))
                high.append(np.floor((value + step / 2) * size + 1e-6))
                if len(fig["members"]) >= k:
                    shown.add((tuple(fig["members"]), q))
                    groups.append([(p, v, q) for p in fig["members"] for v in parts])
                    if low[-1] == high[-1] and low[-1] in (0, size):
                        facts |= dict.fromkeys(groups[-1], int(low[-1] > 0))
                continue
            if fig["value"] is None or name not in variables:
                continue
            if fig["denominator"] != per_head.get(name, "one"):
                continue
            size, value, step = len(fig["members"]), fig["value"], fig["precision"]
            rows.append({column.setdefault((p, name, fig["period"]), len(column)): 1.0
                         for p in fig["members"]})  # fmt: skip
            low.append(np.ceil((value - step / 2) * size - 1e-6))
            high.append(np.floor((value + step / 2) * size + 1e-6))
            if size >= k:
                shown.add((tuple(fig["members"]), fig["period"]))
                groups.append([(p, name, fig["period"]) for p in fig["members"]])
                if low[-1] == high[-1] and low[-1] in (0, size):
                    facts |= dict.fromkeys(groups[-1], int(low[-1] > 0))
    # A shown group is one whatever figure shows it: a fact about it in any variable (its
    # people all assessed, worked out from its tiers' figures) is a group fact too.
    held = {*variables, *(part for _d, parts in sums.values() for part in parts)}
    groups += [[(p, v, q) for p in members] for members, q in sorted(shown) for v in sorted(held)]
    people = {(p, q) for p, _v, q in column}
    for (p, q), v in itertools.product(people, variables):
        column.setdefault((p, v, q), len(column))
    for (p, q), (v, parts) in itertools.product(people, any_of.items()):
        for part in parts:
            rows.append({column[(p, v, q)]: 1.0, column[(p, part, q)]: -1.0})
            low.append(0.0)
            high.append(np.inf)
        rows.append({column[(p, v, q)]: 1.0} | {column[(p, part, q)]: -1.0 for part in parts})
        low.append(-np.inf)
        high.append(0.0)
    periods = sorted({q for _p, q in people})
    for before, after in itertools.pairwise(periods):
        for p in sorted(p for p, q in people if q == after and (p, before) in people):
            for v in variables:  # what was in place stays so
                rows.append({column[(p, v, after)]: 1.0, column[(p, v, before)]: -1.0})
                low.append(0.0)
                high.append(np.inf)
    _carry(facts, people, periods)
    n = len(column)
    matrix = sparse.lil_matrix((len(rows), n))
    for i, row in enumerate(rows):
        for j, a in row.items():
            matrix[i, j] = a
    constraints = LinearConstraint(matrix.tocsr(), low, high)
    whole, unit = np.ones(n), Bounds(np.zeros(n), np.ones(n))
    solution = milp(np.zeros(n), constraints=constraints, integrality=whole, bounds=unit)
    assert solution.status == 0, solution.message  # the truth is one solution
    seen = np.round(solution.x)
    open_ = set(range(n))
    while open_:  # push every open value away from the solution seen, all at once
        cost = np.zeros(n)
        ids = np.array(sorted(open_), dtype=int)
        cost[ids] = np.where(seen[ids] == 1, 1.0, -1.0)
        moved = _pushed(cost, constraints, seen, open_)
        if not moved:
            break
        open_ -= moved
    names = list(column)
    found: dict[tuple[str, str, str], int] = {}
    open_ = {j for j in open_ if names[j] not in facts}
    while open_:  # each left alone: its other value, or none
        j = min(open_)
        lo, hi = np.zeros(n), np.ones(n)
        lo[j] = hi[j] = 1 - seen[j]
        other = milp(np.zeros(n), constraints=constraints, integrality=whole,
                     bounds=Bounds(lo, hi))  # fmt: skip
        if other.status != 0:
            found[names[j]] = int(seen[j])
            open_.discard(j)
        else:
            open_ -= {i for i in open_ if round(other.x[i]) != seen[i]}
    grown = True
    while grown:  # a group whose every value is known and the same: a fact worked out
        grown = False
        for group in groups:
            known = {facts.get(key, found.get(key)) for key in group}
            if len(known) == 1 and None not in known and not set(group) <= set(facts):
                facts |= dict.fromkeys(group, known.pop())
                _carry(facts, people, periods)
                grown = True
    return [(*key, value) for key, value in found.items() if key not in facts]


Key = tuple[str, str, str]  # person, variable, period


def _pushed(cost: np.ndarray, constraints: LinearConstraint, seen: np.ndarray,
            open_: set[int]) -> set[int]:  # fmt: skip
    """The open values some solution of `constraints` moves away from `seen` (`cost` lower
    when they move). Any solution moving some will do: what is left is settled one by one,
    exactly, after. First the values the linear relaxation leaves fractional, the others held
    where it puts them (a program of few free columns); when that moves none, the whole
    program within 100 nodes. On the six across-days histories the attacks took 32 s in all,
    against 107 s pushing the whole program each time (2026-12-06), with the same findings."""
    n = cost.size
    whole, unit = np.ones(n), Bounds(np.zeros(n), np.ones(n))
    relaxed = milp(cost, constraints=constraints, integrality=np.zeros(n), bounds=unit)
    if relaxed.x is None:
        return set()
    box = Bounds(np.floor(relaxed.x + 1e-6), np.ceil(relaxed.x - 1e-6))
    for bounds in (box, unit):
        pushed = milp(cost, constraints=constraints, integrality=whole, bounds=bounds,
                      options={"node_limit": 100})  # fmt: skip
        if pushed.x is not None:
            other = np.round(pushed.x)
            moved = {j for j in open_ if other[j] != seen[j]}
            if moved:
                return moved
    return set()


def _carry(facts: dict[Key, int], people: set[tuple[str, str]], periods: list[str]) -> None:
    """A fact's value carried by the link: 1 to the person's following periods, 0 to the
    preceding ones, while they are counted at each."""
    for (p, v, q), value in list(facts.items()):
        at = periods.index(q)
        step = 1 if value else -1
        while 0 <= at + step < len(periods) and (p, periods[at + step]) in people:
            at += step
            facts.setdefault((p, v, periods[at]), value)
