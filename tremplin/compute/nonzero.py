"""The ties' audit for large publications: a person whose count in a sum cannot be zero.

`compute.tied` audits the tied variables together, one system for all of them, which is too
slow past a few hundred people. What it was written for (found 2026-12-05) is caught here
alone, at any size: a person alone in their atom whose count in a sum of several competences
(a tier: 0, 1 or 2; all of them: 0 to 30) could be 1 or 2 but not 0. No value of that count is
pinned (the audit of each variable alone lets it through), yet it says the person has been
assessed. So for every such count not at 0 (at 1, first the cheap move of `temporal` one unit
down), unless a group-level fact states the person assessed: one integer program
finds, on the sum's own ranges and link, as many of them at 0 as it can, again while it finds
some; each left then alone, within `SINGLES` programs (beyond them taken as pinned: more
hidden, never less). A count that cannot be 0 gives "assessed" away, closed through the sum's
figures and the "assessed" ones.

Not covered here (covered by `compute.tied` up to its size): several people's counts, and
what the sums, the competences and "assessed" pin only when read all together.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import LinearConstraint

from tremplin.compute import temporal

SINGLES = 40


def leaks(releases: list[temporal.Release], linked: list[set[str]], k: int,
          widths: dict[str, int], any_of: str,
          sums: list[str]) -> list[temporal.Leak]:  # fmt: skip
    """The people alone in their atom whose count in one of `sums` cannot be 0 while
    `any_of` (holding when the count is not 0) is not a group-level fact for them."""
    names = [any_of, *sums]
    tables = sorted({c.table for r in releases for c in r.cells if c.variable in names})
    held = temporal._model(releases, linked, any_of, 1, tables)
    stated = temporal._facts(held, k, *temporal.chains(held))
    found: list[temporal.Leak] = []
    for name in sums:
        width = widths.get(name, 1)
        alone = len(releases) == 1  # one date: no link asked
        if width < 2 or not (alone or any(name in linked[r] for r in range(1, len(releases)))):
            continue
        model = temporal._model(releases, linked, name, width, tables)
        later, earlier = temporal.chains(model)
        facts = stated | temporal._facts(model, k, later, earlier)
        moves = temporal._Moves(model, later, earlier)
        present = model.atoms[:, :, 0] != temporal.ABSENT
        places = []
        for a, r in zip(*np.nonzero(present & (model.truth >= 1)), strict=True):
            at, value = (int(a), int(r)), model.truth[a, r]
            if model.sizes[a] > 1 or at in facts or (value == 1 and moves.possible(*at, -1)):
                continue
            places.append(at)
        if not places:
            continue
        system = temporal._whole(model)
        cols = np.array([system.column[a, r] for a, r in places], dtype=np.int64)
        for (a, r), pinned in zip(places, _pinned(system, cols), strict=True):
            if pinned:
                found.append(temporal.Leak(r, any_of, model.people[a], 1, (name, any_of)))
    return found


def _pinned(system: temporal._System, cols: np.ndarray) -> list[bool]:
    """Whether each count (column `cols[i]`) cannot be 0."""
    upper, constraints = system.upper, system.constraints
    n = upper.size
    open_ = set(range(cols.size))
    while open_:
        ids = sorted(open_)
        x = _batch(constraints, upper, cols[ids])
        reached = set() if x is None else {i for i in open_ if round(x[cols[i]]) == 0}
        if not reached:
            break
        open_ -= reached
    out = [False] * cols.size
    programs = 0
    while open_:
        i = min(open_)
        open_.discard(i)
        programs += 1
        if programs > SINGLES:
            out[i] = True  # out of work: taken as pinned, closed like a leak
            continue
        top = upper.copy()
        top[cols[i]] = 0
        x = temporal._milp(np.zeros(n), constraints, np.ones(n), np.zeros(n), top)
        if x is None:
            out[i] = True
        else:
            open_ -= {j for j in open_ if round(x[cols[j]]) == 0}
    return out


def _batch(constraints: LinearConstraint, upper: np.ndarray,
           cols: np.ndarray) -> np.ndarray | None:  # fmt: skip
    """A solution putting as many of the counts `cols` at 0 as one program can: each gets a
    score `y` between 0 and 1 with `most·y + x ≤ most` (1 only at 0), their sum maximised.
    Boxed around the relaxation, then one unit wider (`temporal._milp`'s "wider"), never the
    whole program: that took minutes at 3,000 people, and the counts left are settled alone."""
    m = cols.size
    most = upper[cols]
    cost, rows, integrality, top = temporal.scored(constraints, upper, cols, np.ones(m), most,
                                                   np.full(m, -np.inf), most)  # fmt: skip
    return temporal._milp(cost, rows, integrality, np.zeros(top.size), top, fallback="wider")
