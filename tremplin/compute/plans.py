"""Development plans: the modules that close a person's gaps at least hours (or least cost).

The model, for one person. A gap from level 1 to level 3 in a competence is two *steps* (reach
2, reach 3). A module raises a competence from level `f` to level `t`: it covers the steps
`f+1 … t`, and it expects the learner to be at level `f` already, so when the person is below
`f` another chosen module must cover step `f` first (theory before the workshop that uses it).
Prerequisites must be in the plan too, unless the person has completed them.

    minimise   Σ hours·x  +  Q · Σ x(modules aimed at other jobs)  +  P · Σ weight·s
    subject to Σ x(modules covering step) + s(step) ≥ 1        every step of every gap
               x(module) ≤ Σ x(modules covering its entry step)  entry level not yet reached
               x(module) ≤ x(prerequisite)
               x binary, 0 ≤ s ≤ 1

A module whose every raise the person already holds counts as done for the prerequisites
(`held`: nobody at level 4 is sent through the beginners' module). The constraints above allow
sets that wait on themselves (a module whose prerequisite needs the level that module brings):
each solution is read in an order the person can follow (`follow`) and, when part of it can
never start, solved again with a cut that excludes that part (`_stuck_cut`, valid for every plan
that can be followed), so the optimum is over plans that can be followed.

`s` marks a step left open, which happens only when no module in the person's language can
reach it; P exceeds everything else and Q the hours of every module that could be chosen, so
the plan closes every gap it can, then uses as few modules aimed at other jobs as it can (most
of the competences they raise are not targeted for the person: `Catalogue.elsewhere`), then saves
hours. A step left open is explained (no module reaches it, or none in the
person's language).

The yearly maximum of hours is met by scheduling: the modules are placed year by year, in an
order the person can follow and the most weighted gap steps per hour first, each no earlier than the
modules it waits on, each year holding at most the maximum (a single module longer than it fills
a year alone). A budget per org unit applies to
the first year's cost: when a unit's plans cost more, the modules that close the least weighted
gap per euro move to the next year, with whatever depends on them. This decomposition is exact
for what the optimiser minimises (the maximum and the budgets only delay modules, never make a
set of modules impossible, since the years are not bounded), not for what the first year holds:
that is a first fit by value per hour, which `bench/plans.py` sets against one integer program
per person (the share of first years that are the most valuable, and the mean shortfall).

Speed, for a whole company: people with identical needs share one solve. The distinct models
are built (arrays of people by modules) and solved a block at a time over several processes,
linear relaxation first: a block-diagonal linear program (HiGHS through SciPy `milp`) whose
solution is integral for most people, which proves their optimum at once. The others are
solved as integer programs, a few at a time. A block that hits its time limit is solved person
by person; a person whose solve still hits it gets the greedy plan, and the plan says so.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array, csr_array

from tremplin.compute.sequencing import (
    before,
    follow,
    held,
    reachable_level,
    schedule,
    takes_in_order,
)
from tremplin.compute.training_catalogue import (
    COST as COST,
)
from tremplin.compute.training_catalogue import (
    ENGLISH as ENGLISH,
)
from tremplin.compute.training_catalogue import (
    FRENCH as FRENCH,
)
from tremplin.compute.training_catalogue import (
    GREEDY as GREEDY,
)
from tremplin.compute.training_catalogue import (
    HOURS as HOURS,
)
from tremplin.compute.training_catalogue import (
    LANGUAGE as LANGUAGE,
)
from tremplin.compute.training_catalogue import (
    LANGUAGE_BITS as LANGUAGE_BITS,
)
from tremplin.compute.training_catalogue import (
    LEVELS,
)
from tremplin.compute.training_catalogue import (
    NO_MODULE as NO_MODULE,
)
from tremplin.compute.training_catalogue import (
    OPTIMAL as OPTIMAL,
)
from tremplin.compute.training_catalogue import (
    Catalogue as Catalogue,
)
from tremplin.compute.training_catalogue import (
    CatalogueProblem as CatalogueProblem,
)
from tremplin.compute.training_catalogue import (
    Module as Module,
)
from tremplin.compute.training_catalogue import (
    Need as Need,
)
from tremplin.compute.training_catalogue import (
    OpenStep as OpenStep,
)
from tremplin.compute.training_catalogue import (
    Plan as Plan,
)
from tremplin.compute.training_catalogue import (
    check_catalogue as check_catalogue,
)
from tremplin.compute.training_catalogue import (
    prerequisite_cycle as prerequisite_cycle,
)

BLOCK_SIZE = 50  # people per linear relaxation
MIP_BLOCK = 8  # people per integer program
TIME_LIMIT_S = 10.0

# --- one model ---------------------------------------------------------------------------


@dataclass
class _Model:
    """The integer program of one person: a variable per module that could be chosen (in
    catalogue order), then one per step that may stay open; the rows as coordinates."""

    modules: list[int]
    cost: np.ndarray  # per variable: the objective
    upper: np.ndarray  # per variable: 1, or 0 for a module whose prerequisite is out of reach
    row: np.ndarray  # per coefficient: its row, column and value
    column: np.ndarray
    value: np.ndarray
    low: np.ndarray  # per row: low ≤ Σ value·x ≤ high
    high: np.ndarray

    @property
    def size(self) -> int:
        return len(self.cost)

    def add_row(self, columns: list[int], values: list[float], low: float, high: float) -> None:
        self.row = np.concatenate([self.row, np.full(len(columns), len(self.low))])
        self.column = np.concatenate([self.column, columns])
        self.value = np.concatenate([self.value, values])
        self.low = np.append(self.low, low)
        self.high = np.append(self.high, high)


def _model_of(catalogue: Catalogue, need: Need, objective: str) -> _Model:
    """The integer program of one person."""
    return _models_of(catalogue, [need], objective)[0]


def _models_of(catalogue: Catalogue, needs: Sequence[Need], objective: str) -> list[_Model]:
    """The integer program of each person, built for all of them at once (arrays of people by
    modules, by steps, by waits), then cut into one model each.

    Variables, person by person: the modules that could be chosen, in catalogue order (those
    covering a gap step, in the person's language and not completed, and what they wait on),
    then a slack per step. Rows: each gap step (by competence, then level): Σ x(modules covering
    it) + s(step) ≥ 1; then module by module, each of its waits (`Catalogue.wait_module`):
    x(module) ≤ x(prerequisite) unless the person holds the prerequisite (when it cannot be
    chosen, the module's upper bound is 0 instead), and x(module) ≤ Σ x(modules covering the
    entry level) when the person is below it.
    """
    people, n_modules = len(needs), len(catalogue.modules)
    shape = (people, catalogue.n_competences)
    current = np.array([need.current for need in needs], dtype=np.int64).reshape(shape)
    target = np.array([need.target for need in needs], dtype=np.int64).reshape(shape)
    weight = np.array([need.weight for need in needs], dtype=np.float64).reshape(shape)
    allowed = np.array([catalogue.allowed(need.language, need.done) for need in needs])
    allowed = allowed.reshape(people, n_modules)
    off = np.array([catalogue.elsewhere(need.target) for need in needs]).reshape(allowed.shape)
    waived = np.zeros((people, n_modules), dtype=bool)  # completed, or every raise held
    for p, need in enumerate(needs):
        waived[p, list(held(catalogue, need))] = True
    # Steps k = competence·LEVELS + level, person by person.
    levels = np.arange(LEVELS)
    is_step = (current[:, :, None] < levels) & (levels <= target[:, :, None])
    is_step = is_step.reshape(people, -1)
    step_person, step = np.nonzero(is_step)
    # Waits: on a prerequisite, or on an entry level.
    wait_module, on_module = catalogue.wait_module, catalogue.wait_prerequisite >= 0
    prerequisite = np.where(on_module, catalogue.wait_prerequisite, 0)
    entry_step = np.where(on_module, 0, catalogue.wait_step)
    entry_competence, entry_level = np.divmod(entry_step, LEVELS)
    below_entry = ~on_module & (entry_level > current[:, entry_competence])
    # The modules that could be chosen, grown until what they wait on is in. Sparse products:
    # single-threaded, where dense ones would start BLAS threads.
    covers = csr_array(catalogue.step_covers)
    prerequisites = csr_array(
        (np.ones(on_module.sum()), (wait_module[on_module], prerequisite[on_module])),
        shape=(n_modules, n_modules),
    )
    entry_covers = csr_array(catalogue.step_covers[entry_step] * ~on_module[:, None])
    chosen = (is_step @ covers > 0) & allowed
    while True:
        wanted = (chosen @ prerequisites > 0) & ~waived
        wanted |= (chosen[:, wait_module] & below_entry) @ entry_covers > 0
        wanted &= allowed & ~chosen
        if not wanted.any():
            break
        chosen |= wanted
    # Variables and rows, numbered in each person's model.
    column = np.cumsum(chosen, axis=1) - 1
    n_chosen, n_steps = chosen.sum(axis=1), is_step.sum(axis=1)
    step_row = np.arange(len(step)) - (np.cumsum(n_steps) - n_steps)[step_person]
    waiting = chosen[:, wait_module] & ((on_module & ~waived[:, prerequisite]) | below_entry)
    blocked = waiting & on_module & ~allowed[:, prerequisite]
    row_person, row_wait = np.nonzero(waiting & ~blocked)
    n_waits = np.bincount(row_person, minlength=people)
    wait_row = (
        n_steps[row_person] + np.arange(len(row_wait)) - (np.cumsum(n_waits) - n_waits)[row_person]
    )
    # Coefficients (person, row, column, value).
    step_of, covering, times = _covering(covers, step)
    keep = allowed[step_person[step_of], covering]
    step_of, covering, times = step_of[keep], covering[keep], times[keep]
    on_level = np.flatnonzero(~on_module[row_wait])
    wait_of, entry_covering, entry_times = _covering(covers, entry_step[row_wait[on_level]])
    wait_of = on_level[wait_of]
    keep = allowed[row_person[wait_of], entry_covering]
    wait_of, entry_covering, entry_times = wait_of[keep], entry_covering[keep], -entry_times[keep]
    on_prerequisite = np.flatnonzero(on_module[row_wait])
    parts = [
        # a step: the modules covering it, and its slack
        (step_person[step_of], step_row[step_of], column[step_person[step_of], covering], times),
        (step_person, step_row, n_chosen[step_person] + step_row, 1.0),
        # a wait: its module, then its prerequisite or the modules covering its entry level
        (row_person, wait_row, column[row_person, wait_module[row_wait]], 1.0),
        (row_person[on_prerequisite], wait_row[on_prerequisite],
         column[row_person[on_prerequisite], prerequisite[row_wait[on_prerequisite]]], -1.0),
        (row_person[wait_of], wait_row[wait_of], column[row_person[wait_of], entry_covering],
         entry_times),
    ]  # fmt: skip
    person = np.concatenate([part[0] for part in parts])
    by_person = np.argsort(person, kind="stable")
    row = np.concatenate([part[1] for part in parts])[by_person]
    col = np.concatenate([part[2] for part in parts])[by_person]
    value = np.concatenate([np.broadcast_to(part[3], len(part[0])) for part in parts])[by_person]
    # The objective, lexicographic by weights: steps left open first, then modules aimed at
    # other jobs, then hours (or cost). Sums taken in module order.
    spend_of = np.array([m.hours if objective == HOURS else m.cost for m in catalogue.modules])
    spend = np.where(chosen, spend_of, 0.0)
    other = np.cumsum(spend, axis=1)[:, -1] + 1.0 if n_modules else np.ones(people)
    penalty = other * ((chosen & off).sum(axis=1) + 1)
    # Each person's variables and rows, one after the other.
    n_variables, n_rows = n_chosen + n_steps, n_steps + n_waits
    first_variable = np.cumsum(n_variables) - n_variables
    first_row = np.cumsum(n_rows) - n_rows
    chosen_person, chosen_module = np.nonzero(chosen)
    module_variable = first_variable[chosen_person] + column[chosen_person, chosen_module]
    step_variable = first_variable[step_person] + n_chosen[step_person] + step_row
    cost = np.empty(n_variables.sum())
    cost[module_variable] = np.where(off, spend + other[:, None], spend)[
        chosen_person, chosen_module
    ]
    cost[step_variable] = penalty[step_person] * (1.0 + weight[step_person, step // LEVELS])
    upper = np.ones(n_variables.sum())
    blocked_person, blocked_wait = np.nonzero(blocked)
    upper[first_variable[blocked_person] + column[blocked_person, wait_module[blocked_wait]]] = 0
    low = np.full(n_rows.sum(), -math.inf)
    high = np.zeros(n_rows.sum())
    low[first_row[step_person] + step_row] = 1.0
    high[first_row[step_person] + step_row] = math.inf
    modules = chosen_module.tolist()
    variables = [0, *np.cumsum(n_variables).tolist()]
    rows = [0, *np.cumsum(n_rows).tolist()]
    coefficients = [0, *np.cumsum(np.bincount(person, minlength=people)).tolist()]
    chosen_of = [0, *np.cumsum(n_chosen).tolist()]
    return [
        _Model(
            modules=modules[chosen_of[p] : chosen_of[p + 1]],
            cost=cost[variables[p] : variables[p + 1]],
            upper=upper[variables[p] : variables[p + 1]],
            row=row[coefficients[p] : coefficients[p + 1]],
            column=col[coefficients[p] : coefficients[p + 1]],
            value=value[coefficients[p] : coefficients[p + 1]],
            low=low[rows[p] : rows[p + 1]],
            high=high[rows[p] : rows[p + 1]],
        )
        for p in range(people)
    ]


def _covering(covers: csr_array, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each module covering one of `steps`: the position of that step, the module, and how many
    times it covers it (`Catalogue.step_covers`)."""
    picked = covers[steps]
    return np.repeat(np.arange(len(steps)), np.diff(picked.indptr)), picked.indices, picked.data


def _solve_block(
    models: Sequence[_Model], time_limit: float, relax: bool = False
) -> list[list[int] | None] | None:
    """Chosen modules of each model, solved together (a block-diagonal program).

    None when the time limit is hit. With `relax`, only the linear relaxation is solved: a model
    whose relaxed solution is already integral has its proven optimum, the others get None.
    """
    offsets = [0, *accumulate(model.size for model in models)]
    width = offsets[-1]
    if width == 0:
        return [[] for _ in models]
    first_rows = [0, *accumulate(len(model.low) for model in models)]
    integrality = np.zeros(width, dtype=np.int64)
    if not relax:
        for model, start in zip(models, offsets, strict=False):
            integrality[start : start + len(model.modules)] = 1
    constraints = []
    if first_rows[-1]:
        rows = [model.row + r for model, r in zip(models, first_rows, strict=False)]
        columns = [model.column + c for model, c in zip(models, offsets, strict=False)]
        matrix = coo_array(
            (
                np.concatenate([model.value for model in models]),
                (np.concatenate(rows), np.concatenate(columns)),
            ),
            shape=(first_rows[-1], width),
        ).tocsc()
        low = np.concatenate([model.low for model in models])
        high = np.concatenate([model.high for model in models])
        constraints.append(LinearConstraint(matrix, low, high))
    result = milp(
        np.concatenate([model.cost for model in models]),
        integrality=integrality,
        bounds=Bounds(np.zeros(width), np.concatenate([model.upper for model in models])),
        constraints=constraints,
        options={"time_limit": time_limit, "mip_rel_gap": 0.0},
    )
    if result.status != 0 or result.x is None:
        return None
    answers: list[list[int] | None] = []
    for model, start in zip(models, offsets, strict=False):
        values = result.x[start : start + len(model.modules)]
        rounded = np.round(values)
        if relax and np.abs(values - rounded).max(initial=0.0) > 1e-6:
            answers.append(None)
        else:
            answers.append([m for m, v in zip(model.modules, rounded, strict=True) if v > 0.5])
    return answers


def _stuck_cut(
    catalogue: Catalogue,
    need: Need,
    model: _Model,
    modules: Sequence[int],
    stuck: Sequence[int],
) -> tuple[list[int], list[float], float, float]:
    """A row excluding the stuck set S of `modules` (those that can never start once the
    others are taken). Each m in S has a blocker: a prerequisite inside S, or an entry level
    (c, low) that no other chosen module brings; B(m) is what could lift it from outside S
    (nothing for a prerequisite inside S, the modules covering (c, low) otherwise). The row
    Σ_S x ≤ |S| − 1 + Σ_m Σ_B(m) x holds for every plan that can be followed (the first module
    of S taken in it has its blocker lifted from outside S) and not for `modules`."""
    inside = set(stuck)
    levels = list(need.current)
    for m in modules:
        if m not in inside:
            for c, _, high in catalogue.modules[m].raises:
                levels[c] = max(levels[c], high)
    lift: set[int] = set()
    for m in stuck:
        module = catalogue.modules[m]
        if any(p in inside for p in module.prerequisites):
            continue  # a prerequisite inside S: m is never the first of S
        blockers: list[list[int]] = [
            [k for k in catalogue.covers[c][low] if k not in inside]
            for c, low, _ in module.raises
            if levels[c] < low
        ]
        if blockers:
            fewest: list[int] = min(blockers, key=len)
            lift.update(fewest)
    column = {m: i for i, m in enumerate(model.modules)}
    cols = [column[m] for m in stuck] + [column[k] for k in sorted(lift) if k in column]
    values = [1.0] * len(stuck) + [-1.0] * (len(cols) - len(stuck))
    return cols, values, -math.inf, len(stuck) - 1.0


def _followable(
    catalogue: Catalogue,
    need: Need,
    model: _Model,
    modules: list[int] | None,
    time_limit: float,
    rounds: int = 50,
) -> list[int] | None:
    """`modules` if they can be followed in some order; otherwise the model is solved again
    with a cut excluding the set that waits on itself, until the answer can be followed (None
    when a solve hits its time limit)."""
    for _ in range(rounds):
        if modules is None:
            return None
        _, stuck = follow(catalogue, need, modules)
        if not stuck:
            return modules
        model.add_row(*_stuck_cut(catalogue, need, model, modules, stuck))
        solved = _solve_block([model], time_limit)
        modules = solved[0] if solved else None
    return None


# --- greedy ------------------------------------------------------------------------------


def greedy(catalogue: Catalogue, need: Need, objective: str = HOURS) -> list[int]:
    """Plain greedy: take the module (with its missing prerequisites) that closes the most
    remaining weighted gap per hour (or per euro), until no module closes any more."""
    allowed = catalogue.allowed(need.language, need.done)
    reached = list(need.current)
    chosen: list[int] = []
    taken = set(held(catalogue, need))
    while True:
        best: tuple[float, int, list[int]] | None = None
        for index, module in enumerate(catalogue.modules):
            if index in taken or not allowed[index]:
                continue
            if any(reached[c] < low for c, low, _ in module.raises):
                continue
            bundle = _with_prerequisites(catalogue, index, taken, allowed)
            if bundle is None or not takes_in_order(catalogue, bundle, reached, taken):
                continue
            gain = 0.0
            for c, _, high in module.raises:
                gain += (1.0 + need.weight[c]) * max(0, min(high, need.target[c]) - reached[c])
            if gain <= 0:
                continue
            hours = sum(catalogue.modules[m].hours for m in bundle)
            price = hours if objective == HOURS else sum(catalogue.modules[m].cost for m in bundle)
            ratio = gain / max(price, 1e-9)
            if best is None or ratio > best[0]:
                best = (ratio, index, bundle)
        if best is None:
            return chosen
        for m in best[2]:
            taken.add(m)
            chosen.append(m)
            for c, low, high in catalogue.modules[m].raises:
                if reached[c] >= low:
                    reached[c] = max(reached[c], high)


def _with_prerequisites(
    catalogue: Catalogue, index: int, taken: set[int], allowed: np.ndarray
) -> list[int] | None:
    bundle: list[int] = []
    pending = [index]
    while pending:
        m = pending.pop()
        if m in taken or m in bundle:
            continue
        if not allowed[m]:
            return None
        bundle.append(m)
        pending += catalogue.modules[m].prerequisites
    return bundle[::-1]


# --- plans --------------------------------------------------------------------------------


def _finish(
    catalogue: Catalogue,
    need: Need,
    modules: Sequence[int],
    method: str,
    not_before: dict[int, int] | None = None,
) -> Plan:
    """The plan in order, by year, with its totals and why each open step stays open."""
    chosen, years = schedule(catalogue, need, modules, not_before)
    every = catalogue.allowed(FRENCH | ENGLISH, need.done)
    reached = list(need.current)
    changed = True
    while changed:  # levels the plan brings, entry levels respected
        changed = False
        for m in chosen:
            for c, low, high in catalogue.modules[m].raises:
                if reached[c] >= low and high > reached[c]:
                    reached[c] = high
                    changed = True
    open_steps = []
    for c in range(catalogue.n_competences):
        if reached[c] >= need.target[c]:
            continue
        level = reached[c] + 1
        if reachable_level(catalogue, c, need.current[c], every) < level:
            reason = NO_MODULE
        else:
            reason = LANGUAGE
        open_steps.append(OpenStep(c, level, reason))
    return Plan(
        modules=chosen,
        years=years,
        hours=float(sum(catalogue.modules[m].hours for m in chosen)),
        cost=float(sum(catalogue.modules[m].cost for m in chosen)),
        open_steps=tuple(open_steps),
        method=method,
        deferred=tuple(sorted(not_before or ())),
    )


def plan_one(
    catalogue: Catalogue, need: Need, objective: str = HOURS, time_limit: float = TIME_LIMIT_S
) -> Plan:
    """The optimal plan of one person, solved directly as one integer program."""
    model = _model_of(catalogue, need, objective)
    solved = _solve_block([model], time_limit)
    modules = _followable(catalogue, need, model, solved[0] if solved else None, time_limit)
    if modules is None:
        return _finish(catalogue, need, greedy(catalogue, need, objective), GREEDY)
    return _finish(catalogue, need, modules, OPTIMAL)


# --- everyone -----------------------------------------------------------------------------

_WORKER_CATALOGUE: Catalogue | None = None


def _init_worker(catalogue: Catalogue) -> None:
    global _WORKER_CATALOGUE
    _WORKER_CATALOGUE = catalogue


def _plan_needs(job: tuple[str, float, Sequence[Need]]) -> list[Plan]:
    """Plans of one block of distinct people."""
    needs = job[2]
    catalogue = _WORKER_CATALOGUE
    assert catalogue is not None
    return [
        _finish(catalogue, need, modules, OPTIMAL if proven else GREEDY)
        for need, (modules, proven) in zip(needs, _solve_needs(job), strict=True)
    ]


def _solve_needs(job: tuple[str, float, Sequence[Need]]) -> list[tuple[list[int], bool]]:
    """Chosen modules of one block of people, and whether they are proven optimal."""
    objective, time_limit, needs = job
    catalogue = _WORKER_CATALOGUE
    assert catalogue is not None
    models = _models_of(catalogue, needs, objective)
    relaxed = _solve_block(models, time_limit, relax=True) or [None] * len(models)
    answers: list[tuple[list[int], bool] | None] = [
        None if modules is None or follow(catalogue, need, modules)[1] else (modules, True)
        for need, modules in zip(needs, relaxed, strict=True)
    ]
    hard = [i for i, answer in enumerate(answers) if answer is None]
    for chunk in range(0, len(hard), MIP_BLOCK):
        indices = hard[chunk : chunk + MIP_BLOCK]
        together = _solve_block([models[i] for i in indices], time_limit)
        for position, i in enumerate(indices):
            modules = together[position] if together else None
            if modules is None:
                alone = _solve_block([models[i]], time_limit)
                modules = alone[0] if alone else None
            modules = _followable(catalogue, needs[i], models[i], modules, time_limit)
            if modules is None:
                answers[i] = (greedy(catalogue, needs[i], objective), False)
            else:
                answers[i] = (modules, True)
    return [answer for answer in answers if answer is not None]


def plan_everyone(
    catalogue: Catalogue,
    needs: Sequence[Need],
    objective: str = HOURS,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    time_limit: float = TIME_LIMIT_S,
    budget_group: Sequence[int] | None = None,
    budgets: Mapping[int, float] | None = None,
) -> list[Plan]:
    """Every person's optimal plan; the same input always gives the same plans.

    `budget_group[p]` names the budget person `p` is charged to (or -1), and `budgets` gives
    each budget's euros for the first year. `progress` is called with (people done, people) as
    blocks finish.
    """
    distinct: dict[Need, int] = {}
    for need in needs:
        distinct.setdefault(need, len(distinct))
    unique = list(distinct)
    jobs = [
        (objective, time_limit, unique[i : i + BLOCK_SIZE])
        for i in range(0, len(unique), BLOCK_SIZE)
    ]
    finished: list[Plan] = []

    def advance(answer: list[Plan]) -> None:
        finished.extend(answer)
        if progress:
            progress(len(finished) * len(needs) // max(len(unique), 1), len(needs))

    if workers > 1 and len(jobs) > 1:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_init_worker, initargs=(catalogue,)) as pool:
            for answer in pool.imap(_plan_needs, jobs):
                advance(answer)
            plans = [finished[distinct[need]] for need in needs]
            if budget_group is not None and budgets:
                within_budgets(catalogue, needs, plans, budget_group, budgets, pool.imap)
        return plans
    _init_worker(catalogue)
    for job in jobs:
        advance(_plan_needs(job))
    plans = [finished[distinct[need]] for need in needs]
    if budget_group is not None and budgets:
        within_budgets(catalogue, needs, plans, budget_group, budgets)
    return plans


BudgetJob = tuple[float, list[tuple[int, Need, Plan]]]


def within_budgets(
    catalogue: Catalogue,
    needs: Sequence[Need],
    plans: list[Plan],
    budget_group: Sequence[int],
    budgets: Mapping[int, float],
    imap: Callable[..., Iterable[list[tuple[int, Plan]]]] | None = None,
) -> None:
    """Move first-year modules to the next year until each unit's first year fits its budget:
    those closing the least weighted gap per euro first, with the modules that depend on them.
    Units over budget are independent: `imap` (a pool's) spreads them over processes."""
    members: dict[int, list[int]] = {}
    for p, group in enumerate(budget_group):
        if group in budgets:
            members.setdefault(group, []).append(p)
    jobs: list[BudgetJob] = []
    for group, people in sorted(members.items()):
        spent = sum(plans[p].cost_in(catalogue, 1) for p in people)
        if spent > budgets[group] + 1e-9:
            jobs.append((budgets[group], [(p, needs[p], plans[p]) for p in people]))
    if imap is None:
        _init_worker(catalogue)
        imap = map
    for answer in imap(_fit_budget, jobs):
        for p, plan in answer:
            plans[p] = plan


def _fit_budget(job: BudgetJob) -> list[tuple[int, Plan]]:
    """The plans of one unit over its budget, with first-year modules moved to the next year."""
    catalogue = _WORKER_CATALOGUE
    assert catalogue is not None
    budget, people = job
    spent = sum(plan.cost_in(catalogue, 1) for _p, _need, plan in people)
    candidates = []
    for i, (_p, need, plan) in enumerate(people):
        for m, year in zip(plan.modules, plan.years, strict=True):
            module = catalogue.modules[m]
            if year == 1 and module.cost > 0:
                value = sum(
                    (1.0 + need.weight[c]) * max(0, min(high, need.target[c]) - low)
                    for c, low, high in module.raises
                )
                candidates.append((value / module.cost, people[i][0], module.code, m, i))
    moved: dict[int, dict[int, int]] = {}
    needed_by: dict[int, dict[int, list[int]]] = {}
    for _, _p, _, m, i in sorted(candidates):
        if spent <= budget + 1e-9:
            break
        later = moved.setdefault(i, {})
        if m in later:
            continue
        if i not in needed_by:
            needed_by[i] = _needed_by(catalogue, people[i][2])
        for pushed in _with_dependents(needed_by[i], m):
            if pushed not in later:
                later[pushed] = 2
                spent -= catalogue.modules[pushed].cost
    changed = []
    for i, later in moved.items():
        p, need, plan = people[i]
        # Modules already after the first year stay there: the room freed in the first year
        # must not be refilled.
        keep = {m: y for m, y in zip(plan.modules, plan.years, strict=True) if y > 1}
        # Same modules, same gaps left open: only the years change.
        modules, years = schedule(catalogue, need, plan.modules, keep | later)
        changed.append(
            (p, replace(plan, modules=modules, years=years, deferred=tuple(sorted(later))))
        )
    return changed


def _needed_by(catalogue: Catalogue, plan: Plan) -> dict[int, list[int]]:
    """For each first-year module of the plan, the first-year modules that wait on it."""
    first_year = {m for m, y in zip(plan.modules, plan.years, strict=True) if y == 1}
    found: dict[int, list[int]] = {m: [] for m in first_year}
    for m in first_year:
        for b in before(catalogue, m, first_year):
            found[b].append(m)
    return found


def _with_dependents(needed_by: dict[int, list[int]], module: int) -> list[int]:
    """`module` and the first-year modules that need it, directly or not, in plan order."""
    found, pending = [module], list(needed_by.get(module, ()))
    while pending:
        m = pending.pop()
        if m not in found:
            found.append(m)
            pending += needed_by.get(m, ())
    return found
