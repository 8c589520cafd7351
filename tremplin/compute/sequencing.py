"""Following a plan: the order a person can take its modules in, and the year of each.

A module can be taken once its prerequisites are done (or waived: the person already holds
every level it brings) and its entry levels are held. Taking a module never blocks another, so
taking any ready module until none is left finds an order whenever one exists (`follow`).
"""

from __future__ import annotations

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
    exists). With `key`, the next module is always the first by `key` among those ready;
    without, every ready module is taken in each pass (faster, for checking)."""
    reached, taken = list(need.current), set(held(catalogue, need))
    left, order = sorted(modules, key=key), []
    progress = True
    while left and progress:
        progress = False
        waiting = []
        for m in left:
            module = catalogue.modules[m]
            if (progress and key is not None) or not (
                all(p in taken for p in module.prerequisites)
                and all(reached[c] >= low for c, low, _ in module.raises)
            ):
                waiting.append(m)
                continue
            order.append(m)
            taken.add(m)
            for c, _, high in module.raises:
                reached[c] = max(reached[c], high)
            progress = True
        left = waiting
    return order, left


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
    and among those ready the competences that weigh most for the person, then theory before
    practice, then code. Each module goes into the earliest year, not before the years of the
    modules it waits on, that still has room under the yearly maximum; the plan is shown by
    year, then in that order, so it can be followed as shown.
    """

    def importance(m: int) -> float:
        return max((need.weight[c] for c, _, _ in catalogue.modules[m].raises), default=0.0)

    def key(m: int) -> tuple[float, int, str]:
        return (-importance(m), catalogue.modules[m].order, catalogue.modules[m].code)

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
