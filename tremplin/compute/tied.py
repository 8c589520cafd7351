"""Variables tied for each person, audited together across releases.

`compute.temporal` audits each variable alone. The dashboards' variables about assessments
are tied for each person, though: a tier's count of competences assessed is the sum of its
competences' (0 or 1 each), and "assessed" holds when any competence does. Read together they
can give away what no variable alone does: a newcomer's count in one tier could be 1 or 2 but
not 0 (no single value, so no leak of the tier), which says they have been assessed
(`tests/insights/test_published_across_days.py`, found 2026-12-05).

The model is `compute.temporal`'s, one block of counts a variable, over the same atoms (the
people in the same group of every table showing any tied variable), with rows tying an atom's
counts at each release:

- a sum's count is the sum of its parts' counts;
- the "any" count is at least each part's and at most their sum (exactly the counts a group
  of people can hold: each part's holders are among the "any" holders, and each of those
  holds a part).

A leak is a count of any tied variable that the ranges, the link and the ties determine, on
the same terms as `compute.temporal` (an atom under `k` people, or at none or all of them),
unless group-level facts state it, carried through the ties as well (a group at 0 in "any"
is at 0 in every part; at all in a part, at all in "any"), or give it worked out (a group of
any table, its own figure shown or not, whose every count is stated or proven determined,
`temporal._facts`). It is found by
`temporal`'s integer programs on the whole system, within the same limits of work (a count
left unsettled is taken as determined and closed like a leak: more hidden, never less), and
closed through the figures of every tied variable. The ties are asked only when no variable
alone leaks, about "assessed" only (a competence or a tier the ties alone determine is not
looked for), and only up to `PEOPLE` people; above, only what `compute.nonzero` checks: gaps
left open.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse
from scipy.optimize import LinearConstraint

from tremplin.compute import nonzero, temporal

# Integer programs the ties' audit may run for one count alone (beyond them, a count not
# settled is taken as determined): a limit of work, as `temporal.SINGLES`.
SINGLES = 40
PARTNERS = 8  # atoms tried for moving the other way, a move (a limit of work)
# The ties are audited together when the releases count at most this many people: at 505
# people it took 1 s more than each variable alone; at 1,010, 70 s of cheap moves then a first
# integer program of 76,000 columns still running after 90 s (2026-12-05,
# `bench/releases_across.py`). Above it, `compute.nonzero` only: a person whose count in a
# sum cannot be 0.
PEOPLE = 500
# Answers kept, by a digest of what was asked: the works council's and the executive sponsor's
# publications are often the same tables of the same people, audited round for round alike
# (the demo's: each of their 12 audits asked twice, 10 s each, 2026-12-05).
REMEMBERED = 64
Solutions = temporal.Solutions
_ANSWERS: OrderedDict[bytes, tuple[list[temporal.Leak], Solutions]] = OrderedDict()


@dataclass(frozen=True)
class Ties:
    """`any_of` holds for a person when one of `parts` does (0/1 each); each of `sums` is a
    count of its parts a person holds."""

    any_of: str
    parts: tuple[str, ...]
    sums: dict[str, tuple[str, ...]]

    def names(self) -> list[str]:
        return [self.any_of, *self.parts, *self.sums]

    def within(self, names: Sequence[str]) -> Ties | None:
        """The ties between `names` only (None when "any" or one of its parts is missing)."""
        known = set(names)
        if self.any_of not in known or not set(self.parts) <= known:
            return None
        sums = {s: parts for s, parts in self.sums.items() if s in known}
        return Ties(self.any_of, self.parts, sums)


def leaks(releases: list[temporal.Release], linked: list[set[str]], k: int,
          widths: dict[str, int] | None = None, ties: Ties | None = None,
          known: Solutions | None = None) -> list[temporal.Leak]:  # fmt: skip
    """`temporal.leaks`, then, when no tied variable leaks alone, what `ties` give away. The
    same question asked again (`REMEMBERED` kept) is answered as it was.

    `known`: the solutions the integer programs found earlier in the same audit, tried first
    and added to (`temporal.kept`). Kept per audit, not per process, and part of what a
    remembered answer is asked with: the same data gives the same figures."""
    key = _digest(releases, linked, k, widths, ties, known)
    if key in _ANSWERS:
        _ANSWERS.move_to_end(key)
        found, added = _ANSWERS[key]
    else:
        work = dict(known or {})
        found = _leaks(releases, linked, k, widths, ties, work)
        added = {space: solutions[len((known or {}).get(space, [])):]
                 for space, solutions in work.items()}  # fmt: skip
        _ANSWERS[key] = (found, added)
        if len(_ANSWERS) > REMEMBERED:
            _ANSWERS.popitem(last=False)
    if known is not None:
        for space, solutions in added.items():
            if solutions:
                known[space] = known.get(space, []) + solutions
    return list(found)


def _leaks(releases: list[temporal.Release], linked: list[set[str]], k: int,
           widths: dict[str, int] | None, ties: Ties | None,
           known: Solutions) -> list[temporal.Leak]:  # fmt: skip
    found = temporal.leaks(releases, linked, k, widths, known)
    if ties is None or any(leak.variable in ties.names() for leak in found):
        return found
    if np.unique(np.concatenate([r.people for r in releases])).size > PEOPLE:
        return found + nonzero.leaks(releases, linked, k, widths or {}, ties.any_of,
                                     list(ties.sums))  # fmt: skip
    return found + _tied(releases, linked, k, widths or {}, ties, known)


def _digest(releases: list[temporal.Release], linked: list[set[str]], k: int,
            widths: dict[str, int] | None, ties: Ties | None,
            known: Solutions | None) -> bytes:  # fmt: skip
    """Every input of `leaks`, digested (the releases' arrays byte for byte, names sorted),
    with the limits of work it ran under and the solutions it starts from."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        digest.update(repr(parts).encode())

    add(k, sorted((widths or {}).items()), [sorted(names) for names in linked])
    add(PEOPLE, SINGLES, PARTNERS)
    add(temporal.NODES, temporal.SINGLES, temporal.MUST_COLUMNS, temporal.FEW)
    if ties is not None:
        add(ties.any_of, ties.parts, sorted(ties.sums.items()))
    for release in releases:
        add(len(release.people), release.people.dtype.str)
        digest.update(release.people.tobytes())
        for kind, arrays in (("group", release.groups), ("value", release.values)):
            for name in sorted(arrays):
                add(kind, name, arrays[name].dtype.str, arrays[name].shape)
                digest.update(np.ascontiguousarray(arrays[name]).tobytes())
        add([(c.table, c.group, c.variable, c.low, c.high) for c in release.cells])
    for space in sorted(known or {}):
        digest.update(space)
        for x in (known or {})[space]:
            digest.update(x.tobytes())
    return digest.digest()


@dataclass
class _Block:
    model: temporal._Model
    system: temporal._System
    offset: int
    facts: np.ndarray  # (atoms, releases) bool: stated by a group-level fact

    def columns(self) -> np.ndarray:
        return np.where(self.system.column >= 0, self.system.column + self.offset, -1)


def _tied(releases: list[temporal.Release], linked: list[set[str]], k: int,
          widths: dict[str, int], ties: Ties,
          solutions: Solutions) -> list[temporal.Leak]:  # fmt: skip
    names = ties.names()
    if len(releases) > 1 and not any(name in linked[r] for name in names
                                     for r in range(1, len(releases))):  # fmt: skip
        return []
    tables = sorted({c.table for r in releases for c in r.cells if c.variable in names})
    if not tables:  # no tied figure shown at all
        return []
    blocks: dict[str, _Block] = {}
    offset = 0
    for name in names:
        model = temporal._model(releases, linked, name, widths.get(name, 1), tables)
        facts = np.zeros(model.truth.shape, bool)
        for a, r in temporal._facts(model, k, *temporal.chains(model)):
            facts[a, r] = True
        system = temporal._whole(model)
        blocks[name] = _Block(model, system, offset, facts)
        offset += system.upper.size
    _carry_facts(blocks, ties)
    constraints, upper = _system(blocks, ties)
    held = blocks[ties.any_of]  # "assessed" is asked about (module docstring)
    model = held.model
    present = model.atoms[:, :, 0] != temporal.ABSENT
    small = (model.sizes < k)[:, None] | (model.truth == 0) | (model.truth == model.caps[:, None])
    places = np.argwhere(present & small & ~held.facts)
    if not places.size:
        return []
    candidates = [(ties.any_of, int(a), int(r)) for a, r in places]
    cols = held.columns()[places[:, 0], places[:, 1]].astype(np.int64)
    truth = model.truth[places[:, 0], places[:, 1]]
    caps = model.caps[places[:, 0]].astype(np.float64)
    known = {(int(a), int(r)) for a, r in np.argwhere(held.facts)}
    moves = _Moves(blocks, ties, constraints, upper)
    n = upper.size

    def freed(x: np.ndarray, open_: set[int]) -> set[int]:
        """The open counts the solution `x` moved."""
        counts = np.round(x[:n])
        return {i for i in open_ if counts[cols[i]] != truth[i]}

    space = temporal.space([(name, block.model) for name, block in blocks.items()])
    with temporal.kept(solutions, space, constraints, upper, freed, len(candidates)) as (
        unmoved,
        keep,
    ):
        ids = sorted(unmoved)
        open_ = {ids[j] for j in moves.settle([candidates[i] for i in ids], cols[ids])}
        # Never the whole batch, which HiGHS cannot round: a box one unit wider around its
        # relaxation.
        settled, proven = temporal.settle(constraints, upper, cols, truth, caps, keep, SINGLES,
                                          fallback="wider", start=open_)  # fmt: skip
    for i, certain in enumerate(proven):
        if certain:
            known.add(candidates[i][1:])
    # A group whose every count is known, at none or all of them: a group-level fact.
    granted = temporal._facts(_shown(model, len(releases), len(tables)), k,
                              *temporal.chains(model), known)  # fmt: skip
    return [temporal.Leak(r, name, blocks[name].model.people[a], int(value), tuple(names))
            for (name, a, r), value, pinned in zip(candidates, truth, settled, strict=True)
            if pinned and (a, r) not in granted]  # fmt: skip


def _shown(model: temporal._Model, n_releases: int, n_tables: int) -> temporal._Model:
    """`model` with a row stating nothing for each group of its tables at each release, its
    own figure of "any" shown or not: a fact about a published group (everyone in it
    assessed) can be worked out from its other figures (a tier's count at its most) or from
    other groups', and is a group-level fact as much as one its own figure states (the demo's
    first quarter end: 6 of 8 atoms pinned, 2026-12-06). Every group, not only those with a
    figure shown: hiding a group's figures must not turn the fact into a leak of its parts."""
    seen = {(r, place) for (r, _m, _l, _h), place in zip(model.rows, model.places, strict=True)}
    rows, places = list(model.rows), list(model.places)
    for r in range(n_releases):
        for t in range(n_tables):
            labels = model.atoms[:, r, t]
            for g in np.unique(labels[labels >= 0]).tolist():
                if (r, (t, g)) not in seen:
                    rows.append((r, np.flatnonzero(labels == g), -np.inf, np.inf))
                    places.append((t, g))
    return replace(model, rows=rows, places=places)


def _carry_facts(blocks: dict[str, _Block], ties: Ties) -> None:
    """Group-level facts carried through the ties, until nothing more follows: "any" at 0
    puts every part and sum at 0; a part at all puts "any" at all; a sum at 0 or at all puts
    its parts there; every part at 0 puts "any" and the sums at 0; every part of a sum at all
    puts the sum at all."""

    def at(name: str, zero: bool) -> np.ndarray:
        block = blocks[name]
        truth, caps = block.model.truth, block.model.caps[:, None]
        return block.facts & ((truth == 0) if zero else (truth == caps))

    def add(name: str, found: np.ndarray) -> bool:
        block = blocks[name]
        new = found & ~block.facts
        block.facts |= found
        return bool(new.any())

    changed = True
    while changed:
        changed = False
        none = at(ties.any_of, True)
        for part in ties.parts:
            changed |= add(part, none)
            changed |= add(ties.any_of, at(part, False))
        every_zero = np.logical_and.reduce([at(p, True) for p in ties.parts])
        changed |= add(ties.any_of, every_zero)
        for name, parts in ties.sums.items():
            changed |= add(name, none | every_zero)
            for part in parts:
                changed |= add(part, at(name, True) | at(name, False))
            changed |= add(name, np.logical_and.reduce([at(p, False) for p in parts]))
            changed |= add(name, np.logical_and.reduce([at(p, True) for p in parts]))


def _system(blocks: dict[str, _Block], ties: Ties) -> tuple[LinearConstraint, np.ndarray]:
    """Every block's ranges and links, and the ties between an atom's counts at each
    release; each column's most."""
    matrix = sparse.block_diag([b.system.constraints.A for b in blocks.values()], "csr")
    low = [np.asarray(b.system.constraints.lb, np.float64) for b in blocks.values()]
    high = [np.asarray(b.system.constraints.ub, np.float64) for b in blocks.values()]
    upper = np.concatenate([b.system.upper for b in blocks.values()])
    column = {name: b.columns() for name, b in blocks.items()}
    present = column[ties.any_of] >= 0
    at = {name: c[present] for name, c in column.items()}
    m = int(present.sum())
    rows: list[sparse.csr_matrix] = []

    def row(terms: list[tuple[str, float]]) -> sparse.csr_matrix:
        data = np.concatenate([np.full(m, sign) for _name, sign in terms])
        cols = np.concatenate([at[name] for name, _sign in terms])
        index = np.tile(np.arange(m), len(terms))
        return sparse.csr_matrix((data, (index, cols)), shape=(m, upper.size))

    for name, parts in ties.sums.items():  # a sum's count is its parts'
        rows.append(row([(name, 1.0), *((p, -1.0) for p in parts)]))
        low.append(np.zeros(m))
        high.append(np.zeros(m))
    for part in ties.parts:  # "any" at least each part
        rows.append(row([(ties.any_of, 1.0), (part, -1.0)]))
        low.append(np.zeros(m))
        high.append(np.full(m, np.inf))
    rows.append(row([(ties.any_of, -1.0), *((p, 1.0) for p in ties.parts)]))  # at most all
    low.append(np.zeros(m))
    high.append(np.full(m, np.inf))
    whole = sparse.vstack([matrix, *rows]).tocsr()
    return LinearConstraint(whole, np.concatenate(low), np.concatenate(high)), upper


class _Moves:
    """Cheap proofs that counts can take other values: one atom's values at one release
    moved by one unit (a part, with its sum and "any" following where the ties ask, and each
    carried along the link), checked against every row of the system."""

    def __init__(self, blocks: dict[str, _Block], ties: Ties, constraints: LinearConstraint,
                 upper: np.ndarray) -> None:  # fmt: skip
        self.blocks, self.ties = blocks, ties
        self.matrix = sparse.csc_matrix(constraints.A)
        self.rows = sparse.csr_matrix(constraints.A)
        self.low, self.high = constraints.lb, constraints.ub
        self.upper = upper
        self.x = np.zeros(upper.size)
        self.owner = np.zeros(upper.size, dtype=np.int64)  # each column's atom
        for block in blocks.values():
            column = block.columns()
            present = column >= 0
            self.x[column[present]] = block.model.truth[present]
            self.owner[column[present]] = np.nonzero(present)[0]
        self.at = self.matrix @ self.x
        self.column = {name: b.columns() for name, b in blocks.items()}
        self.chains = {name: temporal.chains(b.model) for name, b in blocks.items()}

    def settle(self, candidates: list[tuple[str, int, int]], cols: np.ndarray) -> list[int]:
        """The candidates no cheap move frees (their indices)."""
        where: dict[int, int] = {int(c): i for i, c in enumerate(cols)}
        open_ = set(range(len(candidates)))
        by_place: dict[tuple[int, int], list[int]] = {}
        for i, (_name, a, r) in enumerate(candidates):
            by_place.setdefault((a, r), []).append(i)
        for (a, r), ids in by_place.items():
            for change in self._changes(a, r):
                wanted = {int(cols[i]) for i in ids if i in open_}
                if not wanted:
                    break
                moved = self._try(a, r, change, wanted)
                if moved is not None:
                    open_ -= {where[c] for c in moved if c in where}
        return sorted(open_)

    def _changes(self, a: int, r: int) -> list[dict[str, int]]:
        """Changes to try at (a, r): each part up or down by one, "any" alone, every part at
        "any"'s count down (the atom's "any" down when each holder holds one part)."""
        out: list[dict[str, int]] = [{p: d} for p in self.ties.parts for d in (1, -1)]
        out += [{self.ties.any_of: 1}, {self.ties.any_of: -1}]
        value = self._value(self.ties.any_of, a, r)
        top = [p for p in self.ties.parts if self._value(p, a, r) >= value]
        if top:
            out.append({p: -1 for p in top})
        return out

    def _value(self, name: str, a: int, r: int) -> float:
        return float(self.x[self.column[name][a, r]])

    def _try(self, a: int, r: int, change: dict[str, int], wanted: set[int]) -> list[int] | None:
        """The columns `change` at (a, r) moves, with what follows, if it moves one of
        `wanted` and the system allows it: alone, or with another atom of the tightest row
        it breaks moving the other way (the first `PARTNERS` of them)."""
        mine = self._delta(a, r, change)
        if mine is None or not wanted & set(mine[0]):
            return None
        broken = self._broken(*mine)
        if broken.size == 0:
            return mine[0]
        members = self.rows[:, :][broken]
        row = broken[int(np.argmin(np.diff(members.indptr)))]
        partners = {int(self.owner[c]) for c in self.rows[row].indices} - {a}
        back = {name: -step for name, step in change.items()}
        for b in sorted(partners)[:PARTNERS]:
            theirs = self._delta(b, r, back)
            if theirs is None:
                continue
            cols, delta = mine[0] + theirs[0], mine[1] + theirs[1]
            if self._broken(cols, delta).size == 0:
                return cols
        return None

    def _delta(self, a: int, r: int,
               change: dict[str, int]) -> tuple[list[int], list[float]] | None:  # fmt: skip
        """The columns `change` at (a, r) moves, with what the ties and the link make follow,
        and by how much (None: a bound or a tie breaks)."""
        values: dict[tuple[str, int], float] = {}

        def get(name: str, t: int) -> float:
            return values.get((name, t), self._value(name, a, t))

        touched: set[int] = set()
        for name, step in change.items():
            values[(name, r)] = get(name, r) + step
            touched |= self._carry(name, a, r, step, get, values)
        touched.add(r)
        size = float(self.blocks[self.ties.any_of].model.sizes[a])
        for t in sorted(touched):
            for name, members in self.ties.sums.items():
                values[(name, t)] = sum(get(p, t) for p in members)
            held_parts = [get(p, t) for p in self.ties.parts]
            low, high = max(held_parts), min(size, sum(held_parts))
            held = get(self.ties.any_of, t)
            if not low <= held <= high:
                fixed = min(max(held, low), high)
                values[(self.ties.any_of, t)] = fixed
                step = 1 if fixed > held else -1
                for u in self._carry(self.ties.any_of, a, t, step, get, values) - touched:
                    others = [get(p, u) for p in self.ties.parts]
                    if not max(others) <= get(self.ties.any_of, u) <= sum(others):
                        return None
        cols, delta = [], []
        for (name, t), value in values.items():
            c = int(self.column[name][a, t])
            if c < 0:
                return None
            if value != self.x[c]:
                cols.append(c)
                delta.append(value - self.x[c])
        if not cols:
            return None
        new = self.x[cols] + delta
        if (new < 0).any() or (new > self.upper[cols]).any():
            return None
        return cols, delta

    def _broken(self, cols: list[int], delta: list[float]) -> np.ndarray:
        """The rows moving `cols` by `delta` takes out of their range."""
        part = self.matrix[:, cols]
        rows = np.unique(part.indices)
        moved = self.at[rows] + part[rows] @ np.asarray(delta)
        bad = (moved < self.low[rows] - 1e-9) | (moved > self.high[rows] + 1e-9)
        return rows[bad]

    def _carry(self, name: str, a: int, r: int, step: int, get: Callable[[str, int], float],
               values: dict[tuple[str, int], float]) -> set[int]:  # fmt: skip
        """The releases the link makes `name` follow a move by `step` at `r` to (later ones
        up, earlier ones down); their values set in `values`."""
        later, earlier = self.chains[name]
        chain = later if step > 0 else earlier
        out: set[int] = set()
        value = get(name, r)
        at = chain.get((a, r))
        while at is not None and (get(name, at) < value if step > 0 else get(name, at) > value):
            values[(name, at)] = value
            out.add(at)
            at = chain.get((a, at))
        return out
