"""Mentoring pairs: who mentors whom, the best assignment over the whole company.

People opt in as mentors (the competences they can pass on, at level 3 or more on the 0–4
scale, and how many mentees they take: their capacity) and as mentees (their goals: the
competences where their target is above their current level). Each mentee gets at most one
mentor, each mentor at most `capacity` mentees, and the total score of the pairs is the largest
possible.

**Who may be paired.** Not the same person, and never two people of one reporting line: the
mentor is not the mentee's manager nor anyone above them, and the mentee is not above the
mentor either. They share a language (bitmasks, any common bit), work on the same site or both
accept remote mentoring, and the mentor covers at least one of the mentee's goals (level 3 or
more on it, and above the mentee's current level).

Reporting lines come as the materialised paths `Person.reporting_path` already holds
(`"/1/17/240/"`: ids from the top down to the person, `hierarchy.encode_path`). Each path is
read once into its ids; every id of a mentee's path that belongs to a mentor, and every id of a
mentor's path that belongs to a mentee, is a forbidden pair (the person themself included).
That is one pass over the paths (about 25,000 × their depth), giving a short list of pairs
struck out of the matrix, instead of a test on each of the 100 million pairs.

**Score** of a pair, in points out of 1,000, rounded per component so that the page's figures
add up to the total (`breakdown` gives them for one pair):

- gap coverage, up to `COVERAGE_POINTS`: the levels of gap the mentor can cover,
  Σ over goals of min(gap, mentor level − current level), over the mentee's total gap;
- level fit, up to `LEVEL_POINTS`: over the goals the mentor covers, the mean of `LEVEL_FIT`
  (a mentor one or two levels above is best, three or four levels above a little less good);
- cross-department bonus, `CROSS_DEPARTMENT_POINTS`, when both departments are known and differ.

Every eligible pair scores above zero (it covers at least one level of gap).

**The best assignment.** A b-matching, whose linear program (maximise Σ score·x, each mentee's
x summing to at most 1, each mentor's to at most its capacity, x ≥ 0) is totally unimodular:
its basic optimal solutions are whole, so the LP solved by HiGHS's simplex *is* the integer
optimum. At 20,000 × 5,000 the eligible pairs run into the tens of millions, too many for one
LP, so it is solved by column generation, exact by LP duality:

1. the LP over a first set of pairs: each mentee's `FIRST_PER_MENTEE` best mentors and each
   mentor's best mentees (`FIRST_PER_SEAT` per seat of capacity, plus `FIRST_EXTRA`);
2. its duals price every eligible pair: a pair left out can only improve the solution if
   score > u(mentee) + v(mentor); each mentee's `PRICED_PER_MENTEE` most promising such pairs
   join the LP, which is solved again from its last basis;
3. when no pair left out is priced above its duals by more than `TOLERANCE`, raising each
   mentee's dual by the largest excess left over any pair makes the duals feasible for the LP
   over *all* eligible pairs: their total (`Matching.bound`) bounds every assignment's score.
   Scores being whole points, a solution less than one point under that bound is the best one
   (at 20,000 mentees the bound is within 0.02 points); this is checked, and an error raised
   otherwise. Nothing is pruned on a guess: the pairs left out are proven useless by this
   certificate.

`greedy` is the peer: pairs by descending score (ties by mentee, then mentor), each taken when
both sides are still free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import highspy
import numpy as np

from tremplin.compute.highs import quiet

MENTOR_LEVEL = 3  # the lowest level at which a competence can be passed on
TOP_LEVEL = 4
COVERAGE_POINTS = 600
LEVEL_POINTS = 250
CROSS_DEPARTMENT_POINTS = 150
MAX_POINTS = COVERAGE_POINTS + LEVEL_POINTS + CROSS_DEPARTMENT_POINTS
# Fit of a mentor by how many levels they are above the mentee on a goal, in tenths (whole
# numbers keep every sum exact): one or two levels above is best.
LEVEL_FIT = {1: 10, 2: 10, 3: 8, 4: 6}

# Column generation (measured at 20,000 × 5,000: smaller first sets take more rounds, larger
# ones a longer first LP; any set gives the same optimum).
FIRST_PER_MENTEE = 4
FIRST_PER_SEAT = 2
FIRST_EXTRA = 4
PRICED_PER_MENTEE = 4
TOLERANCE = 1e-6  # in points
CELLS_PER_BLOCK = 2_000_000  # mentee × mentor cells scored at a time (memory)


@dataclass(frozen=True)
class Mentees:
    person: np.ndarray  # (n,) person ids, as in the reporting paths; one row per person
    reporting_path: Sequence[str]  # (n,) "/1/17/240/": top of the line down to the person
    current: np.ndarray  # (n, competences) levels 0–4, −1 when not assessed (counts as 0)
    target: np.ndarray  # (n, competences) levels 0–4; a goal wherever above the current level
    languages: np.ndarray  # (n,) bitmask (≥ 0) of the languages spoken
    site: np.ndarray  # (n,) site index, −1 when unknown
    remote: np.ndarray  # (n,) bool: accepts remote mentoring
    department: np.ndarray  # (n,) department index, −1 when unknown


@dataclass(frozen=True)
class Mentors:
    person: np.ndarray  # (m,) person ids; one row per person
    reporting_path: Sequence[str]  # (m,)
    level: np.ndarray  # (m, competences) levels offered, 0–4 (below MENTOR_LEVEL: not offered)
    capacity: np.ndarray  # (m,) most mentees taken
    languages: np.ndarray  # (m,) bitmask
    site: np.ndarray  # (m,) −1 when unknown
    remote: np.ndarray  # (m,) bool
    department: np.ndarray  # (m,) −1 when unknown


@dataclass(frozen=True)
class Pairs:
    """Every eligible pair, by mentee then mentor, with its score in points."""

    mentee: np.ndarray  # int32
    mentor: np.ndarray  # int32
    score: np.ndarray  # int16


@dataclass(frozen=True)
class Matching:
    mentor_of: np.ndarray  # (n,) the mentor index of each mentee, −1 when unmatched
    score: np.ndarray  # (n,) the score of each mentee's pair, 0 when unmatched
    total: int
    eligible_pairs: int
    rounds: int = 0  # linear programs solved (column generation); 0 for the greedy
    bound: float | None = None  # proven upper bound on any total (optimal only); total > bound − 1


@dataclass(frozen=True)
class Breakdown:
    """Why a pair scores what it does, in points."""

    coverage: int  # out of COVERAGE_POINTS
    level_fit: int  # out of LEVEL_POINTS
    cross_department: int  # 0 or CROSS_DEPARTMENT_POINTS
    total: int
    goals_covered: tuple[int, ...]  # competence indices of the goals the mentor covers


def _mentee_tables(current: np.ndarray, target: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """For a mentor at each level MENTOR_LEVEL..TOP_LEVEL on each competence, per mentee: the
    levels of gap covered, the fit (tenths) and whether the goal is covered, as (n, levels ×
    competences) float32 rows to multiply by `_mentor_columns`; and each mentee's total gap."""
    now = np.maximum(np.asarray(current, dtype=np.int16), 0)
    gap = np.maximum(np.asarray(target, dtype=np.int16) - now, 0)
    fit = np.zeros(TOP_LEVEL + 1, dtype=np.int16)
    for above, tenths in LEVEL_FIT.items():
        fit[above] = tenths
    covered, fits, counts = [], [], []
    for level in range(MENTOR_LEVEL, TOP_LEVEL + 1):
        above = np.maximum(level - now, 0)
        goal = (gap > 0) & (above > 0)
        covered.append(np.where(goal, np.minimum(gap, above), 0))
        fits.append(np.where(goal, fit[above], 0))
        counts.append(goal)
    as_rows = [np.hstack(t).astype(np.float32) for t in (covered, fits, counts)]
    return as_rows[0], as_rows[1], as_rows[2], gap.sum(axis=1)


def _mentor_columns(level: np.ndarray) -> np.ndarray:
    """(levels × competences, m) float32: 1 where the mentor offers that competence at that
    level."""
    offered = np.minimum(np.asarray(level, dtype=np.int16), TOP_LEVEL)
    return np.vstack([(offered == v).T for v in range(MENTOR_LEVEL, TOP_LEVEL + 1)]).astype(
        np.float32
    )


def _points(covered: np.ndarray, total_gap: np.ndarray, fit: np.ndarray, count: np.ndarray,
            cross: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Coverage, level fit and cross-department points; sums are whole numbers, so these are
    the same whichever way they were added up."""
    coverage = np.rint(COVERAGE_POINTS * covered / np.maximum(total_gap, 1))
    level = np.rint(LEVEL_POINTS * fit / (10 * np.maximum(count, 1)))
    return coverage, level, np.where(cross, CROSS_DEPARTMENT_POINTS, 0)


def _cross(mentee_department: np.ndarray, mentor_department: np.ndarray) -> np.ndarray:
    """Both departments known, and different."""
    return (
        (mentee_department >= 0)
        & (mentor_department >= 0)
        & (mentee_department != mentor_department)
    )


def breakdown(*, current: np.ndarray, target: np.ndarray, offered: np.ndarray,
              mentee_department: int, mentor_department: int) -> Breakdown:  # fmt: skip
    """The score of one pair, component by component, computed as the assignment computes it:
    the mentee's current and target levels and the mentor's levels, each (competences,). A
    mentor who covers none of the goals is not eligible: every figure is then 0."""
    covered, fit, count, total_gap = _mentee_tables(current[None, :], target[None, :])
    columns = _mentor_columns(offered[None, :])
    reached = (count[0] * columns[:, 0]).reshape(-1, len(current)).any(axis=0)
    if not reached.any():
        return Breakdown(0, 0, 0, 0, ())
    cross = _cross(np.array([mentee_department]), np.array([mentor_department]))
    points = _points(covered @ columns, total_gap, fit @ columns, count @ columns, cross)
    coverage, level, bonus = (int(p.ravel()[0]) for p in points)
    return Breakdown(coverage, level, bonus, coverage + level + bonus,
                     tuple(np.flatnonzero(reached).tolist()))  # fmt: skip


def _ids(paths: Sequence[str], person: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner row, id) for every id of each row's reporting path and the person's own id."""
    owners: list[int] = []
    ids: list[int] = []
    for row, (path, own) in enumerate(zip(paths, person.tolist(), strict=True)):
        chain = [int(key) for key in path.split("/") if key]
        chain.append(int(own))
        owners.extend([row] * len(chain))
        ids.extend(chain)
    return np.array(owners, dtype=np.int64), np.array(ids, dtype=np.int64)


def _rows_of(ids: np.ndarray, person: np.ndarray) -> np.ndarray:
    """The row of each id in `person`, −1 when absent."""
    rows = np.full(ids.size, -1, dtype=np.int64)
    if person.size == 0:
        return rows
    order = np.argsort(person, kind="stable")
    ordered = person[order]
    where = np.minimum(np.searchsorted(ordered, ids), ordered.size - 1)
    hit = ordered[where] == ids
    rows[hit] = order[where[hit]]
    return rows


def same_line(mentees: Mentees, mentors: Mentors) -> np.ndarray:
    """Keys mentee × m + mentor of the pairs within one reporting line (or one person),
    sorted."""
    for side in (mentees, mentors):
        person = np.asarray(side.person, dtype=np.int64)
        if np.unique(person).size != person.size:
            raise ValueError("a person appears twice on one side")
    m = len(mentors.person)
    mentee_person = np.asarray(mentees.person, dtype=np.int64)
    mentor_person = np.asarray(mentors.person, dtype=np.int64)
    owner, ids = _ids(mentees.reporting_path, mentee_person)
    above = _rows_of(ids, mentor_person)  # a mentor in the mentee's line, or the mentee
    keys = [owner[above >= 0] * m + above[above >= 0]]
    owner, ids = _ids(mentors.reporting_path, mentor_person)
    above = _rows_of(ids, mentee_person)  # a mentee in the mentor's line
    keys.append(above[above >= 0] * m + owner[above >= 0])
    return np.unique(np.concatenate(keys))


def eligible_pairs(mentees: Mentees, mentors: Mentors) -> Pairs:
    """Every pair that may be matched, with its score, a block of mentees at a time."""
    n, m = len(mentees.person), len(mentors.person)
    if n == 0 or m == 0:
        empty = np.zeros(0, dtype=np.int32)
        return Pairs(empty, empty.copy(), np.zeros(0, dtype=np.int16))
    if np.shape(mentees.current)[1] != np.shape(mentors.level)[1]:
        raise ValueError("mentees and mentors must have the same competences (columns)")
    covered, fit, count, total_gap = _mentee_tables(mentees.current, mentees.target)
    columns = _mentor_columns(mentors.level)
    forbidden = same_line(mentees, mentors)
    # The narrowest types make the mentee × mentor tests of each block cheaper.
    spoken = max(int(np.max(mentees.languages)), int(np.max(mentors.languages)), 0)
    lang_i = np.asarray(mentees.languages).astype(np.min_scalar_type(spoken))
    lang_j = np.asarray(mentors.languages).astype(lang_i.dtype)
    site_i = np.where(np.asarray(mentees.site) >= 0, mentees.site, -1).astype(np.int32)
    site_j = np.where(np.asarray(mentors.site) >= 0, mentors.site, -2).astype(np.int32)
    remote_i = np.asarray(mentees.remote, dtype=bool)
    remote_j = np.asarray(mentors.remote, dtype=bool)
    dept_i, dept_j = np.asarray(mentees.department), np.asarray(mentors.department)
    open_j = np.asarray(mentors.capacity) > 0
    block = max(1, CELLS_PER_BLOCK // m)
    found_i, found_j, found_s = [], [], []
    for start in range(0, n, block):
        rows = slice(start, min(start + block, n))
        ok = (site_i[rows, None] == site_j) | (remote_i[rows, None] & remote_j)  # unknown: −1/−2
        ok &= (lang_i[rows, None] & lang_j) != 0
        ok &= open_j
        goals = count[rows] @ columns
        ok &= goals > 0
        keys = forbidden[(forbidden >= start * m) & (forbidden < rows.stop * m)] - start * m
        ok.ravel()[keys] = False
        cells = np.flatnonzero(ok)
        i, j = np.divmod(cells, m)
        parts = _points((covered[rows] @ columns).ravel()[cells], total_gap[rows][i],
                        (fit[rows] @ columns).ravel()[cells], goals.ravel()[cells],
                        _cross(dept_i[rows][i], dept_j[j]))  # fmt: skip
        found_i.append((i + start).astype(np.int32))
        found_j.append(j.astype(np.int32))
        found_s.append((parts[0] + parts[1] + parts[2]).astype(np.int16))
    return Pairs(np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s))


def _top(group: np.ndarray, value: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Positions of the `limit[g]` largest values of each group g (ties: first positions)."""
    order = np.lexsort((-value, group))
    grouped = group[order]
    rank = np.arange(grouped.size) - np.searchsorted(grouped, grouped)
    return np.sort(order[rank < limit[grouped]])


def _best(group: np.ndarray, score: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """`_top` for whole scores 0–MAX_POINTS, by counting (tens of millions of pairs: no sort):
    each group's threshold score from its histogram, then the ties at it by position."""
    width = MAX_POINTS + 1
    worse = MAX_POINTS - score  # 0: the best score
    key = np.multiply(group, width, dtype=np.int64)
    key += worse
    counts = np.bincount(key, minlength=limit.size * width)
    del key
    reached = np.cumsum(counts.reshape(limit.size, width), axis=1, dtype=np.int32)
    del counts
    cut = (reached < limit[:, None]).sum(axis=1)  # each group's threshold (width: keep all)
    above = np.where(cut > 0, reached[np.arange(limit.size), np.maximum(cut - 1, 0)], 0)
    del reached
    threshold = cut[group]
    keep = worse < threshold
    ties = np.flatnonzero(worse == threshold)
    keep[ties[_top(group[ties], np.zeros(ties.size), limit - above)]] = True
    return np.flatnonzero(keep)


def _matching(pairs: Pairs, taken: np.ndarray, n: int, rounds: int, bound: float | None
              ) -> Matching:  # fmt: skip
    mentor_of = np.full(n, -1, dtype=np.int64)
    score = np.zeros(n, dtype=np.int64)
    mentor_of[pairs.mentee[taken]] = pairs.mentor[taken]
    score[pairs.mentee[taken]] = pairs.score[taken]
    return Matching(mentor_of, score, int(score.sum()), int(pairs.score.size), rounds, bound)


def _priced(pairs: Pairs, dual: np.ndarray, n: int, in_lp: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, float]:  # fmt: skip
    """The pairs out of the LP whose score exceeds their mentee's and mentor's duals (they
    could raise the total), with by how much; and the largest such excess over every pair, in
    the LP or not (0 when the duals are feasible). A block of pairs at a time (memory)."""
    positions, gains = [], []
    violation = 0.0
    for start in range(0, pairs.score.size, CELLS_PER_BLOCK):
        part = slice(start, start + CELLS_PER_BLOCK)
        gain = pairs.score[part] - dual[pairs.mentee[part]] - dual[n + pairs.mentor[part]]
        violation = max(violation, float(gain.max()))
        found = np.flatnonzero((gain > TOLERANCE) & ~in_lp[part])
        positions.append(found + start)
        gains.append(gain[found])
    return np.concatenate(positions), np.concatenate(gains), violation


def _duals(solution: highspy.HighsSolution, mentee: np.ndarray, n: int) -> np.ndarray:
    """The LP's duals, mentees' then mentors', priced for pairs without an upper bound.

    Duals of "at most" rows of a maximisation are ≥ 0 (rounding noise is clipped, which only
    makes them more feasible). A pair held at 1 by its own bound (x ≤ 1, which helps the
    simplex) carries the rest of its price on that bound's dual: it moves to its mentee's row,
    which holds that pair alone at 1, so the dual total is unchanged and the row duals price
    every pair, in the LP or not.
    """
    dual = np.maximum(np.asarray(solution.row_dual), 0.0)
    held = np.zeros(n)
    np.maximum.at(held, mentee, np.maximum(np.asarray(solution.col_dual), 0.0))
    dual[:n] += held
    return dual


def best_assignment(pairs: Pairs, capacity: np.ndarray, n: int) -> Matching:
    """The assignment of largest total score over `pairs` (column generation, see above),
    for `n` mentees and mentors of `capacity`."""
    capacity = np.asarray(capacity, dtype=np.int64)
    m = capacity.size
    if pairs.score.size == 0:
        return _matching(pairs, np.zeros(0, dtype=np.int64), n, 0, 0.0)
    quiet()
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("solver", "simplex")  # a basic solution: whole, the LP being TU
    solver.setOptionValue("presolve", "off")  # it finds little to remove here, for seconds
    solver.changeObjectiveSense(highspy.ObjSense.kMaximize)
    upper = np.r_[np.ones(n), capacity.astype(np.float64)]
    solver.addRows(n + m, np.zeros(n + m), upper, 0, np.zeros(0, np.int32),
                   np.zeros(0, np.int32), np.zeros(0))  # fmt: skip
    in_lp = np.zeros(pairs.score.size, dtype=bool)
    columns: list[np.ndarray] = []
    added = np.union1d(
        _best(pairs.mentee, pairs.score, np.full(n, FIRST_PER_MENTEE)),
        _best(pairs.mentor, pairs.score, FIRST_PER_SEAT * capacity + FIRST_EXTRA),
    )
    while True:
        k = added.size
        rows = np.column_stack([pairs.mentee[added], n + pairs.mentor[added]]).ravel()
        solver.addCols(k, pairs.score[added].astype(np.float64), np.zeros(k), np.ones(k), 2 * k,
                       np.arange(0, 2 * k, 2, dtype=np.int32), rows.astype(np.int32),
                       np.ones(2 * k))  # fmt: skip
        in_lp[added] = True
        columns.append(added)
        solver.run()
        status = solver.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"mentoring LP: {solver.modelStatusToString(status)}")
        dual = _duals(solver.getSolution(), pairs.mentee[np.concatenate(columns)], n)
        better, gain, violation = _priced(pairs, dual, n, in_lp)
        if not better.size:
            break
        added = better[_top(pairs.mentee[better], gain, np.full(n, PRICED_PER_MENTEE))]
    x = np.asarray(solver.getSolution().col_value)
    if np.abs(x - np.rint(x)).max() > 1e-6:
        raise RuntimeError("mentoring LP: the simplex returned a fractional solution")
    found = _matching(pairs, np.concatenate(columns)[x > 0.5], n, len(columns), 0.0)
    # Raising every mentee's dual by the largest violation makes them feasible for every pair:
    # a bound on any assignment's total. Totals being whole, one within 1 of it is the best.
    bound = float(dual[:n].sum() + dual[n:] @ capacity) + n * violation
    if bound >= found.total + 1:
        raise RuntimeError(f"mentoring LP: {found.total} not proven optimal (bound {bound})")
    return replace(found, bound=bound)


def optimal(mentees: Mentees, mentors: Mentors) -> Matching:
    """The assignment of largest total score."""
    return best_assignment(eligible_pairs(mentees, mentors), mentors.capacity, len(mentees.person))


def greedy_assignment(pairs: Pairs, capacity: np.ndarray, n: int) -> Matching:
    """Pairs by descending score (ties: by mentee, then mentor), each taken when both sides
    are free. A block of pairs at a time is first filtered by who was free at its start."""
    order = np.argsort(-pairs.score, kind="stable")
    room = np.asarray(capacity, dtype=np.int64).copy()
    free = np.ones(n, dtype=bool)
    taken: list[int] = []
    block = 1 << 20
    for start in range(0, order.size, block):
        if not free.any() or not (room > 0).any():
            break
        positions = order[start : start + block]
        live = free[pairs.mentee[positions]] & (room[pairs.mentor[positions]] > 0)
        positions = positions[live]
        room_now, free_now = room.tolist(), free.tolist()
        for position, i, j in zip(positions.tolist(), pairs.mentee[positions].tolist(),
                                  pairs.mentor[positions].tolist(), strict=True):  # fmt: skip
            if free_now[i] and room_now[j] > 0:
                free_now[i] = False
                room_now[j] -= 1
                taken.append(position)
        room, free = np.array(room_now, dtype=np.int64), np.array(free_now, dtype=bool)
    return _matching(pairs, np.array(taken, dtype=np.int64), n, 0, None)


def greedy(mentees: Mentees, mentors: Mentors) -> Matching:
    """The peer: the best remaining pair first."""
    return greedy_assignment(eligible_pairs(mentees, mentors), mentors.capacity,
                             len(mentees.person))  # fmt: skip
