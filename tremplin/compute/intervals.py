"""Rounded figures: what a reader can still work out from them.

A figure over a public denominator (a headcount, or a constant number of competences per
person) is rounded to a step that leaves at least two possible totals (`publication.precision`):
a mean of 2.3 over 17 people at a step of 0.1 says that the group's sum lies between 38.25 and
39.95, so, levels being whole, that it is 39 or 40 (or 38 to 40 on a wider group). Two groups
that differ by one person then no longer give that person's value by subtraction: their ranges
give an interval of several values for them, which the bounds of the variable (levels 0–4)
narrow to one only at the edges, and the audit finds those.

What the reader knows about some variables at one period is a system over **atoms** (the
people sharing a group in every table, `compute.disclosure`): y_(a,v), the sum of variable v
over atom a (a *column*), within its bounds, and one linear range per shown figure: for a
figure over a public denominator, low ≤ Σ y ≤ high over the group's columns; for a ratio of two
variables rounded to p, (value − p/2)·Σ den ≤ Σ num ≤ (value + p/2)·Σ den. This module
answers three questions about such a system:

- **which columns are narrowed** to one value per person: a column of one person whose range
  holds a single whole value, or a column of several people held at a bound (each member then
  at it). The data is a solution, so adding or removing one unit to a column while every range
  still holds proves two values (a *witness*, checked for every column at once), and so does
  such a move paired with the opposite move of another column; a column held at a bound by
  one range alone needs nothing more; the rest get linear programs, first one pushing them all
  their free way at once, then one per column and side left, each solution checked against all
  of them (a solution a whole unit away frees a column);
- **which ranges are implicit equalities**: a range or a bound that no solution can leave
  fixes a sum exactly, and only those can determine a sum over a small group; a witness shows
  most are not, and linear programs settle the rest (maximise each remaining slack, capped at
  one: those that stay at zero are equalities);
- **whether a sum over some columns holds a single whole value** (a union of fewer than k
  people, a cell hidden by the contributors rule): no solution puts it a whole unit away.

The linear programs relax whole values to real ones and round the answer inwards; the
independent attackers of the tests solve the whole-valued programs on random organisations.
Every solution a program finds is kept (`System.known`): the audit asks again after each
figure it widens or hides, and the earlier solutions that still satisfy the new system answer
most questions there before any program runs (a solution is a proof whichever program found
it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from tremplin.compute import highs

EPS = 1e-7


def _solver(a: np.ndarray, low: np.ndarray, high: np.ndarray, lo: np.ndarray, hi: np.ndarray
            ) -> highspy.Highs:  # fmt: skip
    """A HiGHS model of low ≤ a·y ≤ high, lo ≤ y ≤ hi, kept to solve it again for other
    objectives from the last basis (a few iterations each)."""
    return highs.solver(sparse.csr_array(a), np.zeros(a.shape[1]), lo, hi, low, high)


@dataclass
class System:
    """Some variables at one period, as a reader of the shown figures sees them."""

    a: np.ndarray  # (rows, columns) the coefficients of each range
    low: np.ndarray  # (rows,) each range: low ≤ a·y ≤ high (±inf: open on that side)
    high: np.ndarray
    lo: np.ndarray  # (columns,) bounds of each column's sum
    hi: np.ndarray
    sizes: np.ndarray  # (columns,) people in each column's atom
    y: np.ndarray  # (columns,) the true sums (a solution)
    # Solutions found by programs, kept across the audit's rounds of one system: those that
    # still satisfy this one answer its questions before any program does.
    known: list[np.ndarray] = field(default_factory=list)
    linear_programs: int = 0
    _model: highspy.Highs | None = field(default=None, repr=False)
    _solutions: list[np.ndarray] | None = field(default=None, repr=False)

    def witnesses(self) -> tuple[np.ndarray, np.ndarray]:
        """(columns,) whether one unit more, and one unit less, on the column alone is a
        solution."""
        sums = self.a @ self.y

        def fits(step: float) -> np.ndarray:
            moved = sums[:, None] + step * self.a
            bad = (moved > self.high[:, None] + EPS) | (moved < self.low[:, None] - EPS)
            return ~bad.any(axis=0)

        up = (self.y + 1 <= self.hi + EPS) & fits(1.0)
        down = (self.y - 1 >= self.lo - EPS) & fits(-1.0)
        return up, down

    def partnered(self, columns: np.ndarray, step: float,
                  outside: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
        """(len(columns),) whether each column can move by `step` while another column (one
        of `outside`, when given) moves back by as much, every range still holding: a second
        witness, for columns whose ranges are tight on one side."""
        sums = self.a @ self.y
        room = np.ones(self.y.size, dtype=bool) if outside is None else outside.copy()
        room &= (self.y - step <= self.hi + EPS) & (self.y - step >= self.lo - EPS)
        others = np.flatnonzero(room)
        can = (self.lo[columns] - EPS <= self.y[columns] + step) & (
            self.y[columns] + step <= self.hi[columns] + EPS
        )
        if not others.size or not can.any():
            return np.zeros(columns.size, dtype=bool)
        # [row, column, partner]: every range after the column moves and the partner moves
        # back, a few columns at a time to hold memory.
        found = np.zeros(columns.size, dtype=bool)
        chunk = max(1, 2_000_000 // max(1, self.a.shape[0] * others.size))
        for start in range(0, columns.size, chunk):
            some = columns[start : start + chunk]
            moved = sums[:, None, None] + step * (
                self.a[:, some][:, :, None] - self.a[:, others][:, None, :]
            )
            fits = (moved <= self.high[:, None, None] + EPS) & (
                moved >= self.low[:, None, None] - EPS
            )
            partners = fits.all(axis=0) & (some[:, None] != others[None, :])
            found[start : start + chunk] = partners.any(axis=1)
        return can & found

    def solutions(self) -> np.ndarray:
        """(solutions, columns) the solutions known to satisfy this system: those of its own
        programs, and the earlier ones (`known`) it still holds within EPS."""
        if self._solutions is None:
            known = np.array(self.known).reshape(len(self.known), self.y.size)
            sums = known @ self.a.T
            fits = ((sums >= self.low - EPS) & (sums <= self.high + EPS)).all(axis=1) & (
                (known >= self.lo - EPS) & (known <= self.hi + EPS)
            ).all(axis=1)
            self._solutions = list(known[fits])
        return np.array(self._solutions).reshape(len(self._solutions), self.y.size)

    def single(self, weights: np.ndarray) -> bool:
        """Whether Σ weights·y (whole weights) holds one whole value only over the relaxed
        system: no solution puts it a whole unit away from the data's value, those known
        first, then the smallest and the largest."""
        value = float(weights @ self.y)
        for cost in (weights, -weights, None):
            sums = self.solutions() @ weights
            if ((np.ceil(sums - EPS) < value) | (np.floor(sums + EPS) > value)).any():
                return False
            if cost is not None:
                self._solution(cost)
        return True

    def _solution(self, cost: np.ndarray) -> np.ndarray:
        """A solution that minimises Σ cost·y (kept with the known ones)."""
        if self._model is None:
            self._model = _solver(self.a, self.low, self.high, self.lo, self.hi)
        model = self._model
        every = np.arange(self.y.size, dtype=np.int32)
        self.linear_programs += 1
        model.changeColsCost(every.size, every, cost.astype(np.float64))
        model.run()
        if model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError("the system of a publication has no solution")
        return self._keep(np.asarray(model.getSolution().col_value))

    def _keep(self, solution: np.ndarray) -> np.ndarray:
        self.solutions()
        assert self._solutions is not None
        self._solutions.append(solution)
        self.known.append(solution)
        return solution

    def narrowed(self) -> dict[int, float]:
        """Columns whose every member is narrowed to one value, with that value per person."""
        up, down = self.witnesses()
        single = self.sizes == 1
        at_low = np.abs(self.y - self.lo) < EPS
        at_high = np.abs(self.y - self.hi) < EPS
        # One person: any second value. Several: only a bound holds them all (at the lower
        # bound, a unit more frees them; at the upper one, a unit less).
        doubtful = np.where(single, ~up & ~down, (at_low & ~up) | (at_high & ~down))
        # Then with a partner moving the other way.
        for step, moving in ((1.0, single | at_low), (-1.0, single | at_high)):
            check = np.flatnonzero(doubtful & moving)
            doubtful[check[self.partnered(check, step)]] = False
        # A solution that moves a column by a whole unit frees it: first push every doubtful
        # column its free way at once, then each one left on its own, each time checking the
        # solution against all of them.
        pinned = self._pinned() & doubtful
        left = set(np.flatnonzero(doubtful & ~pinned).tolist())
        # Which way a column may still free itself: a single person not already at the top
        # may rise, several only from their lower bound (and the other way round).
        rise = (single | at_low) & (self.y + 1 <= self.hi + EPS)
        fall = (single | at_high) & (self.y - 1 >= self.lo - EPS)

        def freed(x: np.ndarray) -> set[int]:  # x: (solutions, columns)
            moved = (rise & (np.floor(x + EPS) > self.y + EPS)) | (
                fall & (np.ceil(x - EPS) < self.y - EPS)
            )
            return left & set(np.flatnonzero(moved.any(axis=0)).tolist())

        left -= freed(self.solutions())
        if len(left) > 1:
            weights = np.zeros(self.y.size)
            weights[list(left)] = np.where(rise[list(left)], -1.0, 1.0)
            left -= freed(self._solution(weights)[None])
        found = {j: float(self.y[j] / self.sizes[j]) for j in np.flatnonzero(pinned).tolist()}
        for j in sorted(left):
            if j not in left:
                continue  # freed by an earlier column's solution
            weights = np.zeros(self.y.size)
            for sign, side in ((-1.0, rise[j]), (1.0, fall[j])):
                if side and j in left:
                    weights[j] = sign
                    left -= freed(self._solution(weights)[None])
            if j in left:
                found[j] = float(self.y[j]) / float(self.sizes[j])
                left.discard(j)
        return found

    def _pinned(self) -> np.ndarray:
        """(columns,) columns held at a bound by one range alone, with no program: a range of
        non-negative coefficients whose upper side is less than one smallest step above its
        columns' lower bounds holds each of them there (and the other way round)."""
        if not self.a.size:
            return np.zeros(self.y.size, dtype=bool)
        a = np.where(self.a > EPS, self.a, 0.0)
        plain = (self.a >= -EPS).all(axis=1) & (a > 0).any(axis=1)
        step = np.where(a > 0, a, np.inf).min(axis=1)
        at_low = plain & (a @ self.lo + step > self.high + EPS)
        at_high = plain & (a @ self.hi - step < self.low - EPS)
        inside = a > 0
        return inside[at_low].any(axis=0) | inside[at_high].any(axis=0)

    def equalities(self) -> tuple[np.ndarray, np.ndarray]:
        """(rows,) which ranges are met with equality, and (columns,) which columns are held at
        a bound, in every solution of the relaxed system."""
        sums = self.a @ self.y
        up, down = self.witnesses()
        fixed = np.abs(self.high - self.low) < EPS
        # A witness raising a range's value frees its lower side; one lowering it, its upper.
        raises = ((self.a > EPS) & up).any(axis=1) | ((self.a < -EPS) & down).any(axis=1)
        lowers = ((self.a < -EPS) & up).any(axis=1) | ((self.a > EPS) & down).any(axis=1)
        tight = [
            ("row", int(i), side)
            for side, hit, free in (("low", np.abs(sums - self.low) < EPS, raises),
                                    ("high", np.abs(sums - self.high) < EPS, lowers))
            for i in np.flatnonzero(hit & ~fixed & ~free).tolist()
        ] + [
            ("column", int(j), side)
            for side, hit, free in (("low", np.abs(self.y - self.lo) < EPS, up),
                                    ("high", np.abs(self.y - self.hi) < EPS, down))
            for j in np.flatnonzero(hit & ~free & (self.hi - self.lo > EPS)).tolist()
        ]  # fmt: skip
        held = np.abs(self.hi - self.lo) < EPS
        # Each tight side as bound − coefficients·y ≥ 0: a known solution leaving it frees it,
        # then programs maximise the slacks of those left until none gets any.
        coefficients, bound = self._sides(tight)
        free = (bound - self.solutions() @ coefficients.T > EPS).any(axis=0)
        while not free.all():
            left = np.flatnonzero(~free)
            freed = self._slacks(coefficients[left], bound[left]) > EPS
            if not freed.any():
                break
            free[left[freed]] = True
        for (kind, index, _side), f in zip(tight, free.tolist(), strict=True):
            if f:
                continue
            if kind == "row":
                fixed[index] = True
            else:
                held[index] = True
        return fixed, held

    def _sides(self, tight: list[tuple[str, int, str]]) -> tuple[np.ndarray, np.ndarray]:
        """(sides, columns) coefficients and (sides,) bounds: each side of a range or of a
        column's bounds as bound − coefficients·y ≥ 0."""
        coefficients = np.zeros((len(tight), self.y.size))
        bound = np.zeros(len(tight))
        for j, (kind, index, side) in enumerate(tight):
            sign = -1.0 if side == "low" else 1.0
            if kind == "row":
                coefficients[j] = sign * self.a[index]
                bound[j] = sign * (self.low[index] if side == "low" else self.high[index])
            else:
                coefficients[j, index] = sign
                bound[j] = sign * (self.lo[index] if side == "low" else self.hi[index])
        return coefficients, bound

    def _slacks(self, coefficients: np.ndarray, bound: np.ndarray) -> np.ndarray:
        """One program: the largest slack (capped at 1) the sides get at once, each side a row
        `coefficients·y + s ≤ bound` beside the ranges (its solution kept)."""
        n, k = self.y.size, bound.size
        model = _solver(
            np.block([[self.a, np.zeros((self.a.shape[0], k))], [coefficients, np.eye(k)]]),
            np.concatenate([self.low, np.full(k, -np.inf)]),
            np.concatenate([self.high, bound]),
            np.concatenate([self.lo, np.zeros(k)]),
            np.concatenate([self.hi, np.ones(k)]),
        )  # fmt: skip
        every = np.arange(n + k, dtype=np.int32)
        model.changeColsCost(every.size, every, np.concatenate([np.zeros(n), -np.ones(k)]))
        self.linear_programs += 1
        model.run()
        if model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError("the system of a publication has no solution")  # the data is one
        solution = np.asarray(model.getSolution().col_value)
        self._keep(solution[:n])
        return solution[n:]
