"""Following a plan: the order a person can take its modules in, and the year of each.

A module can be taken once its prerequisites are done (or waived: the person already holds
every level it brings) and its entry levels are held. Taking a module never blocks another, so
taking any ready module until none is left finds an order whenever one exists (`follow`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from tremplin.compute.training_catalogue import Catalogue, Need


def held(catalogue: Catalogue, need: Need) -> frozenset[int]:
    """Completed modules, and those whose every raise the person already holds: a prerequisite
    the person's current levels cover is waived (nobody is sent through what they know)."""
    return need.done | frozenset(catalogue.covered(need.current).tolist())


def follow(
    catalogue: Catalogue,
    need: Need,
    modules: Sequence[int],
    key: Callable[[int], Any] | None = None,
) -> tuple[list[int], list[int]]:
    """The modules in an order that can be followed (each taken once its prerequisites are done
    and its entry levels held), and those that can never be taken (empty for a plan that can
    be followed; taking a module never blocks another, so this finds an order whenever one
    exists). The next module is always the first by `key` (by index without) among those
    ready: each module counts what it still waits on, and taking one releases the others."""
    rank = {m: (key(m) if key is not None else 0, m) for m in modules}
    reached, taken = list(need.current), set(held(catalogue, need))
    chosen = set(modules)
    waits: dict[int, int] = {}
    on_module: dict[int, list[int]] = {}
    on_level: dict[int, list[tuple[int, int]]] = {}
    ready: list[tuple[Any, int]] = []
    for m in modules:
        module = catalogue.modules[m]
        count = 0
        for p in module.prerequisites:
            if p not in taken:
                count += 1
                on_module.setdefault(p, []).append(m)
        for c, low, _ in module.raises:
            if reached[c] < low:
                count += 1
                on_level.setdefault(c, []).append((low, m))
        waits[m] = count
        if count == 0:
            heapq.heappush(ready, (rank[m], m))
    for waiting in on_level.values():
        waiting.sort(reverse=True)  # lowest entry level last: released first
    order: list[int] = []
    while ready:
        _, m = heapq.heappop(ready)
        order.append(m)
        released = list(on_module.get(m, ()))
        for c, _, high in catalogue.modules[m].raises:
            if high > reached[c]:
                reached[c] = high
                waiting = on_level.get(c, [])
                while waiting and waiting[-1][0] <= high:
                    released.append(waiting.pop()[1])
        for other in released:
            waits[other] -= 1
            if waits[other] == 0 and other in chosen:
                heapq.heappush(ready, (rank[other], other))
    done = set(order)
    return order, sorted((m for m in modules if m not in done), key=lambda m: rank[m])


def takes_in_order(
    catalogue: Catalogue, bundle: Sequence[int], reached: Sequence[int], taken: set[int]
) -> bool:
    """Whether the bundle can be followed in its order from these levels and modules."""
    levels, done = list(reached), set(taken)
    for m in bundle:
        module = catalogue.modules[m]
        if any(p not in done for p in module.prerequisites):
            return False
        if any(levels[c] < low for c, low, _ in module.raises):
            return False
        done.add(m)
        for c, _, high in module.raises:
            levels[c] = max(levels[c], high)
    return True


def reachable_level(
    catalogue: Catalogue, competence: int, start: int, allowed: np.ndarray | None = None
) -> int:
    """The highest level the catalogue can bring a competence to from `start`."""
    reached = start
    progress = True
    while progress:
        progress = False
        for level in range(reached + 1, 5):
            for m in catalogue.covers[competence][level]:
                if allowed is not None and not allowed[m]:
                    continue
                raised = next(
                    (high for c, low, high in catalogue.modules[m].raises if c == competence), 0
                )
                if raised > reached and any(
                    c == competence and low <= reached for c, low, _ in catalogue.modules[m].raises
                ):
                    reached = raised
                    progress = True
    return reached


def before(catalogue: Catalogue, m: int, chosen: set[int]) -> list[int]:
    """Chosen modules that must come before `m`: its prerequisites and its entry steps."""
    before = [p for p in catalogue.modules[m].prerequisites if p in chosen]
    for c, low, _ in catalogue.modules[m].raises:
        if low:
            before += [o for o in catalogue.covers[c][low] if o in chosen and o != m]
    return before


def schedule(
    catalogue: Catalogue,
    need: Need,
    modules: Sequence[int],
    not_before: dict[int, int] | None = None,
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The modules in the order to follow, and the year of each.

    Order: a module comes once its prerequisites are done and its entry levels held (`follow`),
    and among those ready the most weighted gap steps per hour first (so that the first year,
    filled in that order, holds what is worth most: `bench/plans.py` measures how often an
    integer program finds better), then theory before practice, then code. Each module goes
    into the earliest year, not before the years of the modules it waits on, that still has
    room under the yearly maximum; the plan is shown by year, then in that order, so it can be
    followed as shown.
    """

    def density(m: int) -> float:
        """Weighted gap steps the module closes from the person's levels, per hour."""
        module = catalogue.modules[m]
        value = sum(
            (1.0 + need.weight[c]) * max(0, min(high, need.target[c]) - max(low, need.current[c]))
            for c, low, high in module.raises
        )
        return value / max(module.hours, 0.5)

    def key(m: int) -> tuple[float, int, str]:
        return (-density(m), catalogue.modules[m].order, catalogue.modules[m].code)

    order, stuck = follow(catalogue, need, modules, key)
    order += sorted(stuck, key=key)  # never for an optimiser's plan (see `_followable`)
    # level_year[c][level]: the year from which the person holds `level` in competence c
    level_year = [dict.fromkeys(range(need.current[c] + 1), 0) for c in range(len(need.current))]
    year_of: dict[int, int] = {}
    load: dict[int, float] = {}
    for m in order:
        module = catalogue.modules[m]
        waits = [year_of[p] for p in module.prerequisites if p in year_of]
        waits += [level_year[c].get(low, 1) for c, low, _ in module.raises]
        year = max([1, (not_before or {}).get(m, 1), *waits])
        while load.get(year, 0.0) > 0 and load[year] + module.hours > need.max_hours + 1e-9:
            year += 1
        year_of[m] = year
        load[year] = load.get(year, 0.0) + module.hours
        for c, _, high in module.raises:
            for level in range(high + 1):
                level_year[c].setdefault(level, year)
    rank = {m: i for i, m in enumerate(order)}
    ordered = sorted(order, key=lambda m: (year_of[m], rank[m]))
    return tuple(ordered), tuple(year_of[m] for m in ordered)
