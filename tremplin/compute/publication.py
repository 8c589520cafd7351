"""A publication: every figure one audience may read, computed once and protected as a whole.

An audience (the works council, the executive sponsor, a manager) does not filter the people
freely: it reads **tables**, each splitting its population one way (by department, by job
family, by site, by wave, by persona, by cohort, or a cross-table the programme lead added), and
every figure of a table is a ratio of two sums over a group's members:

    value = Σ members x[numerator] / Σ members x[denominator]

`x` are per-person **variables** with public bounds (a level 0–4, a 0/1 flag, a count); the
denominator "one" counts heads and `None` leaves a plain sum. Groups smaller than the minimum
size are pooled into an "other" group of their table (recoding, as statistical offices do), so
every row a reader sees is a group of at least `k` people or a pool of small ones named as such.

Protection works on **cells**: the sum of one variable over one group at one period. A
figure of a whole-valued variable is rounded to a step that leaves at least two possible sums
for its group (coarser on small groups, `precision`); which cells stay visible is decided by
`compute.disclosure`, against an attacker using every table and period together, the bounds
of the variables and the rounding of every figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

ONE = "one"

# Why a cell is hidden (0: visible). Codes, translated by the pages.
VISIBLE = 0
SMALL = 1  # the group holds fewer than k people even after pooling
FEW = 2  # fewer than the minimum number of people carry the sum or its complement
COMPLEMENT = 3  # hidden so that another hidden figure or a person cannot be worked out
WIDER = 5  # shown, rounded more coarsely so that no person can be worked out from it


# A figure over a public denominator (a headcount, a constant count of competences per
# person, or 1 for a plain sum) is rounded to the finest of these steps that still leaves at
# least SPREAD possible totals: on a small group a mean cannot be turned back into its sum.
STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
SPREAD = 2.0
# A figure that gives someone away is first rounded one or two steps more coarsely (never to
# more than half its possible range), and hidden only when that is not enough.
WIDENINGS = 2
# The minimum group size: the lead may raise it, never below FLOOR.
DEFAULT_MIN_SIZE = 10
FLOOR = 5
# A figure carried by fewer people than this (or whose complement is) is withheld (FEW).
MIN_CONTRIBUTORS = 3


@dataclass(frozen=True)
class Variable:
    name: str
    low: float
    high: float
    integer: bool = True  # whole values only (a level, a flag, a count)

    @property
    def constant(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True)
class Measure:
    """One figure per group and period: Σ numerator / Σ denominator."""

    key: str
    numerator: str
    denominator: str | None  # ONE for a per-head figure, None for a plain sum
    precision: float = 0.01
    periods: tuple[int, ...] = ()  # when set, the only periods it is published for
    named: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # asked for at every audit round: kept once
        named = tuple(v for v in (self.numerator, self.denominator) if v not in (None, ONE))
        object.__setattr__(self, "named", named)

    def variables(self) -> tuple[str, ...]:
        return self.named


@dataclass
class Table:
    """A split of the audience's population into groups, with the measures it shows.

    `group[i]` is person i's group (−1: outside the table); `names[g]` the codes of the values
    the group holds (one value, or several for a pooled "other" group)."""

    key: str
    dimension: str
    group: np.ndarray
    names: list[list[str]]
    measures: list[Measure]
    periods: list[int]  # the snapshot periods the table is published for
    pooled: list[bool] = field(default_factory=list)

    @property
    def n_groups(self) -> int:
        return len(self.names)

    @cached_property
    def headcounts(self) -> np.ndarray:
        return np.bincount(self.group[self.group >= 0], minlength=self.n_groups)

    def sizes(self) -> np.ndarray:
        """People in each group (computed once: a table's groups never change)."""
        return self.headcounts

    def variables(self) -> list[str]:
        return list(dict.fromkeys(v for m in self.measures for v in m.variables()))

    def periods_of(self, measure: Measure) -> list[int]:
        return [p for p in self.periods if not measure.periods or p in measure.periods]

    def cells(self) -> list[tuple[str, int]]:
        """(variable, period) of every sum the table's figures need."""
        return list(
            dict.fromkeys(
                (name, period)
                for measure in self.measures
                for period in self.periods_of(measure)
                for name in measure.variables()
            )
        )


def pool(
    group: np.ndarray, names: Sequence[str], k: int, parent: Sequence[int] | None = None
) -> tuple[np.ndarray, list[list[str]], list[bool]]:
    """Recode a split so that every group holds at least `k` people.

    Groups under `k` (within the same parent, when `parent[g]` is given) join one "other" group;
    while that pool is under `k`, the smallest group of the same parent joins it too. A parent
    whose people are fewer than `k` in all leaves a pool under `k` (hidden as SMALL). Returns
    the new group of each person, the names each new group holds, and whether it is a pool."""
    n = len(names)
    sizes = np.bincount(group[group >= 0], minlength=n)
    parents = np.zeros(n, dtype=np.int64) if parent is None else np.asarray(parent)
    new_of = np.full(n, -1, dtype=np.int64)
    out_names: list[list[str]] = []
    out_pooled: list[bool] = []
    for p in dict.fromkeys(parents.tolist()):
        members = [g for g in range(n) if parents[g] == p and sizes[g] > 0]
        small = [g for g in members if sizes[g] < k]
        large = sorted((g for g in members if sizes[g] >= k), key=lambda g: (sizes[g], g))
        if small:
            while sum(int(sizes[g]) for g in small) < k and large:
                small.append(large.pop(0))
        for g in sorted(large):
            new_of[g] = len(out_names)
            out_names.append([names[g]])
            out_pooled.append(False)
        if small:
            new_of[small] = len(out_names)
            out_names.append([names[g] for g in sorted(small)])
            out_pooled.append(len(small) > 1)
    recoded = np.where(group >= 0, new_of[np.maximum(group, 0)], -1)
    return recoded, out_names, out_pooled


@dataclass
class Publication:
    """The tables of one audience with every cell's sum and whether it may be shown.

    `sums[(table, variable, period)]` is the (groups,) float array of the variable's sum over
    each group; `reason[...]` the same shape, VISIBLE or why the cell is hidden."""

    audience: str
    k: int
    variables: dict[str, Variable]
    tables: list[Table]
    sums: dict[tuple[int, str, int], np.ndarray] = field(default_factory=dict)
    reason: dict[tuple[int, str, int], np.ndarray] = field(default_factory=dict)
    coarse: bool = True  # False: every figure at its measure's precision (unprotected)
    contributors: int = MIN_CONTRIBUTORS
    # (table, numerator, period) -> (groups,) how many steps coarser than `precision`.
    widened: dict[tuple[int, str, int], np.ndarray] = field(default_factory=dict)
    _precisions: dict[tuple[int, Measure, bool], np.ndarray] = field(
        default_factory=dict, repr=False, compare=False
    )

    def cell_keys(self) -> list[tuple[int, str, int]]:
        return list(self.sums)

    def numerator_sum(self, t: int, measure: Measure, period: int) -> np.ndarray:
        if measure.numerator == ONE:  # a headcount
            return self.tables[t].sizes().astype(float)
        return self.sums[(t, measure.numerator, period)]

    def denominator_sum(self, t: int, measure: Measure, period: int) -> np.ndarray:
        table = self.tables[t]
        if measure.denominator == ONE:
            return table.sizes().astype(float)
        if measure.denominator is None:
            return np.ones(table.n_groups)
        return self.sums[(t, measure.denominator, period)]

    def shown(self, t: int, measure: Measure, period: int) -> np.ndarray:
        """(groups,) whether the measure's figure of each group is shown at `period`."""
        if measure.numerator == ONE:  # a headcount: shown for every group of k people
            return self.tables[t].sizes() >= self.k
        ok = self.reason[(t, measure.numerator, period)] == VISIBLE
        if measure.denominator not in (None, ONE):
            ok = ok & (self.reason[(t, measure.denominator, period)] == VISIBLE)
        return ok

    def why(self, t: int, measure: Measure, period: int) -> np.ndarray:
        """(groups,) the reason a figure is hidden: the first hidden cell's."""
        if measure.numerator == ONE:
            return np.where(self.shown(t, measure, period), VISIBLE, SMALL).astype(np.int8)
        found = self.reason[(t, measure.numerator, period)].copy()
        if measure.denominator not in (None, ONE):
            other = self.reason[(t, measure.denominator, period)]
            found = np.where(found == VISIBLE, other, found)
        extra = self.widened.get((t, measure.numerator, period))
        if extra is not None:
            found[(found == VISIBLE) & (extra > 0)] = WIDER
        return found

    def span(self, measure: Measure) -> tuple[float, float] | None:
        """The lowest and highest value a per-head figure can take (a share: 0 to 1; a mean
        level: 0 to 4); None for a plain sum, a headcount or a ratio of two private sums."""
        if measure.numerator == ONE or measure.denominator is None:
            return None
        variable = self.variables[measure.numerator]
        if measure.denominator == ONE:
            return variable.low, variable.high
        per_head = self.variables[measure.denominator]
        if not per_head.constant or per_head.low <= 0:
            return None
        return variable.low / per_head.low, variable.high / per_head.low

    def widen(self, t: int, name: str, period: int, g: int) -> bool:
        """Round the figures of cell (t, name, period) one step more coarsely for group `g`,
        if each of them may still be (at most WIDENINGS steps, half its range); False when
        it may not, and the figure is to be hidden instead."""
        table = self.tables[t]
        figures = [m for m in table.measures
                   if m.numerator == name and period in table.periods_of(m)]  # fmt: skip
        extra = self.widened.setdefault((t, name, period), np.zeros(table.n_groups, np.int8))
        if not figures or extra[g] >= WIDENINGS or not self.coarse:
            return False
        for measure in figures:
            span = self.span(measure)
            if span is None or self.bounded(t, measure, period)[g]:
                return False
            now = float(self._step(t, measure, period)[g])
            if now not in STEPS or STEPS.index(now) + 1 == len(STEPS):
                return False
            if STEPS[STEPS.index(now) + 1] > (span[1] - span[0]) / 2 + 1e-9:
                return False
        extra[g] += 1
        return True

    def _step(self, t: int, measure: Measure, period: int) -> np.ndarray:
        """(groups,) the step each figure is rounded to at `period`: its group's, made
        coarser where a figure had to be widened."""
        steps = self.precision(t, measure)
        extra = self.widened.get((t, measure.numerator, period))
        if extra is None or not extra.any():
            return steps
        at = [STEPS.index(s) if s in STEPS else -1 for s in steps.tolist()]
        return np.array([
            STEPS[min(i + int(e), len(STEPS) - 1)] if i >= 0 else s
            for i, e, s in zip(at, extra.tolist(), steps.tolist(), strict=True)
        ])  # fmt: skip

    def total(self, t: int, measure: Measure) -> np.ndarray | None:
        """(groups,) the public denominator of a measure's figures: the headcount times a
        constant per person, or 1 for a plain sum; None for a ratio of two private sums (and
        for a headcount, or a figure of a variable taking fractional values)."""
        if measure.numerator == ONE or not self.variables[measure.numerator].integer:
            return None
        sizes = self.tables[t].sizes().astype(np.float64)
        if measure.denominator is None:
            return np.ones(sizes.size)
        if measure.denominator == ONE:
            return sizes
        variable = self.variables[measure.denominator]
        return sizes * variable.low if variable.constant and variable.low > 0 else None

    def precision(self, t: int, measure: Measure) -> np.ndarray:
        """(groups,) the step each group's figure is rounded to: the measure's, or for a figure
        of a whole-valued variable the finest step of STEPS leaving SPREAD possible totals over
        its public denominator (over its headcount, for a ratio of two private sums)."""
        key = (t, measure, self.coarse)
        if key not in self._precisions:
            self._precisions[key] = self._precision(t, measure)
        return self._precisions[key]

    def _precision(self, t: int, measure: Measure) -> np.ndarray:
        table = self.tables[t]
        steps = np.full(table.n_groups, measure.precision)
        total = self.total(t, measure)
        if not self.coarse:
            return steps
        if total is None and measure.numerator != ONE and self.variables[measure.numerator].integer:
            # A ratio of two private sums: stepped on the headcount, as if one per person.
            total = table.sizes().astype(np.float64)
        if total is None:
            return steps
        for step in reversed(STEPS):
            if step >= measure.precision:
                steps = np.where(step * total >= SPREAD - 1e-9, step, steps)
        return np.where(total * steps >= SPREAD - 1e-9, steps, STEPS[-1])

    def bounded(self, t: int, measure: Measure, period: int) -> np.ndarray:
        """(groups,) −1 where the figure is withheld by the contributors rule for being carried
        by too few people and shown as an upper bound instead ("at most 12 %"), +1 where its
        complement is and it shows a lower bound ("at least 96 %"), 0 elsewhere. Only per-head
        figures (over a public denominator) are bounded: the bound is the same for every sum
        carried by fewer than `contributors` people, so it tells nothing more than the rule."""
        table = self.tables[t]
        side = np.zeros(table.n_groups, dtype=np.int8)
        total = self.total(t, measure)
        if measure.denominator is None or total is None:
            return side
        few = self.reason[(t, measure.numerator, period)] == FEW
        if not few.any():
            return side
        variable = self.variables[measure.numerator]
        sizes = table.sizes()
        reach = (self.contributors - 1) * (variable.high - variable.low)
        sums = self.sums[(t, measure.numerator, period)]
        low = sums - sizes * variable.low <= reach
        high = sizes * variable.high - sums <= reach
        side[few & low & ~high] = -1
        side[few & high & ~low] = 1
        return side

    def _bounds(
        self, t: int, measure: Measure, period: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(groups,) `bounded`'s side, and the smallest and largest sum a bounded figure states
        (NaN elsewhere)."""
        side = self.bounded(t, measure, period)
        if not side.any():
            return side, side.astype(np.float64), side.astype(np.float64)
        variable = self.variables[measure.numerator]
        sizes = self.tables[t].sizes().astype(np.float64)
        reach = (self.contributors - 1) * (variable.high - variable.low)
        least, most = sizes * variable.low, sizes * variable.high
        low = np.where(side < 0, least + 1, np.where(side > 0, most - reach, np.nan))
        high = np.where(side < 0, least + reach, np.where(side > 0, most - 1, np.nan))
        return side, low, high

    def values(self, t: int, measure: Measure, period: int) -> np.ndarray:
        """(groups,) the figures as shown, rounded (a bounded figure: the middle of its
        bounds); NaN where hidden or undefined (0/0)."""
        numerator = self.numerator_sum(t, measure, period)
        denominator = self.denominator_sum(t, measure, period)
        with np.errstate(invalid="ignore", divide="ignore"):
            raw = np.where(denominator > 0, numerator / denominator, np.nan)
        step = self._step(t, measure, period)
        rounded = np.round(np.round(raw / step) * step, 10)
        shown = np.where(self.shown(t, measure, period), rounded, np.nan)
        side, low, high = self._bounds(t, measure, period)
        if not side.any():
            return shown
        return np.where(side != 0, (low + high) / 2 / self.total(t, measure), shown)

    def steps(self, t: int, measure: Measure, period: int) -> np.ndarray:
        """(groups,) how far each figure may be from its value, as its whole width: its
        rounding step, or for a bounded figure the width of its bounds."""
        steps = self._step(t, measure, period)
        side, low, high = self._bounds(t, measure, period)
        if not side.any():
            return steps
        return np.where(side != 0, (high - low) / self.total(t, measure), steps)

    def ranges(self, t: int, measure: Measure, period: int) -> tuple[np.ndarray, np.ndarray]:
        """(groups,) the smallest and largest whole sum of the numerator each group may have,
        given its figure over a public denominator as shown (NaN where not shown)."""
        total = self.total(t, measure)
        assert total is not None
        value = self.values(t, measure, period)
        half = self.steps(t, measure, period) / 2 * total
        centre = value * total
        return np.ceil(centre - half - 1e-9), np.floor(centre + half + 1e-9)

    def withheld(self) -> dict[int, int]:
        """How many figures are hidden, by reason (bounded ones are shown: not counted)."""
        counts: dict[int, int] = {}
        for t, table in enumerate(self.tables):
            sizes = table.sizes()
            for measure in table.measures:
                for period in table.periods_of(measure):
                    open_ = self.bounded(t, measure, period) == 0
                    why = self.why(t, measure, period)[(sizes > 0) & open_]
                    why[why == WIDER] = VISIBLE
                    for code, n in enumerate(np.bincount(why).tolist()):
                        if code != VISIBLE and n:
                            counts[code] = counts.get(code, 0) + n
        return counts

    def bounded_count(self) -> int:
        """How many figures are shown as a bound only (withheld by the contributors rule)."""
        return sum(
            int((self.bounded(t, m, p) != 0).sum())
            for t, table in enumerate(self.tables)
            for m in table.measures
            for p in table.periods_of(m)
        )

    def widened_count(self) -> int:
        """How many figures are shown rounded more coarsely than their group's step."""
        return sum(
            int((self.why(t, m, p) == WIDER).sum())
            for t, table in enumerate(self.tables)
            for m in table.measures
            for p in table.periods_of(m)
            if m.numerator != ONE
        )

    def figure_count(self) -> int:
        return sum(
            int((t.sizes() > 0).sum()) * sum(len(t.periods_of(m)) for m in t.measures)
            for t in self.tables
        )


def compute_sums(publication: Publication, value: Callable[[str, int], np.ndarray]) -> None:
    """Fill every cell's sum: `value(variable, period)` gives each person's value."""
    cache: dict[tuple[str, int], np.ndarray] = {}
    for t, table in enumerate(publication.tables):
        inside = table.group >= 0
        for name, period in table.cells():
            if (name, period) not in cache:
                cache[(name, period)] = np.asarray(value(name, period), dtype=np.float64)
            x = cache[(name, period)]
            publication.sums[(t, name, period)] = np.bincount(
                table.group[inside], x[inside], minlength=table.n_groups
            )
            publication.reason[(t, name, period)] = np.zeros(table.n_groups, np.int8)


def export(
    publication: Publication,
    person_ids: Sequence[str],
    period_names: Sequence[str],
    value_of_group: Callable[[int, int], str] | None = None,
) -> dict[str, object]:
    """Every figure the audience can obtain, hidden ones with value null, in the format of
    `tremplin publication` (members are employee ids)."""
    ids = np.asarray(person_ids, dtype=object)
    variables = {name: [v.low, v.high] for name, v in publication.variables.items()}
    variables[ONE] = [1, 1]
    figures: list[dict[str, object]] = []
    for t, table in enumerate(publication.tables):
        members = [ids[table.group == g].tolist() for g in range(table.n_groups)]
        for measure in table.measures:
            for period in table.periods_of(measure):
                values = publication.values(t, measure, period)
                steps = publication.steps(t, measure, period)
                for g in range(table.n_groups):
                    if not members[g]:
                        continue
                    label = "+".join(table.names[g])
                    value = values[g]
                    figures.append(
                        {
                            "id": f"{table.key}/{period_names[period]}/"
                            f"{table.dimension}={label}/{measure.key}",
                            "period": period_names[period],
                            "members": members[g],
                            "numerator": measure.numerator,
                            "denominator": measure.denominator,
                            "value": None if np.isnan(value) else float(value),
                            "precision": float(steps[g]),
                        }
                    )
    return {
        "audience": publication.audience,
        "min_group": publication.k,
        "variables": variables,
        "figures": figures,
    }
