"""Training catalogue and people as the plan optimiser sees them: modules (hours, cost, the
levels they raise, prerequisites, languages), a person's levels, targets and limits, the plan
returned, and the checks that make a catalogue usable (`compute.plans` optimises,
`compute.sequencing` orders).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

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


@dataclass(frozen=True)
class Module:
    code: str
    hours: float
    cost: float
    raises: tuple[tuple[int, int, int], ...]  # (competence index, from level, to level)
    prerequisites: tuple[int, ...] = ()  # module indices
    languages: int = FRENCH | ENGLISH  # bit mask
    order: int = 0  # sequencing rank among modules of equal depth (theory first)


LEVELS = 6  # slots per competence in `covers` (levels run from 0 to 4)
CACHED = 20_000  # answers kept per catalogue before the caches start again


@dataclass
class Catalogue:
    modules: Sequence[Module]
    n_competences: int
    # covers[c][level] = modules raising competence c through `level` (from < level <= to)
    covers: list[list[tuple[int, ...]]] = field(init=False)
    # brings[m, c]: the level module m brings competence c to (0 when it does not raise it)
    brings: np.ndarray = field(init=False, repr=False)
    # The same as arrays, for many people at once. step_covers[k, m]: how many of module m's
    # raises cover step k = competence·LEVELS + level (once, but for a module raising a
    # competence twice). Every module's waits, module by module (its prerequisites,
    # then its entry levels, in catalogue order): wait_module[w] waits on the module
    # wait_prerequisite[w] (-1 for an entry level) or on the step wait_step[w] (-1 for a
    # prerequisite).
    step_covers: np.ndarray = field(init=False, repr=False, compare=False)
    wait_module: np.ndarray = field(init=False, repr=False, compare=False)
    wait_prerequisite: np.ndarray = field(init=False, repr=False, compare=False)
    wait_step: np.ndarray = field(init=False, repr=False, compare=False)
    _allowed: dict[tuple[int, frozenset[int]], np.ndarray] = field(init=False, repr=False)
    # Answers kept per levels and per targets (people of a job share targets; a person's plan
    # asks for their levels several times).
    _covered: dict[tuple[int, ...], np.ndarray] = field(init=False, repr=False, compare=False)
    _elsewhere: dict[tuple[int, ...], np.ndarray] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        covers: list[list[list[int]]] = [
            [[] for _ in range(LEVELS)] for _ in range(self.n_competences)
        ]
        for index, module in enumerate(self.modules):
            for competence, low, high in module.raises:
                for level in range(low + 1, high + 1):
                    covers[competence][level].append(index)
        self.covers = [[tuple(ms) for ms in levels] for levels in covers]
        self.brings = np.zeros((len(self.modules), self.n_competences), dtype=np.int8)
        for index, module in enumerate(self.modules):
            for competence, _, high in module.raises:
                self.brings[index, competence] = max(self.brings[index, competence], high)
        self.step_covers = np.zeros((self.n_competences * LEVELS, len(self.modules)))
        for competence, levels in enumerate(self.covers):
            for level, modules in enumerate(levels):
                for index in modules:
                    self.step_covers[competence * LEVELS + level, index] += 1
        waits = np.array(
            [
                wait
                for index, module in enumerate(self.modules)
                for wait in [(index, p, -1) for p in module.prerequisites]
                + [(index, -1, c * LEVELS + low) for c, low, _ in module.raises]
            ],
            dtype=np.int64,
        ).reshape(-1, 3)
        self.wait_module, self.wait_prerequisite, self.wait_step = waits.T
        self._allowed = {}
        self._covered = {}
        self._elsewhere = {}

    def covered(self, current: Sequence[int]) -> np.ndarray:
        """The modules whose every raise a person at `current` levels already holds."""
        key = tuple(current)
        found = self._covered.get(key)
        if found is None:
            raises = self.brings > 0
            held = (np.asarray(current, dtype=np.int8)[None, :] >= self.brings) | ~raises
            found = np.flatnonzero(held.all(axis=1) & raises.any(axis=1))
            if len(self._covered) > CACHED:
                self._covered.clear()
            self._covered[key] = found
        return found

    def elsewhere(self, target: Sequence[int]) -> np.ndarray:
        """Per module: most of the competences it raises are not targeted (target 0)."""
        key = tuple(target)
        found = self._elsewhere.get(key)
        if found is None:
            raises = self.brings > 0
            foreign = (raises & (np.asarray(target)[None, :] == 0)).sum(axis=1)
            found = np.asarray(2 * foreign > raises.sum(axis=1))
            if len(self._elsewhere) > CACHED:
                self._elsewhere.clear()
            self._elsewhere[key] = found
        return found

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
