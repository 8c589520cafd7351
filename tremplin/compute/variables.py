"""The per-person variables every publication sums, and the measures its tables show.

Each variable has public bounds (a level 0–4, a 0/1 flag, a count of competences); a measure
is Σ numerator / Σ denominator over a group (see `compute.publication`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tremplin.compute.kpis import LEVELS
from tremplin.compute.publication import ONE, Measure, Variable
from tremplin.compute.tied import Ties

DISTRIBUTION = ("none", *(str(level) for level in range(LEVELS)))
HEADCOUNT = "people"  # the measure counting a group's members


@dataclass(frozen=True)
class PersonData:
    """What the variables are computed from, for the people of a scope."""

    levels: np.ndarray  # (periods, people, competences) int8, −1 not assessed
    target: np.ndarray  # (people, competences)
    codes: list[str]  # competence codes, in column order
    tiers: dict[str, list[int]]  # tier code -> its competence columns
    plan_agreed: np.ndarray  # (people,) bool
    engaged: np.ndarray
    disagree: np.ndarray  # (people, competences) bool, today
    modules_done: np.ndarray
    modules_planned: np.ndarray
    cost_done: np.ndarray
    hours_done: np.ndarray

    def first_assessed(self) -> np.ndarray:
        """Per person, the first period with a level (−1: never assessed)."""
        seen = (self.levels >= 0).any(axis=2)
        return np.where(seen.any(axis=0), seen.argmax(axis=0), -1)


def _ceiling(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… at least `value`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def variables_of(data: PersonData) -> tuple[dict[str, Variable], Callable[[str, int], np.ndarray]]:
    """The variables with their bounds, and each person's value of one at a period."""
    n_comp = len(data.codes)
    column = {code: j for j, code in enumerate(data.codes)}
    variables: dict[str, Variable] = {}

    def add(name: str, low: float, high: float) -> None:
        variables[name] = Variable(name, low, high)

    for code in data.codes:
        add(f"level:{code}", 0, LEVELS - 1)
        add(f"assessed:{code}", 0, 1)
        add(f"slots:{code}", 1, 1)
    for tier, cols in data.tiers.items():
        add(f"level:{tier}", 0, (LEVELS - 1) * len(cols))
        add(f"assessed:{tier}", 0, len(cols))
        add(f"slots:{tier}", len(cols), len(cols))
    for name in ("assessed", "plan-agreed", "engaged"):
        add(name, 0, 1)
    for name in ("at-target", "targeted", "disagree", "rated"):
        add(name, 0, n_comp)
    # Bounds taken from the data are rounded up to 1, 2 or 5 × 10ⁿ: a published bound must not
    # be one person's exact value.
    most = _ceiling(data.modules_planned.max(initial=0))
    add("modules-done", 0, most)
    add("modules-planned", 0, most)
    # Training cost and hours are published in whole euros and hours per person.
    add("cost-done", 0, _ceiling(data.cost_done.max(initial=0)))
    add("hours-done", 0, _ceiling(data.hours_done.max(initial=0)))
    add("levels", 0, (LEVELS - 1) * n_comp)
    add("competences", n_comp, n_comp)
    for level in DISTRIBUTION:
        add(f"at-level:{level}", 0, n_comp)

    def value(name: str, period: int) -> np.ndarray:
        levels = data.levels[period]
        kind, _, code = name.partition(":")
        if kind == "level" and code in column:
            return np.maximum(levels[:, column[code]], 0).astype(np.float64)
        if kind == "assessed" and code in column:
            return (levels[:, column[code]] >= 0).astype(np.float64)
        known = np.maximum(levels, 0)
        if kind == "level":
            return known[:, data.tiers[code]].sum(axis=1, dtype=np.float64)
        if kind == "assessed" and code:
            return (levels[:, data.tiers[code]] >= 0).sum(axis=1, dtype=np.float64)
        if kind == "slots":
            width = 1 if code in column else len(data.tiers[code])
            return np.full(levels.shape[0], width, dtype=np.float64)
        if kind == "at-level":
            level = -1 if code == "none" else int(code)
            return (levels == level).sum(axis=1, dtype=np.float64)
        target = data.target
        simple: dict[str, Callable[[], np.ndarray]] = {
            "assessed": lambda: (levels >= 0).any(axis=1),
            "plan-agreed": lambda: data.plan_agreed,
            "engaged": lambda: data.engaged,
            "modules-done": lambda: data.modules_done,
            "modules-planned": lambda: data.modules_planned,
            "at-target": lambda: ((target > 0) & (known >= target)).sum(axis=1),
            "targeted": lambda: (target > 0).sum(axis=1),
            "disagree": lambda: (data.disagree & (levels >= 0)).sum(axis=1),
            "rated": lambda: (levels >= 0).sum(axis=1),
            "cost-done": lambda: np.round(data.cost_done),
            "hours-done": lambda: np.round(data.hours_done),
            "levels": lambda: known.sum(axis=1),
            "competences": lambda: np.full(levels.shape[0], n_comp),
        }
        return np.asarray(simple[name](), dtype=np.float64)

    return variables, value


def ties_of(data: PersonData) -> Ties:
    """How the variables about assessments are tied for each person: assessed at all when in
    any competence, each tier's count the sum of its competences', and so the count of all."""
    parts = tuple(f"assessed:{code}" for code in data.codes)
    sums = {f"assessed:{tier}": tuple(f"assessed:{data.codes[j]}" for j in cols)
            for tier, cols in data.tiers.items()}  # fmt: skip
    sums["rated"] = parts  # how many competences assessed in all
    return Ties("assessed", parts, sums)


def measures_of(data: PersonData, today: int, *, competences: bool = True) -> list[Measure]:
    """What a population table shows: its headcount, per tier (and per competence when
    `competences`), the KPIs, the spread of levels. KPIs about plans and engagement exist
    today only."""
    found: list[Measure] = [Measure(HEADCOUNT, ONE, None, precision=1)]
    for code in [*(data.codes if competences else []), *data.tiers]:
        # Not assessed counts as 0: the denominator is public, so a hidden share assessed
        # never hides the level (the share assessed is its own figure).
        found.append(Measure(f"mean-level:{code}", f"level:{code}", f"slots:{code}"))
        found.append(Measure(f"assessed:{code}", f"assessed:{code}", f"slots:{code}"))
    now = (today,)
    found += [
        Measure("assessed", "assessed", ONE),
        Measure("plans-agreed", "plan-agreed", ONE, periods=now),
        Measure("engagement", "engaged", ONE, periods=now),
        Measure("completion", "modules-done", "modules-planned", periods=now),
        Measure("at-target", "at-target", "targeted"),
        Measure("disagreement", "disagree", "rated", periods=now),
        Measure("training-cost", "cost-done", None, precision=1, periods=now),
        Measure("training-hours", "hours-done", None, precision=1, periods=now),
    ]
    found += [Measure(f"share:{lv}", f"at-level:{lv}", "competences") for lv in DISTRIBUTION]
    return found


# The cohort table (people first assessed by the same period) shows their mean level only.
COHORT_MEASURES = [
    Measure(HEADCOUNT, ONE, None, precision=1),
    Measure("mean-level", "levels", "rated"),
]
