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
of the competences they raise are not targeted for the person: `aimed_elsewhere`), then saves
hours. A step left open is explained (no module reaches it, or none in the
person's language).

The yearly maximum of hours is met by scheduling: the modules are placed year by year, in an
order the person can follow and the most important competences first, each no earlier than the
modules it waits on, each year holding at most the maximum (a single module longer than it fills
a year alone). A budget per org unit applies to
the first year's cost: when a unit's plans cost more, the modules that close the least weighted
gap per euro move to the next year, with whatever depends on them.

Speed, for a whole company: people with identical needs share one solve. The distinct models
are solved a block at a time over several processes, linear relaxation first: a block-diagonal
linear program (HiGHS through SciPy `milp`) whose solution is integral for most people, which
proves their optimum at once. The others are solved as integer programs, a few at a time. A
block that hits its time limit is solved person by person; a person whose solve still hits it
gets the greedy plan, and the plan says so.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

FRENCH = 1
ENGLISH = 2
LANGUAGE_BITS = {"fr": FRENCH, "en": ENGLISH}

HOURS = "hours"
COST = "cost"

# Why a step stays open.
NO_MODULE = "no_module"
LANGUAGE = "language"

# How a plan was found.
OPTIMAL = "optimal"
GREEDY = "greedy"

BLOCK_SIZE = 50  # people per linear relaxation
MIP_BLOCK = 8  # people per integer program
TIME_LIMIT_S = 10.0


@dataclass(frozen=True)
class Module:
    code: str
    hours: float
    cost: float
    raises: tuple[tuple[int, int, int], ...]  # (competence index, from level, to level)
    prerequisites: tuple[int, ...] = ()  # module indices
    languages: int = FRENCH | ENGLISH  # bit mask
    order: int = 0  # sequencing rank among modules of equal depth (theory first)


@dataclass
class Catalogue:
    modules: Sequence[Module]
    n_competences: int
    # covers[c][level] = modules raising competence c through `level` (from < level <= to)
    covers: list[list[tuple[int, ...]]] = field(init=False)
    _allowed: dict[tuple[int, frozenset[int]], np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        covers: list[list[list[int]]] = [[[] for _ in range(6)] for _ in range(self.n_competences)]
        for index, module in enumerate(self.modules):
            for competence, low, high in module.raises:
                for level in range(low + 1, high + 1):
                    covers[competence][level].append(index)
        self.covers = [[tuple(ms) for ms in levels] for levels in covers]
        self._allowed = {}

    def allowed(self, language: int, done: frozenset[int]) -> np.ndarray:
        key = (language, done)
        if key not in self._allowed:
            self._allowed[key] = np.array(
                [
                    bool(m.languages & language) and i not in done
                    for i, m in enumerate(self.modules)
                ],
                dtype=bool,
            )
        return self._allowed[key]


@dataclass(frozen=True)
class Need:
    """One person: levels and targets per competence, and what limits their plan."""

    current: tuple[int, ...]
    target: tuple[int, ...]
    weight: tuple[float, ...]
    language: int = FRENCH | ENGLISH
    max_hours: float = math.inf
    done: frozenset[int] = frozenset()  # completed modules: not proposed again, prerequisites met


@dataclass(frozen=True)
class OpenStep:
    competence: int
    level: int  # the level that stays out of reach
    reason: str


@dataclass(frozen=True)
class Plan:
    modules: tuple[int, ...]  # in the order to follow
    years: tuple[int, ...]  # year of each module: 1 is the coming year
    hours: float
    cost: float
    open_steps: tuple[OpenStep, ...]
    method: str  # OPTIMAL or GREEDY
    deferred: tuple[int, ...] = ()  # modules moved past the first year by the unit's budget

    def hours_in(self, catalogue: Catalogue, year: int) -> float:
        return sum(
            catalogue.modules[m].hours
            for m, y in zip(self.modules, self.years, strict=True)
            if y == year
        )

    def cost_in(self, catalogue: Catalogue, year: int) -> float:
        return sum(
            catalogue.modules[m].cost
            for m, y in zip(self.modules, self.years, strict=True)
            if y == year
        )


@dataclass(frozen=True)
class CatalogueProblem:
    module: int
    field: str
    code: str  # negative, level_order, level_range, competence, prerequisite, cycle


def check_catalogue(modules: Sequence[Module], n_competences: int) -> list[CatalogueProblem]:
    """What makes a catalogue unusable: negative figures, bad levels, unknown references, cycles."""
    problems: list[CatalogueProblem] = []
    for index, module in enumerate(modules):
        if module.hours < 0:
            problems.append(CatalogueProblem(index, "hours", "negative"))
        if module.cost < 0:
            problems.append(CatalogueProblem(index, "cost", "negative"))
        for competence, low, high in module.raises:
            if not 0 <= competence < n_competences:
                problems.append(CatalogueProblem(index, "raises", "competence"))
            elif not (0 <= low <= 4 and 0 <= high <= 4):
                problems.append(CatalogueProblem(index, "raises", "level_range"))
            elif low >= high:
                problems.append(CatalogueProblem(index, "raises", "level_order"))
        for prerequisite in module.prerequisites:
            if not 0 <= prerequisite < len(modules) or prerequisite == index:
                problems.append(CatalogueProblem(index, "prerequisites", "prerequisite"))
    if not any(p.field == "prerequisites" for p in problems):
        for index in prerequisite_cycle([m.prerequisites for m in modules]):
            problems.append(CatalogueProblem(index, "prerequisites", "cycle"))
    return problems


def prerequisite_cycle(prerequisites: Sequence[Sequence[int]]) -> list[int]:
    """The modules of one prerequisite cycle, in order, or an empty list."""
    state = [0] * len(prerequisites)  # 0 new, 1 on the current path, 2 finished
    for start in range(len(prerequisites)):
        if state[start]:
            continue
        path: list[int] = [start]
        iterators = [iter(prerequisites[start])]
        state[start] = 1
        while iterators:
            following = next(iterators[-1], None)
            if following is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state[following] == 1:
                return path[path.index(following) :]
            elif state[following] == 0:
                state[following] = 1
                path.append(following)
                iterators.append(iter(prerequisites[following]))
    return []


# --- following a plan --------------------------------------------------------------------


def held(catalogue: Catalogue, need: Need) -> frozenset[int]:
    """Completed modules, and those whose every raise the person already holds: a prerequisite
    the person's current levels cover is waived (nobody is sent through what they know)."""
    covered = (
        i
        for i, module in enumerate(catalogue.modules)
        if module.raises and all(need.current[c] >= high for c, _, high in module.raises)
    )
    return need.done | frozenset(covered)


def follow(
    catalogue: Catalogue,
    need: Need,
    modules: Sequence[int],
    key: Callable[[int], Any] = lambda m: m,
) -> tuple[list[int], list[int]]:
    """The modules in an order that can be followed (each taken once its prerequisites are done
    and its entry levels held, the first by `key` among those ready), and those that can never
    be taken (empty for a plan that can be followed; taking a module never blocks another, so
    this greedy order finds an order whenever one exists)."""
    reached, taken = list(need.current), set(held(catalogue, need))
    left, order = sorted(modules, key=key), []
    progress = True
    while left and progress:
        progress = False
        for m in left:
            module = catalogue.modules[m]
            if all(p in taken for p in module.prerequisites) and all(
                reached[c] >= low for c, low, _ in module.raises
            ):
                order.append(m)
                taken.add(m)
                for c, _, high in module.raises:
                    reached[c] = max(reached[c], high)
                left.remove(m)
                progress = True
                break
    return order, left


# --- one model ---------------------------------------------------------------------------


@dataclass
class _Model:
    """The integer program of one person."""

    modules: list[int]  # variable order: modules first, then open-step slacks
    steps: list[tuple[int, int]]  # (competence, level)
    step_weight: list[float]
    rows: list[tuple[list[int], list[float], float, float]]  # (columns, values, low, high)
    upper: list[float]  # per module: 1, or 0 when a prerequisite is out of reach
    spend: list[float]  # its hours or its cost, per module
    euros: list[float]

    @property
    def size(self) -> int:
        return len(self.modules) + len(self.steps)

    off_target: list[bool] = field(default_factory=list)  # per module: aimed at other jobs

    def objective(self) -> list[float]:
        """Lexicographic by weights: steps left open first, then modules aimed at other jobs,
        then hours (or cost)."""
        other = sum(self.spend) + 1.0
        penalty = other * (sum(self.off_target) + 1)
        return [
            spend + (other if off else 0.0)
            for spend, off in zip(self.spend, self.off_target, strict=True)
        ] + [penalty * w for w in self.step_weight]


def aimed_elsewhere(module: Module, need: Need) -> bool:
    """A module aimed at other jobs: most of the competences it raises are not targeted for the
    person (a finance module for workshop staff). Proposed only when no other way closes the
    gap."""
    foreign = sum(need.target[c] == 0 for c, _, _ in module.raises)
    return 2 * foreign > len(module.raises)


def _model_of(catalogue: Catalogue, need: Need, objective: str) -> _Model:
    """The integer program of one person."""
    current, target, weight = need.current, need.target, need.weight
    done = held(catalogue, need)
    allowed = catalogue.allowed(need.language, need.done)
    steps = [
        (c, level)
        for c in range(catalogue.n_competences)
        for level in range(current[c] + 1, target[c] + 1)
    ]
    chosen: dict[int, int] = {}
    pending = [m for c, level in steps for m in catalogue.covers[c][level] if allowed[m]]
    while pending:
        index = pending.pop()
        if index in chosen:
            continue
        chosen[index] = len(chosen)
        module = catalogue.modules[index]
        pending += [p for p in module.prerequisites if p not in done and allowed[p]]
        for c, low, _ in module.raises:
            if low > current[c]:
                pending += [m for m in catalogue.covers[c][low] if allowed[m]]
    modules = sorted(chosen)
    column = {m: i for i, m in enumerate(modules)}
    n = len(modules)
    rows: list[tuple[list[int], list[float], float, float]] = []
    for s, (c, level) in enumerate(steps):
        cols = [column[m] for m in catalogue.covers[c][level] if m in column] + [n + s]
        rows.append((cols, [1.0] * len(cols), 1.0, math.inf))
    upper = [1.0] * n
    for i, index in enumerate(modules):
        module = catalogue.modules[index]
        for prerequisite in module.prerequisites:
            if prerequisite in done:
                continue
            if prerequisite not in column:
                upper[i] = 0.0
            else:
                rows.append(([i, column[prerequisite]], [1.0, -1.0], -math.inf, 0.0))
        for c, low, _ in module.raises:
            if low > current[c]:
                entry = [column[m] for m in catalogue.covers[c][low] if m in column]
                rows.append(([i, *entry], [1.0] + [-1.0] * len(entry), -math.inf, 0.0))
    hours = [catalogue.modules[m].hours for m in modules]
    euros = [catalogue.modules[m].cost for m in modules]
    spend = hours if objective == HOURS else euros
    step_weight = [1.0 + weight[c] for c, _ in steps]
    off = [aimed_elsewhere(catalogue.modules[m], need) for m in modules]
    return _Model(modules, steps, step_weight, rows, upper, list(spend), euros, off)


def _solve_block(
    models: Sequence[_Model],
    time_limit: float,
    budget: float | None = None,
    relax: bool = False,
) -> list[list[int] | None] | None:
    """Chosen modules of each model, solved together (sharing `budget` in euros when given).

    None when the time limit is hit. With `relax`, only the linear relaxation is solved: a model
    whose relaxed solution is already integral has its proven optimum, the others get None.
    """
    objective: list[float] = []
    upper: list[float] = []
    integrality: list[int] = []
    data: list[float] = []
    row_index: list[int] = []
    col_index: list[int] = []
    low: list[float] = []
    high: list[float] = []
    offsets = []
    offset = 0
    for model in models:
        offsets.append(offset)
        objective += model.objective()
        upper += model.upper + [1.0] * len(model.steps)
        integrality += [0 if relax else 1] * len(model.modules) + [0] * len(model.steps)
        for cols, values, lo, hi in model.rows:
            row = len(low)
            row_index += [row] * len(cols)
            col_index += [offset + c for c in cols]
            data += values
            low.append(lo)
            high.append(hi)
        offset += model.size
    if budget is not None:
        for model, start in zip(models, offsets, strict=True):
            col_index += [start + i for i in range(len(model.modules))]
            data += model.euros
            row_index += [len(low)] * len(model.modules)
        low.append(-math.inf)
        high.append(budget)
    if offset == 0:
        return [[] for _ in models]
    constraints = []
    if low:
        matrix = coo_matrix((data, (row_index, col_index)), shape=(len(low), offset)).tocsr()
        constraints.append(LinearConstraint(matrix, low, high))
    result = milp(
        np.array(objective),
        integrality=np.array(integrality),
        bounds=Bounds(np.zeros(offset), np.array(upper)),
        constraints=constraints,
        options={"time_limit": time_limit, "mip_rel_gap": 0.0},
    )
    if result.status != 0 or result.x is None:
        return None
    answers: list[list[int] | None] = []
    for model, start in zip(models, offsets, strict=True):
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
        model.rows.append(_stuck_cut(catalogue, need, model, modules, stuck))
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
            if bundle is None or not _takes_in_order(catalogue, bundle, reached, taken):
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


def _takes_in_order(
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


def _before(catalogue: Catalogue, m: int, chosen: set[int]) -> list[int]:
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
    models = [_model_of(catalogue, need, objective) for need in needs]
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
    else:
        _init_worker(catalogue)
        for job in jobs:
            advance(_plan_needs(job))
    plans = [finished[distinct[need]] for need in needs]
    if budget_group is not None and budgets:
        within_budgets(catalogue, needs, plans, budget_group, budgets)
    return plans


def within_budgets(
    catalogue: Catalogue,
    needs: Sequence[Need],
    plans: list[Plan],
    budget_group: Sequence[int],
    budgets: Mapping[int, float],
) -> None:
    """Move first-year modules to the next year until each unit's first year fits its budget:
    those closing the least weighted gap per euro first, with the modules that depend on them."""
    members: dict[int, list[int]] = {}
    for p, group in enumerate(budget_group):
        if group in budgets:
            members.setdefault(group, []).append(p)
    for group, people in sorted(members.items()):
        spent = sum(plans[p].cost_in(catalogue, 1) for p in people)
        if spent <= budgets[group] + 1e-9:
            continue
        candidates = []
        for p in people:
            for m, year in zip(plans[p].modules, plans[p].years, strict=True):
                module = catalogue.modules[m]
                if year == 1 and module.cost > 0:
                    value = sum(
                        (1.0 + needs[p].weight[c]) * max(0, min(high, needs[p].target[c]) - low)
                        for c, low, high in module.raises
                    )
                    candidates.append((value / module.cost, p, module.code, m))
        moved: dict[int, dict[int, int]] = {}
        for _, p, _, m in sorted(candidates):
            if spent <= budgets[group] + 1e-9:
                break
            later = moved.setdefault(p, {})
            if m in later:
                continue
            for pushed in _with_dependents(catalogue, plans[p], m):
                if pushed not in later:
                    later[pushed] = 2
                    spent -= catalogue.modules[pushed].cost
        for p, later in moved.items():
            # Modules already after the first year stay there: the room freed in the first
            # year must not be refilled.
            keep = {m: y for m, y in zip(plans[p].modules, plans[p].years, strict=True) if y > 1}
            plan = _finish(catalogue, needs[p], plans[p].modules, plans[p].method, keep | later)
            plans[p] = replace(plan, deferred=tuple(sorted(later)))


def _with_dependents(catalogue: Catalogue, plan: Plan, module: int) -> list[int]:
    """`module` and the first-year modules of the plan that need it, directly or not."""
    first_year = {m for m, y in zip(plan.modules, plan.years, strict=True) if y == 1}
    found = [module]
    for m in plan.modules:
        if (
            m in first_year
            and m not in found
            and any(b in found for b in _before(catalogue, m, first_year))
        ):
            found.append(m)
    return found
