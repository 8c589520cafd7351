"""The linear audit of a privacy cube: which small groups follow from the visible figures.

A figure shown for a group (a mean level, a share) times the group's size, which is public, is
a sum over the group's people, so an attacker can add and subtract visible figures. Split the
people into atoms: those sharing a unit and a value in every flat dimension. A group can be
worked out exactly when its indicator over the atoms is a combination of the visible groups'
indicators, that is when it is orthogonal to every null vector: any weights on the non-empty
atoms that sum to zero over every visible group.

The cube's groups are (a unit's subtree, or everyone) × (a value, or all) on each flat
dimension, so a null vector is a pattern over the flat grid at each unit, and the constraints
of a unit apply to the sum of the patterns of its subtree. The null vectors are therefore
found along the org tree in two passes, each step a small linear-algebra problem over the flat
grid (job families × sites), whatever the number of people:

- up the tree, `below[w]`: the subtree sums a null vector can take inside unit w's subtree;
- down the tree, `above[w]`: the subtree sums of w that the rest of the organisation can
  complete into a null vector.

An atom of unit v is protected when some null vector weighs it: its pattern is free inside
`above[v] + below[children]` restricted to v's own atoms. A group of unit w is protected when
some subtree sum in `below[w] ∩ above[w]` weighs it. This is the exact test of the dense
audit (every group against the span of every visible group), in time linear in the number of
units, where the dense one grew with groups × atoms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

TOL = 1e-8


@dataclass(frozen=True)
class Leaks:
    """Small groups that follow from the visible figures: atoms as (unit, flat index on the
    grid) and cube cells as positions."""

    atoms: list[tuple[int, int]]
    cells: list[tuple[int, ...]]

    def __bool__(self) -> bool:
        return bool(self.atoms or self.cells)


def _orth(rows: np.ndarray) -> np.ndarray:
    """An orthonormal basis (as rows) of the span of `rows`. Vectors here are exactly zero
    outside a few columns (the flat values present in a subtree), so the decomposition runs on
    those columns only."""
    if rows.shape[0] == 0:
        return rows
    columns = np.flatnonzero(rows.any(axis=0))
    _u, singular, basis = np.linalg.svd(rows[:, columns], full_matrices=False)
    found = np.zeros((int((singular > TOL).sum()), rows.shape[1]))
    found[:, columns] = basis[: found.shape[0]]
    return found


def _left_null(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal rows α with α @ matrix = 0."""
    if matrix.shape[0] == 0:
        return np.zeros((0, 0))
    matrix = matrix[:, matrix.any(axis=0)]
    if matrix.shape[1] == 0:
        return np.eye(matrix.shape[0])
    tall = matrix.shape[0] > matrix.shape[1]
    left, singular, _v = np.linalg.svd(matrix, full_matrices=tall)
    return left[:, int((singular > TOL).sum()) :].T


class _Grid:
    """The flat dimensions: a pattern is a vector over their values (size `d`); a group's
    weight in it is a margin over the grid extended with each dimension's "all"."""

    def __init__(self, n_values: Sequence[int]) -> None:
        self.shape = tuple(int(m) for m in n_values)
        self.d = int(np.prod(self.shape, dtype=np.int64))

    def margins(self, rows: np.ndarray) -> np.ndarray:
        """(r, d) patterns → (r, cells of the extended grid): each pattern's sum over every
        group of the flat dimensions, in the cube's order (value m = all)."""
        grid = rows.reshape(rows.shape[0], *self.shape)
        for axis in range(1, grid.ndim):
            grid = np.concatenate([grid, grid.sum(axis=axis, keepdims=True)], axis=axis)
        return grid.reshape(rows.shape[0], int(np.prod(grid.shape[1:], dtype=np.int64)))


def _meet(basis: np.ndarray, constraints: np.ndarray, grid: _Grid) -> np.ndarray:
    """The patterns of span(basis) that sum to zero over every group in `constraints`."""
    if basis.shape[0] == 0 or constraints.size == 0:
        return basis
    return _left_null(grid.margins(basis)[:, constraints]) @ basis


def _null(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal rows t with matrix @ t = 0."""
    if matrix.shape[0] == 0:
        return np.eye(matrix.shape[1])
    # Only a wide matrix needs the full set of right vectors; a tall one (the usual case: the
    # grid's values × a small unit's few) would spend its time on left vectors never used.
    wide = matrix.shape[0] < matrix.shape[1]
    _u, singular, right = np.linalg.svd(matrix, full_matrices=wide)
    return right[int((singular > TOL).sum()) :]


def _outside(space: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the part of `space` orthogonal to the orthonormal `basis`: with
    it, span(basis) + span(space) has an orthonormal basis made of the two."""
    if space.shape[0] == 0 or basis.shape[0] == 0:
        return _orth(space)
    return _orth(space - (space @ basis.T) @ basis)


def _within(
    coords: np.ndarray, spans: Sequence[np.ndarray], constraints: np.ndarray, grid: _Grid
) -> np.ndarray:
    """The vectors that are zero outside `coords`, lie in the sum of `spans` (orthonormal and
    orthogonal to each other) and sum to zero over every group in `constraints`. They are
    solved for on `coords` only, a few values for a small unit, instead of the whole grid."""
    eye = np.eye(grid.d)[coords]
    residual = eye.T - sum((s.T @ s[:, coords] for s in spans if s.shape[0]), np.zeros(()))
    blocks = [residual]
    if constraints.size:
        blocks.append(grid.margins(eye)[:, constraints].T)
    return _null(np.vstack(blocks)) @ eye


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.shape[0] == 0 or b.shape[0] == 0:
        return a[:0]
    weights = _left_null(np.vstack([a, b]))  # α·a + β·b = 0: α·a lies in both
    return _orth(weights[:, : a.shape[0]] @ a)


def find_leaks(
    parent: np.ndarray,
    atom_unit: np.ndarray,
    atom_flat: np.ndarray,
    atom_size: np.ndarray,
    sizes: np.ndarray,
    shown: np.ndarray,
    k: int,
) -> Leaks:
    """Small atoms and small cells of the cube that visible figures give away.

    `parent[u]` is unit u's parent (−1 at the top); atoms are (unit, flat index over the grid
    of flat dimensions, size); `sizes` is the cube (axis 0: units, then each unit's own people,
    then everyone; other axes: values then "all"); `shown` marks the cells whose figures are
    visible. Only non-empty shown cells constrain anything.
    """
    tree = _Spaces(parent, atom_unit, atom_flat, sizes, shown)
    small_atoms: dict[int, list[int]] = {}
    for u, flat, size in zip(
        atom_unit.tolist(), atom_flat.tolist(), atom_size.tolist(), strict=True
    ):
        if size < k:
            small_atoms.setdefault(u, []).append(flat)
    leaked_atoms: list[tuple[int, int]] = []
    for v, flats in small_atoms.items():
        weighed = np.abs(tree.own_patterns(v)).max(axis=0, initial=0.0) > TOL
        leaked_atoms += [(v, f) for f in flats if not weighed[f]]

    n = parent.size
    small = ((sizes > 0) & (sizes < k) & ~shown).reshape(sizes.shape[0], -1)
    leaked_cells: list[tuple[int, ...]] = []
    for w in np.flatnonzero(tree.populated).tolist():
        at = w if w < n else 2 * n
        targets = np.flatnonzero(small[at])
        if targets.size == 0:
            continue
        sums = _intersect(tree.below[w], tree.above[w])
        weighed = np.abs(tree.grid.margins(sums)[:, targets]).max(axis=0, initial=0.0) > TOL
        for flat in targets[~weighed].tolist():
            cell = np.unravel_index(flat, sizes.shape[1:])
            leaked_cells.append((at, *(int(i) for i in cell)))
    return Leaks(leaked_atoms, leaked_cells)


class _Spaces:
    """The two passes over the org tree. Node n stands for everyone, above the top units."""

    def __init__(
        self,
        parent: np.ndarray,
        atom_unit: np.ndarray,
        atom_flat: np.ndarray,
        sizes: np.ndarray,
        shown: np.ndarray,
    ) -> None:
        n = parent.size
        self.grid = grid = _Grid(tuple(m - 1 for m in sizes.shape[1:]))
        active = (shown & (sizes > 0)).reshape(sizes.shape[0], -1)
        self.constraints = [np.flatnonzero(active[p]) for p in [*range(n), 2 * n]]
        self.own: list[list[int]] = [[] for _ in range(n + 1)]
        for u, flat in zip(atom_unit.tolist(), atom_flat.tolist(), strict=True):
            self.own[u].append(flat)
        self.children: list[list[int]] = [[] for _ in range(n + 1)]
        for u, p in enumerate(parent.tolist()):
            self.children[p if p >= 0 else n].append(u)
        order, frontier = [n], [n]
        while frontier:
            frontier = [c for w in frontier for c in self.children[w]]
            order += frontier
        # The flat values present in each subtree: its sums, and so its spaces, live there,
        # which keeps the spaces of small units small.
        self.support = np.zeros((n + 1, grid.d), dtype=bool)
        for u in reversed(order):
            self.support[u, self.own[u]] = True
            for c in self.children[u]:
                self.support[u] |= self.support[c]
        self.populated = np.asarray(self.support.any(axis=1))
        self.eye = np.eye(grid.d)
        self.below = [self.eye[:0]] * (n + 1)
        for w in reversed(order):
            if self.populated[w]:
                self._up(w)
        self.above = [self.eye[:0]] * (n + 1)
        self.above[n] = _meet(self.eye[self.support[n]], self.constraints[n], grid)
        for w in order:
            self._down(w)

    def _up(self, w: int) -> None:
        """below[w]: own patterns plus the children's sums, that sum to zero over w's groups."""
        parts = [self.eye[self.own[w]], *(b for c in self.children[w] if (b := self.below[c]).size)]
        span = parts[0] if len(parts) == 1 else _orth(np.vstack(parts))
        self.below[w] = _meet(span, self.constraints[w], self.grid)

    def _down(self, w: int) -> None:
        """above[c] for each child c: what w's allowed sum, minus w's own patterns and the
        other children's sums, leaves for c, within c's values and c's groups."""
        kids = [c for c in self.children[w] if self.populated[c]]
        if not kids:
            return
        base = _orth(np.vstack([self.above[w], self.eye[self.own[w]]]))
        rest = [_outside(self.below[c], base) for c in kids]
        for c, others in zip(kids, _leave_one_out(rest), strict=True):
            coords = np.flatnonzero(self.support[c])
            self.above[c] = _within(coords, [base, others], self.constraints[c], self.grid)

    def own_patterns(self, v: int) -> np.ndarray:
        """The patterns a null vector can put on unit v's own atoms."""
        belows = [b for c in self.children[v] if (b := self.below[c]).size]
        rest = _outside(np.vstack(belows), self.above[v]) if belows else self.eye[:0]
        return _within(np.array(self.own[v]), [self.above[v], rest], np.array([], int), self.grid)


def _leave_one_out(spaces: list[np.ndarray]) -> list[np.ndarray]:
    """For each space, a basis of the sum of all the others (prefix and suffix sums, so that
    a unit with many sub-units costs linear, not quadratic, time)."""
    count = len(spaces)
    empty = spaces[0][:0]
    prefix, suffix = [empty] * (count + 1), [empty] * (count + 1)
    for i in range(count):
        prefix[i + 1] = _orth(np.vstack([prefix[i], spaces[i]]))
        suffix[count - 1 - i] = _orth(np.vstack([suffix[count - i], spaces[count - 1 - i]]))
    return [_orth(np.vstack([prefix[i], suffix[i + 1]])) for i in range(count)]
