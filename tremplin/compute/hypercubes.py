"""Protecting a leaked group by hiding the cells of a small box around it.

When the audit finds a small group that sums and differences of visible figures give away, it
is protected the way statistical offices protect large tables (the hypercube method): pick 2
values on some dimensions (the group's own and a partner: another unit, another family…) and 1
on the others, and weigh the atoms at the corners of that box +1 or −1. Every visible group
whose corners' weights do not cancel is hidden; then the weights sum to zero over every
visible group, yet weigh the leaked group, so no combination of visible figures gives it away.
On the org tree, pairing unit v with unit v′ concerns the units between each of them and their
lowest common unit.

Corners may hold nobody (their weight is then zero), and the signs may follow only some of the
paired dimensions, which lets a unit keep its total when people only fill a diagonal of the
box. Among every shape, partner and sign, the box whose newly hidden groups cost least is
chosen: a group costs its people, times 1,000 for each dimension it covers whole, so crossings
go before family figures, those before unit totals, and the grand total only when nothing
else works.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

from tremplin.compute.audit import Leaks
from tremplin.compute.hierarchy import depths

# What hiding a visible group costs: its people, times this for every dimension it covers
# whole (the org with everyone, a flat dimension with all its values). A unit's total or a
# job family's company-wide figure is read far more than a family-by-site crossing, so boxes
# run through the crossings whenever their corners allow.
BREADTH_WEIGHT = 1000.0
GRAND_TOTAL_COST = 1e30  # hidden only when nothing else protects the group


def _breadth(shape: tuple[int, ...], n: int) -> np.ndarray:
    covered = np.zeros(shape)
    everyone = np.zeros(shape[0])
    everyone[2 * n] = 1
    covered += everyone.reshape((-1,) + (1,) * (len(shape) - 1))
    for axis, size in enumerate(shape[1:], start=1):
        whole = np.zeros(size)
        whole[-1] = 1
        covered += whole.reshape((1,) * axis + (-1,) + (1,) * (len(shape) - axis - 1))
    return np.asarray(BREADTH_WEIGHT**covered)


@dataclass(frozen=True)
class Target:
    """A leaked group and the atoms inside it: `unit` is the cube position of the group on the
    org axis (None for a single atom), `values` the group's value on each flat dimension
    (None: all), `atoms` each atom's unit and values."""

    unit: int | None
    values: tuple[int | None, ...]
    atoms: list[tuple[int, tuple[int, ...]]]


def leak_targets(leaks: Leaks, atoms: np.ndarray, flat: np.ndarray, org: Org) -> list[Target]:
    """The audit's leaks as targets: `atoms` rows are (unit, value in each flat dimension),
    `flat` their index on the grid of flat values."""
    n = org.n
    shape = org.present.shape[1:]
    found = [
        Target(None, values, [(v, values)])
        for v, f in leaks.atoms
        for values in [tuple(int(i) for i in atoms[(atoms[:, 0] == v) & (flat == f)][0, 1:])]
    ]
    for at, *values in leaks.cells:
        inside = np.ones(len(atoms), dtype=bool) if at == 2 * n else org.inside(at)[atoms[:, 0]]
        for axis, value in enumerate(values, start=1):
            if value < shape[axis - 1]:
                inside &= atoms[:, axis] == value
        wanted = tuple(None if v == size else v for v, size in zip(values, shape, strict=True))
        members = [(int(a[0]), tuple(int(i) for i in a[1:])) for a in atoms[inside]]
        found.append(Target(at, wanted, members))
    return found


class Org:
    """The org tree and the atoms that hold people, for many protections of one cube."""

    def __init__(self, parent: np.ndarray, present: np.ndarray) -> None:
        self.parent = parent
        self.n = parent.size
        self.present = present  # (units, values of each flat dimension): atom holds people
        self.order = np.argsort(depths(parent), kind="stable")  # parents before children
        # Euler tour: u is inside a's subtree when first[a] <= first[u] < last[a].
        children: list[list[int]] = [[] for _ in range(self.n)]
        for u, p in enumerate(parent.tolist()):
            if p >= 0:
                children[p].append(u)
        self.first = np.zeros(self.n, dtype=np.int64)
        self.last = np.zeros(self.n, dtype=np.int64)
        clock = 0
        stack = [(int(r), False) for r in np.flatnonzero(parent < 0)[::-1]]
        while stack:
            u, done = stack.pop()
            if done:
                self.last[u] = clock
                continue
            self.first[u] = clock
            clock += 1
            stack.append((u, True))
            stack += [(c, False) for c in reversed(children[u])]

    def chain(self, u: int) -> list[int]:
        """u and its ancestors, upwards."""
        found = [u]
        while self.parent[found[-1]] >= 0:
            found.append(int(self.parent[found[-1]]))
        return found

    def inside(self, a: int) -> np.ndarray:
        """Which units are in a's subtree."""
        return (self.first >= self.first[a]) & (self.first < self.last[a])

    def meeting(self, v: int) -> np.ndarray:
        """For every unit, its lowest common unit with v (−1: none, they meet at everyone)."""
        meet = np.full(self.n, -1, dtype=np.int64)
        for a in reversed(self.chain(v)):  # from the top down: deeper ancestors overwrite
            meet[self.inside(a)] = a
        return meet


def protect(
    target: Target, sizes: np.ndarray, shown: np.ndarray, org: Org
) -> list[tuple[int, ...]]:
    """The visible cells to hide so that `target` cannot be worked out."""
    n = org.n
    m = tuple(s - 1 for s in sizes.shape[1:])
    cost = np.where(shown & (sizes > 0), sizes * _breadth(sizes.shape, n), 0.0)
    cost[(2 * n, *m)] += GRAND_TOTAL_COST
    units = cost[:n]
    climbed = np.zeros_like(units)  # sum over each unit and its ancestors
    for u in org.order.tolist():
        p = int(org.parent[u])
        climbed[u] = units[u] + (climbed[p] if p >= 0 else 0)
    best: tuple[float, list[tuple[int, ...]]] | None = None
    shapes = [
        (paired, signed)
        for paired in product([False, True], repeat=len(m) + 1)
        for signed in product(*([False, True] if p else [False] for p in paired))
        # a group over all values holds both corners: pairing cannot weigh it
        if not any(p and value is None for p, value in zip(paired[1:], target.values, strict=True))
    ]
    for atom, (paired, signed) in product(target.atoms, shapes):
        found = _cheapest(atom, target.unit, paired, signed, climbed, cost, org, m)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    assert best is not None  # hiding every group that holds the atom always works
    return [cell for cell in best[1] if shown[cell] and sizes[cell] > 0]


def _cheapest(
    atom: tuple[int, tuple[int, ...]],
    unit: int | None,
    paired: Sequence[bool],
    signed: Sequence[bool],
    climbed: np.ndarray,
    cost: np.ndarray,
    org: Org,
    m: tuple[int, ...],
) -> tuple[float, list[tuple[int, ...]]] | None:
    """The cheapest box pairing the dimensions marked in `paired` (the org first), over every
    partner unit and value: its cost and the cells to hide, or None when no box fits. A
    corner's weight is −1 when it takes the partner on an odd number of the axes marked in
    `signed`, +1 otherwise: all paired axes make the classic box, fewer let a unit keep its
    total when the box's corners only fill a diagonal there.

    A corner may hold nobody: its weight is then zero, and the groups that see the imbalance
    are hidden too. So each group is classed, on every axis, by the corners it holds there
    (the atom's side, the partner's side, or both), and a class is hidden when the weights of
    the corners it holds do not cancel."""
    n = org.n
    v, x = atom
    if paired[0]:
        if unit == 2 * n:
            return None
        # Partners hold people with the atom's values: the corner facing the atom is filled.
        facing = org.present
        for value in x:
            facing = facing[:, value]
        partners = np.flatnonzero(facing)
        partners = partners[partners != v]
        if unit is not None:
            partners = partners[~org.inside(unit)[partners]]
        if partners.size == 0:
            return None
        meet = org.meeting(v)[partners]
        shared = np.where(_column(meet >= 0, cost.ndim), climbed[np.maximum(meet, 0)], 0)
        sides = [climbed[v][None] - shared, climbed[partners] - shared, shared + cost[2 * n]]
        unit_classes = [(0,), (1,), (0, 1)]
        filled = [org.present[v][None], org.present[partners]]
    else:
        partners = np.array([v])
        sides = [(climbed[v] + cost[2 * n])[None]]
        unit_classes = [(0,)]
        filled = [org.present[v][None]]

    # On each flat axis: the corners' indices (the atom's value, then every partner value)
    # and the classes of groups: the atom's value, the partner's, all (holding both).
    axes = []
    for pair, value, size in zip(paired[1:], x, m, strict=True):
        corners = [[value], list(range(size))] if pair else [[value]]
        classes = [([value], (0,)), (list(range(size)), (1,)), ([size], (0, 1))]
        axes.append((corners, classes if pair else [classes[0], ([size], (0,))]))

    def corner_weight(unit_corner: int, flat_corners: tuple[int, ...]) -> np.ndarray:
        weight = filled[unit_corner]
        for axis, ((corners, _classes), c) in enumerate(zip(axes, flat_corners, strict=True), 1):
            weight = weight.take(corners[c], axis)
        flips = sum(c for c, flip in zip((unit_corner, *flat_corners), signed, strict=True) if flip)
        sign = -1 if flips % 2 else 1
        return sign * weight.astype(np.int64)

    weights = {
        (uc, *fc): corner_weight(uc, tuple(fc))
        for uc in range(len(filled))
        for fc in product(*(range(len(corners)) for corners, _ in axes))
    }
    total = np.zeros(())
    hidden_classes = []
    for unit_class, *flat_classes in product(
        range(len(unit_classes)), *(range(len(c)) for _, c in axes)
    ):
        held = product(
            unit_classes[unit_class], *(axes[a][1][c][1] for a, c in enumerate(flat_classes))
        )
        balance = sum((weights[corner] for corner in held), np.zeros((), dtype=np.int64))
        price = sides[unit_class]
        for axis, ((_corners, classes), c) in enumerate(zip(axes, flat_classes, strict=True), 1):
            price = price.take(classes[c][0], axis)
        total = total + np.where(balance != 0, price, 0.0)
        hidden_classes.append((unit_class, tuple(flat_classes), balance != 0))
    for axis, pair in enumerate(paired[1:], start=1):
        if pair:  # the partner value must differ from the atom's
            same = np.zeros(m[axis - 1], dtype=bool)
            same[x[axis - 1]] = True
            total = np.where(_axis(same, axis, total.ndim), np.inf, total)
    at = np.unravel_index(int(np.argmin(total)), total.shape)
    if not np.isfinite(total[at]):
        return None
    partner = int(partners[at[0]]) if paired[0] else None
    values = [int(at[i + 1]) for i in range(len(m))]
    cells: list[tuple[int, ...]] = []
    for unit_class, chosen, hide in hidden_classes:
        if not np.broadcast_to(hide, total.shape)[at]:
            continue
        unit_axis = _unit_side(v, partner, unit_class, org)
        flat_axes = [
            [values[a] if paired[a + 1] and c == 1 else axes[a][1][c][0][0]]
            for a, c in enumerate(chosen)
        ]
        cells += [tuple(cell) for cell in product(unit_axis, *flat_axes)]
    return float(total[at]), cells


def _column(mask: np.ndarray, ndim: int) -> np.ndarray:
    return mask.reshape((-1,) + (1,) * (ndim - 1))


def _axis(mask: np.ndarray, axis: int, ndim: int) -> np.ndarray:
    return mask.reshape((1,) * axis + (-1,) + (1,) * (ndim - axis - 1))


def _unit_side(v: int, partner: int | None, unit_class: int, org: Org) -> list[int]:
    """Cube positions on the org axis of a class: 0, the units holding v but not the partner;
    1, the partner but not v; 2 (or 0 without a partner), both: from where they meet up to
    everyone."""
    n = org.n
    if partner is None:
        return [*org.chain(v), 2 * n]
    meet = int(org.meeting(v)[partner])
    shared = [*org.chain(meet), 2 * n] if meet >= 0 else [2 * n]
    if unit_class == 2:
        return shared
    return [u for u in org.chain(v if unit_class == 0 else partner) if u not in shared]
