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
    # Each module's rank ends with the module: ranks never tie, and the heap holds ranks alone.
    rank = {m: (key(m) if key is not None else 0, m) for m in modules}
    reached, taken = list(need.current), held(catalogue, need)
    catalogue_modules = catalogue.modules
    waits: dict[int, int] = {}
    on_module: dict[int, list[int]] = {}
    on_level: dict[int, list[tuple[int, int]]] = {}
    ready: list[tuple[Any, int]] = []
    for m in modules:
        module = catalogue_modules[m]
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
            ready.append(rank[m])
    heapq.heapify(ready)
    for waiting in on_level.values():
        waiting.sort(reverse=True)  # lowest entry level last: released first
    order: list[int] = []
    while ready:
        m = heapq.heappop(ready)[1]
        order.append(m)
        released = list(on_module.get(m, ()))
        for c, _, high in catalogue_modules[m].raises:
            if high > reached[c]:
                reached[c] = high
                waiting = on_level.get(c, [])
                while waiting and waiting[-1][0] <= high:
                    released.append(waiting.pop()[1])
        for other in released:
            waits[other] -= 1
            if waits[other] == 0:
                heapq.heappush(ready, rank[other])
    done = set(order)
    return order, sorted((m for m in modules if m not in done), key=rank.__getitem__)


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
    current, target, weight = need.current, need.target, need.weight
    catalogue_modules = catalogue.modules
    keys: dict[int, tuple[float, int, str]] = {}
    for m in modules:
        module = catalogue_modules[m]
        value = 0.0  # weighted gap steps the module closes from the person's levels
        for c, low, high in module.raises:
            top, bottom = min(high, target[c]), max(low, current[c])
            if top > bottom:
                value += (1.0 + weight[c]) * (top - bottom)
        keys[m] = (-value / max(module.hours, 0.5), module.order, module.code)  # per hour
    key = keys.__getitem__
    order, stuck = follow(catalogue, need, modules, key)
    order += sorted(stuck, key=key)  # never for an optimiser's plan (see `_followable`)
    # level_year[c][level]: the year from which the person holds `level` in competence c
    level_year = [[0] * (level + 1) for level in current]
    later = not_before or {}
    limit = need.max_hours + 1e-9
    year_of: dict[int, int] = {}
    load: dict[int, float] = {}
    for m in order:
        module = catalogue_modules[m]
        year = max(1, later.get(m, 1))
        for p in module.prerequisites:
            if p in year_of and year_of[p] > year:
                year = year_of[p]
        for c, low, _ in module.raises:
            known = level_year[c]
            wait = known[low] if low < len(known) else 1
            if wait > year:
                year = wait
        hours = module.hours
        while year in load and load[year] > 0 and load[year] + hours > limit:
            year += 1
        year_of[m] = year
        load[year] = load.get(year, 0.0) + hours
        for c, _, high in module.raises:
            known = level_year[c]
            if high >= len(known):
                known += [year] * (high + 1 - len(known))
    ordered = sorted(order, key=year_of.__getitem__)  # stable: in that order within a year
    return tuple(ordered), tuple(year_of[m] for m in ordered)
