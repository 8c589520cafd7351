"""Auditing figures read at several dates together, when the groups change between them.

A reader who keeps each release (the Article 4 register at every quarter end) holds more than
any one of them: between two releases a group gains or loses a few people, and a measure that
never goes away (a session attended, a quiz taken) can only grow for those who stay. With the
ranges of both releases, that is often enough to work out the newcomers' values: a family's
count of people who took the quiz, at most 17 now, was at least 17 a quarter ago among those
still there, so the newcomer has not taken it. Each release audited alone (`compute.disclosure`)
cannot see this.

The model here is that attacker's, per variable:

- the unknowns are **atoms**: people counted in the same releases, in the same group of every
  table at each of them (interchangeable for the reader); `c[a, r]` is how many of atom `a`
  have the value 1 at release `r` (0/1 variables);
- each shown figure states a whole range for the sum over its group (`Cell`);
- where the variable cannot decrease between two releases (`linked`), `c[a, r] ≥ c[a, r']`
  for the releases `r' < r` that follow each other in the atom's presence.

A leak is an atom whose count is determined while it holds fewer than `k` people, or is
determined at none or all of them (every member's value known), unless a shown figure of a
group of at least `k` people states that value for its whole group (a group-level fact, as the
one-release audit allows) at that release or, through the link, an earlier (all) or later
(none) one. A fact worked out (every count of a shown group proven determined, at none or all)
is granted by `compute.tied` only, not here: granted here, the ties' audit ran in rounds it is
skipped in otherwise and found leaks of earlier dates it could not close within its rounds
(`bench/releases_across.py --people 500`: 160 figures hidden instead of 22, 82 s instead of
18 s, 2026-12-06). Two values are proved cheaply first: the
atom's count moved by one unit, with the moves the link forces on its other releases, without
leaving any range; or, at each release where a range has no room, another atom moving the
other way there. The few left are settled by
integer programs (one moving as many as it can at once, again while it moves some, then each
alone; every solution found also frees the counts the cheap moves carry from it), within a limit of
work (not of time: the same data gives the same figures): a count they have not settled then
is taken as determined and closed like a leak, so a hard program hides more, never less. Not
covered: the sum of a union of several atoms fixed while each is not, and values that may go
down (those variables are not linked, and each release's own audit protects them).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import highspy
import numpy as np
from scipy import sparse
from scipy.optimize import LinearConstraint

from tremplin.compute import highs

ABSENT = -2  # the person is not counted by the release
# Each integer program may explore NODES branch-and-bound nodes, and each variable gets at
# most SINGLES programs for one count alone; a count still unsettled then is taken as
# determined (a leak, closed by widening or hiding a figure): more hidden, never less. Limits
# of work, not of time, so that the same data always gives the same figures.
NODES = 200
SINGLES = 40
IMPROVING = 1  # solutions better than none HiGHS may find before stopping
# At most FEW counts open on a small program: each asked alone rather than `_must`. On 10 audits
# of the tests' second-day and leaver histories under three hash seeds, identical answers in
# 64 to 83 s with 3, 58 to 63 s with 6, against 97 to 103 s with `_must` always (10 changed one
# answer); but on the tier histories 6 took longer than 3 (42-57 s against 36-48 s, and 26-42
# against 22-34, hash seeds 0 and 1), and `make demo`'s figures were the same within the noise
# (54-71 s). One `_must` with 2 open counts ran 24 s to its limit where each count alone found
# a solution in 4 s.
FEW = 3
MUST_COLUMNS = 2000  # the largest program `settle` asks to move one of its open counts
# Solutions an audit keeps, by program (`space`: a digest of what its columns are); each a
# whole set of counts the reader cannot rule out, tried first when the audit asks again.
Solutions = dict[bytes, list[np.ndarray]]
KEPT = 256  # solutions kept a program (the first found; a limit of memory)


@dataclass(frozen=True)
class Cell:
    """A shown figure: the sum of `variable` over group `group` of table `table` lies in
    [low, high] (whole numbers)."""

    table: str
    group: int
    variable: str
    low: float
    high: float


@dataclass(frozen=True)
class Release:
    """One release: the people it counts (stable ids), each table's group of each of them
    (−1: outside the table), every person's value of each variable and the shown cells."""

    people: np.ndarray
    groups: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    cells: list[Cell]


@dataclass(frozen=True)
class Leak:
    release: int
    variable: str
    people: np.ndarray  # the atom's stable ids
    value: int  # its determined count
    # The variables whose figures gave it away: its own (empty), or every variable tied to
    # it (`compute.tied`: worked out from several together).
    through: tuple[str, ...] = ()


@dataclass
class _Model:
    atoms: np.ndarray  # (atoms, releases, tables) group labels, ABSENT where not counted
    sizes: np.ndarray  # (atoms,) people
    caps: np.ndarray  # (atoms,) the most a count can be: people × the most a person's value is
    truth: np.ndarray  # (atoms, releases) the true counts (0 where absent)
    people: list[np.ndarray]  # stable ids of each atom
    rows: list[tuple[int, np.ndarray, float, float]]  # (release, atoms, low, high)
    places: list[tuple[int, int]]  # (table, group) of each row
    links: list[tuple[int, int, int]]  # (atom, earlier release, later release)


def leaks(releases: list[Release], linked: list[set[str]], k: int,
          widths: dict[str, int] | None = None,
          known: Solutions | None = None) -> list[Leak]:  # fmt: skip
    """Every leak of `releases` read together; `linked[r]` names the variables that cannot
    decrease from release r − 1 to release r (`linked[0]` is not read). `widths[v]`: the most
    a person's value of v is (1 by default: 0/1 values), as a tier's count of competences
    assessed; a count is then given away at 0 or at everyone's most. `known`: the solutions
    the integer programs found earlier in the same audit, tried first and added to (`kept`)."""
    names = sorted({c.variable for r in releases for c in r.cells})
    found: list[Leak] = []
    for name in names:
        if not any(name in linked[r] for r in range(1, len(releases))):
            continue  # never linked: each release's own audit covers it
        width = (widths or {}).get(name, 1)
        found += _leaks_of(_model(releases, linked, name, width), name, k, known)
    return found


def _model(releases: list[Release], linked: list[set[str]], name: str, width: int,
           tables: list[str] | None = None) -> _Model:  # fmt: skip
    """The atoms of the tables showing `name` (or of `tables`), its counts and ranges."""
    if tables is None:
        tables = sorted({c.table for r in releases for c in r.cells if c.variable == name})
    ids = np.unique(np.concatenate([r.people for r in releases]))
    n_r, n_t = len(releases), len(tables)
    labels = np.full((ids.size, n_r, n_t), ABSENT, dtype=np.int64)
    values = np.zeros((ids.size, n_r))
    for r, release in enumerate(releases):
        at = np.searchsorted(ids, release.people)
        for t, table in enumerate(tables):
            labels[at, r, t] = release.groups.get(table, np.full(at.size, -1))
        if not at.size:
            continue
        labels[at, r, :] = np.maximum(labels[at, r, :], -1)  # counted, maybe outside
        values[at, r] = release.values.get(name, np.zeros(at.size))
    flat = labels.reshape(ids.size, -1)
    unique, inverse = np.unique(flat, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    atoms = unique.reshape(-1, n_r, n_t)
    sizes = np.bincount(inverse, minlength=len(unique))
    truth = np.zeros((len(unique), n_r))
    np.add.at(truth, inverse, values)
    order = np.argsort(inverse, kind="stable")
    people = np.split(ids[order], np.cumsum(sizes)[:-1])
    rows, places = [], []
    for r, release in enumerate(releases):
        for cell in release.cells:
            if cell.variable != name:
                continue
            members = np.flatnonzero(atoms[:, r, tables.index(cell.table)] == cell.group)
            rows.append((r, members, cell.low, cell.high))
            places.append((tables.index(cell.table), cell.group))
    present = atoms[:, :, 0] != ABSENT if n_t else np.zeros((len(unique), n_r), bool)
    links = []
    for a in range(len(unique)):
        seen = np.flatnonzero(present[a])
        for before, after in pairwise(seen.tolist()):
            chained = all(name in linked[r] for r in range(before + 1, after + 1))
            # A value that went down is not linked: the attacker's assumption is false there.
            if chained and truth[a, after] >= truth[a, before]:
                links.append((a, before, after))
    return _Model(atoms, sizes, sizes * width, truth, people, rows, places, links)


def _leaks_of(model: _Model, name: str, k: int, known: Solutions | None = None) -> list[Leak]:
    n_a = model.truth.shape[0]
    present = model.atoms[:, :, 0] != ABSENT
    later, earlier = chains(model)
    facts = _facts(model, k, later, earlier)
    moves = _Moves(model, later, earlier)
    candidates = []
    for a in range(n_a):
        for r in np.flatnonzero(present[a]):
            value = model.truth[a, r]
            if not (model.sizes[a] < k or value in (0, model.caps[a])):
                continue
            if (a, int(r)) in facts:
                continue
            if moves.possible(a, int(r), +1) or moves.possible(a, int(r), -1):
                continue
            candidates.append((a, int(r)))
    if not candidates:
        return []
    # A fact worked out is not granted here (`compute.tied` grants it): proven or not, a
    # determined count is a leak.
    settled, _proven = _integer_program(model, name, candidates, later, earlier, known)
    return [Leak(r, name, model.people[a], int(model.truth[a, r]))
            for (a, r), pinned in zip(candidates, settled, strict=True) if pinned]  # fmt: skip


Chain = dict[tuple[int, int], int]


def chains(model: _Model) -> tuple[Chain, Chain]:
    """The link as lookups: (atom, release) to the next release it is linked to, and to the
    previous one."""
    later = {(a, r0): r1 for a, r0, r1 in model.links}
    earlier = {(a, r1): r0 for a, r0, r1 in model.links}
    return later, earlier


def _carried(base: np.ndarray, a: int, r: int, step: int,
             chain: dict[tuple[int, int], int]) -> list[int]:  # fmt: skip
    """The releases atom `a` moves at when its count at `r` moves by `step` from the counts
    `base`: `r`, then those the link makes follow (later ones going up, earlier ones going
    down)."""
    value = base[a, r] + step
    moves = [r]
    at = chain.get((a, r))
    while at is not None and (base[a, at] < value if step > 0 else base[a, at] > value):
        moves.append(at)
        at = chain.get((a, at))
    return moves


class _Moves:
    """Cheap proofs that a count can take another value: the atom moves by one unit alone
    where every range holding it has room, or together with another atom moving the other way
    at that release (a group holding both keeps its sum; a group holding one moves by one
    unit, which its range must allow). `up` and `down`: each range's room, by release, table
    and group. The counts moved from are the truth, or `base`: any other counts the ranges
    and the link allow (an integer program's solution)."""

    def __init__(self, model: _Model, later: dict[tuple[int, int], int],
                 earlier: dict[tuple[int, int], int],
                 base: np.ndarray | None = None) -> None:  # fmt: skip
        self.model = model
        self.base = model.truth if base is None else base
        n_a, n_r, n_t = model.atoms.shape
        self.width = int(model.atoms.max(initial=0)) + 3  # −1 and ABSENT land past the groups
        self.up = np.full((n_r, n_t, self.width), np.inf)
        self.down = np.full((n_r, n_t, self.width), np.inf)
        for (r, members, low, high), (t, g) in zip(model.rows, model.places, strict=True):
            total = float(self.base[members, r].sum())
            self.up[r, t, g] = min(self.up[r, t, g], high - total)
            self.down[r, t, g] = min(self.down[r, t, g], total - low)
        self.before = np.full((n_a, n_r), -1)
        self.after = np.full((n_a, n_r), -1)
        for (a, r), e in earlier.items():
            self.before[a, r] = e
        for (a, r), e in later.items():
            self.after[a, r] = e
        self.later, self.earlier = later, earlier

    def possible(self, a: int, r: int, step: int) -> bool:
        """Whether atom `a` can move by `step` at `r` and where the link carries it, with, at
        each of those releases, either room in every range holding it or another atom moving
        the other way there (alone: its link allows it)."""
        model = self.model
        if not 0 <= self.base[a, r] + step <= model.caps[a]:
            return False
        moves = _carried(self.base, a, r, step, self.later if step > 0 else self.earlier)
        mine, other = (self.up, self.down) if step > 0 else (self.down, self.up)
        tables = np.arange(model.atoms.shape[2])
        return all(self._at(a, s, step, mine, other, tables) for s in moves)

    def _at(self, a: int, s: int, step: int, mine: np.ndarray, other: np.ndarray,
            tables: np.ndarray) -> bool:  # fmt: skip
        model = self.model
        labels = model.atoms[a, s, :]
        room_a = mine[s, tables, labels % self.width] >= 1
        if room_a.all():
            return True
        value = self.base[:, s] - step
        ok = (model.atoms[:, s, 0] != ABSENT) & (value >= 0) & (value <= model.caps)
        ok[a] = False
        edge = (self.before if step > 0 else self.after)[:, s]
        tied = self.base[np.arange(edge.size), np.maximum(edge, 0)]
        ok &= (edge < 0) | ((tied <= value) if step > 0 else (tied >= value))
        theirs = model.atoms[ok][:, s, :]  # (atoms, tables)
        room_b = other[s, tables[None, :], theirs % self.width] >= 1
        return bool(np.all((theirs == labels[None]) | (room_a[None] & room_b), axis=1).any())


def _facts(model: _Model, k: int, later: dict[tuple[int, int], int],
           earlier: dict[tuple[int, int], int],
           known: set[tuple[int, int]] | None = None) -> set[tuple[int, int]]:  # fmt: skip
    """(atom, release) pairs whose value a group-level fact states: a shown range of a group
    of at least k people fixed at none or all of them, carried forward (all) or backward
    (none) by the link. With `known` (counts proven determined), also a group whose every
    count is stated or known, at none or all of them: the reader worked out a fact about
    the whole group, which the one-release audit allows too (`compute.disclosure`); until
    nothing more follows. A count only taken as determined (a limit of work) is not known:
    it must not excuse the others of its group."""
    out: set[tuple[int, int]] = set()
    changed = True
    while changed:
        changed = False
        for r, members, low, high in model.rows:
            size, cap = int(model.sizes[members].sum()), int(model.caps[members].sum())
            if size < k:
                continue
            if low == high and low in (0, cap):
                value = low
            elif known and all((a, r) in out or (a, r) in known for a in members.tolist()):
                value = float(model.truth[members, r].sum())
                if value not in (0, cap):
                    continue
            else:
                continue
            chain = earlier if value == 0 else later
            for a in members.tolist():
                at: int | None = r
                while at is not None and (a, at) not in out:
                    out.add((a, at))
                    changed = True
                    at = chain.get((a, at))
    return out


@dataclass
class _System:
    """One integer column a count (`column[a, r]`; −1: absent), the shown ranges and the link
    as rows."""

    column: np.ndarray
    constraints: LinearConstraint
    upper: np.ndarray  # each column's most (from 0)

    def counts(self, x: np.ndarray) -> np.ndarray:
        return np.where(self.column >= 0, np.round(x)[self.column], 0.0)


def _whole(model: _Model) -> _System:
    """The program of `model`: the shown ranges and the link."""
    n_a, n_r = model.truth.shape
    present = model.atoms[:, :, 0] != ABSENT
    column = -np.ones((n_a, n_r), dtype=np.int64)
    column[present] = np.arange(int(present.sum()))
    n = int(present.sum())
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    low: list[float] = []
    high: list[float] = []
    for r, members, lo, hi in model.rows:
        rows += [len(low)] * members.size
        cols += column[members, r].tolist()
        data += [1.0] * members.size
        low.append(lo)
        high.append(hi)
    for a, r0, r1 in model.links:
        rows += [len(low), len(low)]
        cols += [column[a, r1], column[a, r0]]
        data += [1.0, -1.0]
        low.append(0.0)
        high.append(np.inf)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(low), n))
    upper = np.broadcast_to(model.caps[:, None], (n_a, n_r))[present].astype(np.float64)
    return _System(column, LinearConstraint(matrix, low, high), upper)


def _integer_program(model: _Model, name: str, candidates: list[tuple[int, int]],
                     later: dict[tuple[int, int], int], earlier: dict[tuple[int, int], int],
                     known: Solutions | None) -> Pins:  # fmt: skip
    """Whether each candidate's count is the only one the ranges and the link allow, and
    whether that is proven (`settle`). Each program's solution is other counts the reader
    cannot rule out: a count it moved is not determined, nor is one the cheap moves
    (`_Moves`) carry from there. The solutions `known` of the same program are tried first."""
    truth = np.array([model.truth[a, r] for a, r in candidates])
    caps = np.array([model.caps[a] for a, _r in candidates], dtype=np.float64)
    system = _whole(model)

    def freed(x: np.ndarray, open_: set[int]) -> set[int]:
        """The open counts `x` (a solution) moved, or the cheap moves carry away from it."""
        counts = system.counts(x)
        moves = _Moves(model, later, earlier, counts)
        return {i for i in open_ if counts[candidates[i]] != truth[i]
                or moves.possible(*candidates[i], +1)
                or moves.possible(*candidates[i], -1)}  # fmt: skip

    cols = np.array([int(system.column[a, r]) for a, r in candidates], dtype=np.int64)
    key = space([(name, model)])
    with kept(known, key, system.constraints, system.upper, freed, cols.size) as (open_, keep):
        return settle(system.constraints, system.upper, cols, truth, caps, keep, SINGLES,
                      start=open_)  # fmt: skip


def space(models: Sequence[tuple[str, _Model]]) -> bytes:
    """A digest of what a program's columns are: each variable's atoms, their sizes, true
    counts and link (its rows may differ: other figures shown, or hidden)."""
    digest = hashlib.sha256()
    for name, model in models:
        digest.update(repr((name, model.atoms.shape, model.links)).encode())
        for array in (model.atoms, model.sizes, model.caps, model.truth):
            digest.update(np.ascontiguousarray(array).tobytes())
    return digest.digest()


@contextmanager
def kept(known: Solutions | None, key: bytes, constraints: LinearConstraint,
         upper: np.ndarray, freed: Freed, n: int) -> Iterator[tuple[set[int], Freed]]:  # fmt: skip
    """For `settle` on the program `key` asking about `n` counts: those still open after the
    solutions `known` of it that it allows, and `freed` keeping, in `known`, each new
    solution that frees some (up to `KEPT`). A round of an audit only widens or hides
    figures, so each solution of a round is one of the next: the leaver history of
    `tests/insights/test_published_across_days.py` re-proved, each round, the 170 counts of
    the round before with integer programs of 1 to 18 s. Checked all the same: a solution
    of another program (the same people, other figures) is one only where every range
    allows it."""
    start = set(range(n))
    if known is None:
        yield start, freed
        return
    earlier = known.get(key, [])
    new: list[np.ndarray] = []

    def keeping(x: np.ndarray, open_: set[int]) -> set[int]:
        moved = freed(x, open_)
        if moved:
            new.append(np.round(x[: upper.size]))
        return moved

    for x in earlier:
        if start and allowed(constraints, upper, x):
            start -= freed(x, start)
    yield start, keeping
    if new and len(earlier) < KEPT:
        known[key] = earlier + new[: KEPT - len(earlier)]


def allowed(constraints: LinearConstraint, upper: np.ndarray, x: np.ndarray) -> bool:
    """Whether the counts `x` are within every bound and range of the program."""
    if x.size != upper.size or (x < 0).any() or (x > upper).any():
        return False
    at = constraints.A @ x
    return not ((at < constraints.lb - 1e-9) | (at > constraints.ub + 1e-9)).any()


Freed = Callable[[np.ndarray, set[int]], set[int]]
Fallback = Literal["whole", "wider", "none"]
# Whether each count is determined, and whether that is proven (False for a count only taken
# as determined at a limit of work).
Pins = tuple[list[bool], list[bool]]


def settle(constraints: LinearConstraint, upper: np.ndarray, cols: np.ndarray,
           truth: np.ndarray, caps: np.ndarray, freed: Freed, singles: int = SINGLES,
           fallback: Fallback = "whole", start: set[int] | None = None) -> Pins:  # fmt: skip
    """Whether each count (integer column `cols[i]`, true value `truth[i]`, at most
    `caps[i]`) is the only one the program allows. Each open count is asked about on one side
    (up when it can go up, else down): one program moves as many as it can away from the
    truth, again while it moves some (`_batch`, `fallback` as there). When one moves none, a
    program that must move one of them (`_must`): when it finds one, on again; when it proves
    none can move on its side, each turns to its other side (a count that has none is
    determined), and when none can move there either, every count left is determined. When
    that program is cut short by its limit of work, a batch in a box one unit wider (when
    `fallback` is that; the batches before it only the box, which `_must` replaces); only
    when that moves none, each left alone on both sides, within `singles` programs (beyond
    them, taken as determined). Proofs of "none can move" are what made each count alone
    costly: HiGHS proves one for the whole batch in a fraction of a second (0.1 s against 3
    to 8 s a count on the tests' 120-person company). On larger programs (over
    `MUST_COLUMNS` columns) `_must` is not run: on the demo's ties (6,480 columns) each took
    10 to 60 s and moved one or two counts; with at most `FEW` counts open, each is asked
    alone instead (below), which proves or moves in a fraction of `_must`'s time.
    `freed(x, open_)`: the open counts a solution `x` shows are not determined. With each
    answer, whether it is proven: a count taken as determined at a limit of work is not.
    `start`: the counts open (by default all; the others are known not to be determined)."""
    open_ = set(range(cols.size)) if start is None else set(start)
    out = [False] * cols.size
    side = np.where(truth < caps, 1.0, -1.0)
    small = upper.size <= MUST_COLUMNS
    first: Fallback = "none" if small and fallback == "wider" else fallback
    turned = False
    while open_:
        ids = np.array(sorted(open_))
        x = _batch(constraints, upper, cols[ids], truth[ids], side[ids], first)
        moved = set() if x is None else freed(x, open_)
        if moved:
            open_ -= moved
            continue
        if not small or len(open_) <= FEW:
            break  # each alone, below
        x, proven = _must(constraints, upper, cols[ids], truth[ids], caps[ids], side[ids])
        moved = set() if x is None else freed(x, open_)
        if not moved and not proven and fallback == "wider":
            x = _batch(constraints, upper, cols[ids], truth[ids], side[ids], "wider")
            moved = set() if x is None else freed(x, open_)
        if moved:
            open_ -= moved
        elif not proven:
            break  # cut short: each alone, below
        elif turned:
            for i in open_:
                out[i] = True
            return out, list(out)
        else:  # none can move on its side: the other side, if it has one
            other = np.where(side[ids] > 0, truth[ids] > 0, truth[ids] < caps[ids])
            for i in ids[~other].tolist():
                out[i] = True
                open_.discard(i)
            side[ids] = -side[ids]
            turned = True
    return _singles(constraints, upper, cols, truth, caps, freed, singles, open_, out)


def _singles(constraints: LinearConstraint, upper: np.ndarray, cols: np.ndarray,
             truth: np.ndarray, caps: np.ndarray, freed: Freed, singles: int, open_: set[int],
             out: list[bool]) -> Pins:  # fmt: skip
    """`settle`'s last resort: each count left alone, on both sides, on the whole program.
    A count is proven determined when HiGHS proves each other side empty. On a small
    program (at most `MUST_COLUMNS` columns) HiGHS's own search runs on it (0.1 to 4 s a
    count on the tests' histories, where `_attempt`'s relaxation and box took 0.1 to 11 s
    and missed solutions it found)."""
    programs = 0
    n = upper.size
    small = n <= MUST_COLUMNS
    proven = list(out)  # those `settle` determined before are proven
    while open_:
        i = min(open_)
        open_.discard(i)
        pinned = sure = True
        for other in (truth[i] - 1, truth[i] + 1):
            if not 0 <= other <= caps[i]:
                continue
            lower_b, upper_b = np.zeros(n), upper.copy()
            if other < truth[i]:  # any other count will do: one unit away, or further
                upper_b[cols[i]] = other
            else:
                lower_b[cols[i]] = other
            programs += 1
            if programs > singles:
                sure = False
                break  # out of work: taken as determined, and closed like a leak
            if small:
                x, none = _solved(
                    np.zeros(n), constraints, np.ones(n), lower_b, upper_b, **_limits()
                )
            else:
                x, none = _attempt(np.zeros(n), constraints, np.ones(n), lower_b, upper_b)
            if x is not None:
                pinned = False
                open_ -= freed(x, open_)
                break
            sure &= none
        out[i] = pinned
        proven[i] = pinned and sure
    return out, proven


def _batch_program(constraints: LinearConstraint, upper: np.ndarray, cols: np.ndarray,
                   truth: np.ndarray, side: np.ndarray, caps: np.ndarray | None,
                   ) -> tuple[np.ndarray, LinearConstraint, np.ndarray, np.ndarray]:  # fmt: skip
    """`_batch`'s program (its cost, rows, integrality and columns' most): a score y of at
    most each count's move on its side, side·(x − truth) ≥ y, so an open count never moves
    against its side. With `caps`, `_must`'s: y is 0 or 1, 1 only when the count moved on its
    side and 0 whatever it does, side·(x − truth) ≥ (1 + B)·y − B with B the most it can move
    against its side, and Σ y ≥ 1."""
    m = cols.size
    if caps is None:
        scale, floor = np.ones(m), side * truth
    else:
        against = np.where(side > 0, truth, caps - truth)
        scale, floor = 1 + against, side * truth - against
    return scored(constraints, upper, cols, side, -scale, floor, np.full(m, np.inf),
                  at_least_one=caps is not None)  # fmt: skip


def scored(constraints: LinearConstraint, upper: np.ndarray, cols: np.ndarray,
           on_x: np.ndarray, on_y: np.ndarray, low: np.ndarray, high: np.ndarray,
           at_least_one: bool = False,
           ) -> tuple[np.ndarray, LinearConstraint, np.ndarray, np.ndarray]:  # fmt: skip
    """`constraints` with a score y between 0 and 1 for each count `cols[i]`, tied to it by
    low ≤ on_x·x[col] + on_y·y ≤ high, the sum of scores maximised (integral when
    `at_least_one`, which adds Σ y ≥ 1): the cost, rows, integrality and columns' most of
    the program."""
    n, m = upper.size, cols.size
    extra = sparse.csr_matrix(
        (np.concatenate([on_x, on_y]),
         (np.tile(np.arange(m), 2), np.concatenate([cols, n + np.arange(m)]))),
        shape=(m, n + m),
    )  # fmt: skip
    grown = sparse.hstack([constraints.A, sparse.csr_matrix((constraints.A.shape[0], m))])
    blocks, lows, tops = [grown, extra], [constraints.lb, low], [constraints.ub, high]
    if at_least_one:
        blocks.append(sparse.csr_matrix((np.ones(m), (np.zeros(m, np.int64), n + np.arange(m))),
                                        shape=(1, n + m)))  # fmt: skip
        lows.append(np.ones(1))
        tops.append(np.full(1, np.inf))
    rows = LinearConstraint(sparse.vstack(blocks).tocsr(), np.concatenate(lows),
                            np.concatenate(tops))  # fmt: skip
    cost = np.concatenate([np.zeros(n), -np.ones(m)])
    integrality = np.concatenate([np.ones(n), np.full(m, 1.0 if at_least_one else 0.0)])
    return cost, rows, integrality, np.concatenate([upper, np.ones(m)])


def _batch(constraints: LinearConstraint, upper: np.ndarray, cols: np.ndarray,
           truth: np.ndarray, side: np.ndarray,
           fallback: Fallback = "whole") -> np.ndarray | None:  # fmt: skip
    """The counts (integer columns `cols`, their true values) one integer program moves away
    from the truth, each on its `side` (+1 up, −1 down), as many as it can: each gets a score
    `y` between 0 and 1 of at most its move, and the program maximises their sum. A score
    caps each count's worth at one unit, so the program moves many counts a little rather
    than a few by much. Its solution, if any (`fallback` as `_milp`'s)."""
    cost, rows, integrality, most = _batch_program(constraints, upper, cols, truth, side, None)
    return _milp(cost, rows, integrality, np.zeros(most.size), most, fallback)


def _must(constraints: LinearConstraint, upper: np.ndarray, cols: np.ndarray,
          truth: np.ndarray, caps: np.ndarray,
          side: np.ndarray) -> tuple[np.ndarray | None, bool]:  # fmt: skip
    """`_batch`'s program, the whole of it, with one count at least moved on its side: a
    solution, or none and whether HiGHS proved there is none (rather than stopping at its
    limit of work)."""
    cost, rows, integrality, most = _batch_program(constraints, upper, cols, truth, side, caps)
    return _solved(cost, rows, integrality, np.zeros(most.size), most, **_limits())


def _milp(cost: np.ndarray, rows: LinearConstraint, integrality: np.ndarray, lower: np.ndarray,
          upper: np.ndarray, fallback: Fallback = "whole") -> np.ndarray | None:  # fmt: skip
    """A solution of the integer program (integral where `integrality` is 1), if one is
    found: the first better than none HiGHS finds, not the best, within `NODES` nodes.

    The linear relaxation is solved first, by the interior point method (on these programs,
    a long chain's with many tight bounds, the simplex took 15 times as long: 35 s against
    2.3 s at 10,000 people); none means no integer solution either. Then the integer program
    with every integer column between the floor and the ceiling of its relaxed value, a
    small one (HiGHS's own root rounds of cuts took 4 to 15 s where this takes 0.1 to 0.2 s at
    3,000 people, for the same objective); only when that finds nothing, `fallback`: the
    whole program, a box one unit wider, or none."""
    return _attempt(cost, rows, integrality, lower, upper, fallback)[0]


def _attempt(cost: np.ndarray, rows: LinearConstraint, integrality: np.ndarray,
             lower: np.ndarray, upper: np.ndarray,
             fallback: Fallback = "whole") -> tuple[np.ndarray | None, bool]:  # fmt: skip
    """`_milp`'s solution, and when there is none, whether HiGHS proved there is none (the
    relaxation, or with `fallback` "whole" the whole program, infeasible) rather than
    stopping at its limit of work or in a box."""
    relaxed, none = _solved(cost, rows, np.zeros_like(integrality), lower, upper, solver="ipm")
    if relaxed is None:
        return None, none
    whole = integrality == 1
    low, high = lower.copy(), upper.copy()
    low[whole] = np.maximum(lower[whole], np.floor(relaxed[whole] + 1e-6))
    high[whole] = np.minimum(upper[whole], np.ceil(relaxed[whole] - 1e-6))
    found = _highs(cost, rows, integrality, low, high, **_limits())
    if found is not None:
        return found, False
    if fallback == "none":
        return None, False
    if fallback == "wider":
        low[whole] = np.maximum(lower[whole], low[whole] - 1)
        high[whole] = np.minimum(upper[whole], high[whole] + 1)
        return _highs(cost, rows, integrality, low, high, **_limits()), False
    return _solved(cost, rows, integrality, lower, upper, mip_lp_solver="ipm", **_limits())


def _highs(cost: np.ndarray, rows: LinearConstraint, integrality: np.ndarray,
           lower: np.ndarray, upper: np.ndarray,
           **options: str | int) -> np.ndarray | None:  # fmt: skip
    """HiGHS's solution of the program, if it has a feasible one."""
    return _solved(cost, rows, integrality, lower, upper, **options)[0]


def _limits() -> dict[str, str | int]:
    """Each integer program's limits of work."""
    return {"mip_max_nodes": NODES, "mip_max_improving_sols": IMPROVING}


def _solved(cost: np.ndarray, rows: LinearConstraint, integrality: np.ndarray,
            lower: np.ndarray, upper: np.ndarray,
            **options: str | int) -> tuple[np.ndarray | None, bool]:  # fmt: skip
    """HiGHS's solution of the program, if it has a feasible one; and whether it proved it
    has none."""
    solver = highs.solver(sparse.csr_array(rows.A), cost, lower, upper, rows.lb, rows.ub,
                          integrality)  # fmt: skip
    for option, value in options.items():
        solver.setOptionValue(option, value)
    solver.run()
    if solver.getInfo().primal_solution_status != highspy.kSolutionStatusFeasible:
        return None, solver.getModelStatus() == highspy.HighsModelStatus.kInfeasible
    return np.asarray(solver.getSolution().col_value), False


CELL = ("table", "group", "variable", "low", "high")


def dump(release: Release) -> bytes:
    """`release` compressed (NumPy's npz: arrays only), for keeping it in a database."""
    arrays: dict[str, np.ndarray] = {"people": release.people}
    arrays |= {f"group:{key}": g.astype(np.int32) for key, g in release.groups.items()}
    arrays |= {f"value:{key}": v.astype(np.uint8) for key, v in release.values.items()}
    cells = release.cells
    arrays |= {
        "cell_table": np.array([c.table for c in cells], dtype=str),
        "cell_group": np.array([c.group for c in cells], dtype=np.int64),
        "cell_variable": np.array([c.variable for c in cells], dtype=str),
        "cell_low": np.array([c.low for c in cells], dtype=np.float64),
        "cell_high": np.array([c.high for c in cells], dtype=np.float64),
    }
    out = io.BytesIO()
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    return out.getvalue()


def load(data: bytes) -> Release:
    """A release `dump` kept."""
    with np.load(io.BytesIO(data), allow_pickle=False) as found:
        groups = {n.split(":", 1)[1]: found[n].astype(np.int64) for n in found.files
                  if n.startswith("group:")}  # fmt: skip
        values = {n.split(":", 1)[1]: found[n].astype(np.float64) for n in found.files
                  if n.startswith("value:")}  # fmt: skip
        columns = [found[f"cell_{name}"].tolist() for name in CELL]
        cells = [Cell(str(t), int(g), str(v), float(lo), float(hi))
                 for t, g, v, lo, hi in zip(*columns, strict=True)]  # fmt: skip
        return Release(found["people"].astype(np.int64), groups, values, cells)
