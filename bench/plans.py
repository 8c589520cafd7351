"""Benchmark: development plans and gaps for a 100,000-person company.

A generated company: 100,000 people in 8 job families, 30 competences in 5 groups of 6, a
200-module catalogue shaped like the shipped one (a theory module and cheaper or shorter
alternatives per level step, workshops that need their theory module, awareness modules that
raise several competences of a group, a few modules spanning two groups), 10% of people working
in English, a yearly maximum of 40 hours. Current levels follow each family's targets loosely,
and 20% of people are not assessed yet. In one run:

- the gap matrix and the priority skills of the year (with effort in hours and euros);
- every person's plan with `plan_everyone` on both cores (the product's path), with the yearly
  maximum of hours and a training budget per org unit (300 units), peak memory of the main
  process and of the workers;
- a checker independent of the optimiser reads every plan as shown: how many cannot be followed
  in their order (a module before its prerequisite or its entry level), how many years exceed
  the maximum of hours (a module longer than the maximum alone in its year excepted), how many
  units' first year costs more than their budget;
- on a random sample of people, under the yearly maximum alone: whether the plan's first year
  is the most valuable one (weighted gap steps) its modules allow, against one integer program;
- on a random sample of people: the proven optimum (one integer program per person, no time
  limit, relative gap 0) against the product's plan, and the plain greedy heuristic (best
  gap closed per hour): its extra hours only where it closes the same gaps as the optimum, and
  separately how many people it leaves with more gaps open (and how many steps). The comparison
  is made without the yearly maximum, so that both close every gap they can.

Last line: one JSON object.
Run: .venv/bin/python bench/plans.py [--people N] [--sample N]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tremplin.compute.gaps import gap_matrix, priority_skills, step_effort
from tremplin.compute.plans import (
    ENGLISH,
    FRENCH,
    OPTIMAL,
    Catalogue,
    Module,
    Need,
    greedy,
    plan_everyone,
    plan_one,
)

COMPETENCES = 30
GROUP = 6
FAMILIES = 8
MODULES = 200
MAX_HOURS = 40.0


def generate_catalogue(rng: np.random.Generator) -> list[Module]:
    modules: list[Module] = []

    def add(
        hours: Any,
        cost: Any,
        raises: list[tuple[int, int, int]],
        prerequisites: tuple[int, ...] = (),
        order: int = 0,
    ) -> int:
        languages = FRENCH | ENGLISH if rng.random() < 0.85 else int(rng.choice([FRENCH, ENGLISH]))
        modules.append(
            Module(
                code=f"M{len(modules):03d}",
                hours=float(hours),
                cost=float(cost),
                raises=tuple(raises),
                prerequisites=tuple(prerequisites),
                languages=languages,
                order=order,
            )
        )
        return len(modules) - 1

    for c in range(COMPETENCES):
        theory = add(rng.choice([1, 1.5, 2]), rng.integers(0, 60), [(c, 0, 1)])
        add(rng.choice([0.5, 0.75]), rng.integers(0, 30), [(c, 0, 1)])
        workshop = add(
            rng.choice([3.5, 4, 7]), rng.integers(150, 600), [(c, 1, 2)], (theory,), order=1
        )
        add(rng.choice([4, 6, 8]), rng.integers(0, 80), [(c, 1, 2)])
        if c % 2 == 0:
            add(rng.choice([7, 10, 14]), rng.integers(300, 1200), [(c, 2, 3)], (workshop,), 2)
    while len(modules) < MODULES - 10:  # awareness and combined modules inside a group
        group = int(rng.integers(0, COMPETENCES // GROUP))
        members = rng.choice(GROUP, size=int(rng.integers(2, 4)), replace=False) + group * GROUP
        low = int(rng.integers(0, 3))
        add(
            rng.choice([2, 3, 4, 6]),
            rng.integers(50, 700),
            [(int(c), low, low + 1) for c in sorted(members)],
        )
    for c in range(0, COMPETENCES, 3):  # a few modules spanning two groups
        other = (c + GROUP) % COMPETENCES
        add(rng.choice([3, 4]), rng.integers(200, 500), [(c, 1, 2), (other, 1, 2)])
    return modules


def generate_people(
    rng: np.random.Generator, people: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    family_target = rng.choice([0, 1, 2, 2, 3], size=(FAMILIES, COMPETENCES)).astype(np.int8)
    family_target[:, :GROUP] = np.maximum(family_target[:, :GROUP], 2)  # literacy for all
    family_weight = np.where(rng.random((FAMILIES, COMPETENCES)) < 0.15, 3.0, 1.0)
    family = rng.integers(0, FAMILIES, size=people)
    target = family_target[family]
    current = np.clip(target - rng.choice([0, 1, 1, 2, 2, 3], size=target.shape), 0, 4)
    current = np.where(rng.random(people)[:, None] < 0.2, -1, current).astype(np.int8)
    language = np.where(rng.random(people) < 0.1, ENGLISH, FRENCH)
    return family, family_target, family_weight, current, language


UNITS = 300
BUDGET_PER_PERSON = 350.0  # euros a year


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished worker, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def check(catalogue: Catalogue, need: Need, plan: Any) -> tuple[bool, int]:
    """Independent reading of a plan as shown: can it be followed in its order (prerequisites
    done or waived, entry levels held), and how many years exceed the maximum of hours."""
    modules = catalogue.modules
    reached, taken, followable = list(need.current), set(need.done) | waived(catalogue, need), True
    hours: dict[int, float] = {}
    count: dict[int, int] = {}
    for m, year in zip(plan.modules, plan.years, strict=True):
        module = modules[m]
        if any(p not in taken for p in module.prerequisites) or any(
            reached[c] < low for c, low, _ in module.raises
        ):
            followable = False
        taken.add(m)
        for c, _, high in module.raises:
            reached[c] = max(reached[c], high)
        hours[year] = hours.get(year, 0.0) + module.hours
        count[year] = count.get(year, 0) + 1
    over = sum(h > need.max_hours + 1e-9 and count[y] > 1 for y, h in hours.items())
    return followable, over


def waived(catalogue: Catalogue, need: Need) -> set[int]:
    """Modules whose every raise the person already holds (their prerequisite role waived)."""
    return {i for i, m in enumerate(catalogue.modules)
            if all(need.current[c] >= high for c, _, high in m.raises)}  # fmt: skip


def taken_in_order(
    catalogue: Catalogue, need: Need, chosen: Any, taken: set[int]
) -> tuple[list[int], set[int]]:
    """The levels reached by taking `chosen` whenever one is ready (prerequisites in `taken`,
    entry levels held), and the modules that could never be taken."""
    reached, taken, left = list(need.current), set(taken), set(chosen)
    progress = True
    while left and progress:
        progress = False
        for m in sorted(left):
            module = catalogue.modules[m]
            if all(p in taken for p in module.prerequisites) and all(
                reached[c] >= low for c, low, _ in module.raises
            ):
                left.discard(m)
                taken.add(m)
                for c, _, high in module.raises:
                    reached[c] = max(reached[c], high)
                progress = True
    return reached, left


def closed_steps(catalogue: Catalogue, need: Need, chosen: Any) -> int:
    """Steps of the person's gaps that these modules close, followed in a workable order."""
    reached, _left = taken_in_order(catalogue, need, chosen, set(need.done))
    return sum(max(0, min(reached[c], t) - need.current[c]) for c, t in enumerate(need.target))


def year_value(catalogue: Catalogue, need: Need, chosen: Any) -> float | None:
    """Weighted gap steps closed by taking `chosen` in a workable order (None when they cannot
    all be taken from the person's levels)."""
    reached, left = taken_in_order(
        catalogue, need, chosen, set(need.done) | waived(catalogue, need)
    )
    if left:
        return None
    return sum(
        (1.0 + need.weight[c]) * max(0, min(reached[c], t) - need.current[c])
        for c, t in enumerate(need.target)
    )


def best_first_year(catalogue: Catalogue, need: Need, plan: Any) -> tuple[float, float]:
    """The plan's first year as shown, and the most valuable first year any followable subset
    of its modules within the yearly maximum gives: one integer program (take a module only
    with its prerequisites that are not waived and with its entry levels reached; a gap step
    counts when a module taken covers it)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    modules = catalogue.modules
    pool = list(plan.modules)
    shown = year_value(catalogue, need, [m for m, y in zip(plan.modules, plan.years,
                                                            strict=True) if y == 1])  # fmt: skip
    if len(pool) == 1 or any(modules[m].hours > need.max_hours for m in pool):
        return shown or 0.0, shown or 0.0  # a module alone in its year: nothing to choose
    at = {m: i for i, m in enumerate(pool)}
    raises = {g: modules[g].raises for g in pool}
    steps = [(c, level) for c, t in enumerate(need.target)
             for level in range(need.current[c] + 1, t + 1)]  # fmt: skip
    n, k = len(pool), len(steps)
    rows, low, high = [], [], []

    def row(entries: dict[int, float], lo: float, hi: float) -> None:
        vector = np.zeros(n + k)
        for j, v in entries.items():
            vector[j] += v
        rows.append(vector)
        low.append(lo)
        high.append(hi)

    def givers_of(c: int, level: int) -> list[int]:
        """The plan's modules that take competence c through `level`."""
        return [
            at[g] for g in pool if any(cc == c and lo < level <= hi for cc, lo, hi in raises[g])
        ]

    row({i: modules[m].hours for i, m in enumerate(pool)}, -np.inf, need.max_hours)
    covered = waived(catalogue, need)
    for i, m in enumerate(pool):
        for b in modules[m].prerequisites:
            if b in covered or b in need.done:
                continue
            if b in at:
                row({i: 1.0, at[b]: -1.0}, -np.inf, 0.0)
            else:
                row({i: 1.0}, 0.0, 0.0)
        for c, entry, _ in modules[m].raises:
            if entry > need.current[c]:
                row({i: 1.0, **{g: -1.0 for g in givers_of(c, entry)}}, -np.inf, 0.0)
    for s, (c, level) in enumerate(steps):
        row({n + s: 1.0, **{g: -1.0 for g in givers_of(c, level)}}, -np.inf, 0.0)
    value = np.concatenate([np.zeros(n), [-(1.0 + need.weight[c]) for c, _ in steps]])
    result = milp(value, integrality=np.ones(n + k), bounds=Bounds(0, 1),
                  constraints=[LinearConstraint(np.array(rows), low, high)])  # fmt: skip
    assert result.status == 0
    return shown or 0.0, float(-result.fun)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first-year-sample", type=int, default=300)
    args = parser.parse_args()
    rng = np.random.default_rng(20261121)
    modules = generate_catalogue(rng)
    catalogue = Catalogue(modules, COMPETENCES)
    family, family_target, family_weight, current, language = generate_people(rng, args.people)

    started = time.perf_counter()
    person, competence = np.nonzero(current >= 0)
    matrix = gap_matrix(
        args.people,
        COMPETENCES,
        person,
        competence,
        current[person, competence],
        family,
        family_target,
        family_weight,
    )
    raises = [(m, c, f, t) for m, mod in enumerate(modules) for c, f, t in mod.raises]
    hours_of = np.array([m.hours for m in modules])
    cost_of = np.array([m.cost for m in modules])
    step_hours, step_euros = step_effort(COMPETENCES, hours_of, cost_of, raises)
    priorities = priority_skills(matrix, step_hours, step_euros)
    gaps_s = time.perf_counter() - started
    print(f"gaps and priority skills: {gaps_s:.2f} s; top: {priorities[0]}", file=sys.stderr)

    known = matrix.known
    needs = [
        Need(
            current=tuple(int(v) for v in known[p]),
            target=tuple(int(v) for v in matrix.target[p]),
            weight=tuple(float(v) for v in matrix.weight[p]),
            language=int(language[p]),
            max_hours=MAX_HOURS,
        )
        for p in range(args.people)
    ]
    unit = rng.integers(0, UNITS, size=args.people)
    budgets = {u: BUDGET_PER_PERSON * float((unit == u).sum()) for u in range(UNITS)}
    started = time.perf_counter()
    plans = plan_everyone(catalogue, needs, workers=args.workers, budget_group=unit.tolist(),
                          budgets=budgets)  # fmt: skip
    plans_s = time.perf_counter() - started
    methods = {m: sum(p.method == m for p in plans) for m in {p.method for p in plans}}
    print(f"plans: {plans_s:.1f} s, methods {methods}", file=sys.stderr)
    started = time.perf_counter()
    unfollowable = hours_cap_overruns = 0
    first_year = np.zeros(UNITS)
    for p, (need, plan) in enumerate(zip(needs, plans, strict=True)):
        followable, over = check(catalogue, need, plan)
        unfollowable += not followable
        hours_cap_overruns += over
        costs = zip(plan.modules, plan.years, strict=True)
        first_year[unit[p]] += sum(modules[m].cost for m, y in costs if y == 1)
    budget_overruns = int(sum(first_year[u] > budgets[u] + 1e-6 for u in range(UNITS)))
    print(f"checked in {time.perf_counter() - started:.1f} s: {unfollowable} unfollowable, "
          f"{hours_cap_overruns} years over the maximum, {budget_overruns} units over budget",
          file=sys.stderr)  # fmt: skip

    sample = rng.choice(args.people, size=min(args.sample, args.people), replace=False)
    started = time.perf_counter()
    first_year_best = first_year_checked = 0
    first_year_shortfall: list[float] = []
    # Under the yearly maximum alone (the units' budgets then cut first years further).
    checked = [needs[p] for p in sample[: args.first_year_sample].tolist()]
    for need, plan in zip(checked, plan_everyone(catalogue, checked, workers=1), strict=True):
        shown, best = best_first_year(catalogue, need, plan)
        first_year_checked += 1
        first_year_best += shown >= best - 1e-9
        if best > 0:
            first_year_shortfall.append(100 * (best - shown) / best)
    print(f"first years checked in {time.perf_counter() - started:.1f} s: "
          f"{first_year_best}/{first_year_checked} the most valuable", file=sys.stderr)  # fmt: skip
    uncapped = [
        Need(n.current, n.target, n.weight, n.language, math.inf)
        for n in (needs[p] for p in sample)
    ]
    product = plan_everyone(catalogue, uncapped, workers=1)
    equal = 0
    excess, fewer, left_open = [], 0, 0
    for need, ours in zip(uncapped, product, strict=True):
        proven = plan_one(catalogue, need, time_limit=600)
        assert proven.method == OPTIMAL
        equal += math.isclose(ours.hours, proven.hours, abs_tol=1e-6) and len(
            ours.open_steps
        ) == len(proven.open_steps)
        chosen = greedy(catalogue, need)
        best, got = (
            closed_steps(catalogue, need, proven.modules),
            closed_steps(catalogue, need, chosen),
        )
        if got < best:
            fewer += 1
            left_open += best - got
            continue
        greedy_hours = sum(modules[m].hours for m in chosen)
        if proven.hours > 0:
            excess.append(100 * (greedy_hours - proven.hours) / proven.hours)
    own_mb, worker_mb = peak_mb()
    figures = {
        "people": args.people,
        "plans_s": round(plans_s, 2),
        "optimal_share": round(equal / len(sample), 4),
        "unfollowable_plans": unfollowable,
        "budget_overruns": budget_overruns,
        "hours_cap_overruns": hours_cap_overruns,
        "greedy_same_coverage_excess_pct": round(float(np.mean(excess)), 2),
        "greedy_same_coverage_excess_max_pct": round(float(np.max(excess)), 2),
        "greedy_fewer_gaps_people": fewer,
        "greedy_steps_left_open": left_open,
        "peak_mb_main": round(own_mb, 1),
        "peak_mb_largest_worker": round(worker_mb, 1),
        "peak_mb_all_processes": round(own_mb + args.workers * worker_mb, 1),
        "sample": len(sample),
        "plans_not_proven": len(plans) - methods.get(OPTIMAL, 0),
        "gaps_s": round(gaps_s, 3),
        "first_year_checked": first_year_checked,
        "first_year_most_valuable_share": round(first_year_best / max(first_year_checked, 1), 4),
        "first_year_shortfall_mean_pct": round(float(np.mean(first_year_shortfall or [0.0])), 2),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
