"""Privacy-safe aggregates: which groups a figure must hide.

Every figure about a group of people (a mean level, a share at target, a completion rate) is
computed over the group's headcount, and shown only when the group is large enough and when the
checks below find no smaller group isolated by a sum or difference of visible figures. `k` is
the minimum group size, 10 by default and never below 5. Four rules:

1. Threshold. A group with at least one and fewer than `k` people is hidden. An empty group
   shows nothing.
2. Complementary suppression. In a table whose total is shown (org units with the parent's
   figure, job families with the whole population's), hidden cells could be recovered by
   subtracting the visible ones from the total. So in every such line of cells the hidden cells
   must be at least two and hold at least `k` people between them; while they are not, the
   smallest visible non-empty cell is hidden too. Two-way tables are checked over rows and
   columns until nothing changes.
3. One answer per group. A filter (an org unit, a job family, a site, a wave) shows the same
   group as a cell of the table split by that filter, so the filtered view is shown only when
   that cell is visible there, for every filter and every combination of the other filters.
   For org units the table is the whole tree: each unit's line holds its sub-units and the
   people attached to the unit itself, every unit's total counts as known, and a hidden unit's
   line must itself hide at least `k` people, so a hidden unit cannot be rebuilt from its
   sub-units.
4. Audit. Lines alone do not stop an attacker who combines filters (everyone − a unit − a
   job family + their crossing…). So every cube is audited exactly (`compute.audit`): no
   group of fewer than `k` people sharing a unit and a value in every dimension, and no
   selectable group under `k`, may be a combination of visible groups. Each leak found is
   protected by hiding the cells of a small box around it (`compute.hypercubes`), choosing
   family-by-site crossings before unit or company totals, and the audit runs again.

What these rules do NOT guarantee (shown by an outside attack on the demo): the audit checks
single atoms and selectable groups only, so a sum over two or more small atoms can still be
worked out by differencing; it ignores that values are bounded (levels 0-4, flags 0/1), so a
mean at 0 or at the maximum pins its people and, subtracted from another figure, can pin one
person's level; and ratio KPIs and the cohort table are outside it. These rules are being
replaced by one audited publication per audience (see the issue "Aggregates that protect every
person"). The sizes themselves are not secret (the org chart shows them); the figures are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tremplin.compute.audit import find_leaks
from tremplin.compute.hierarchy import depths
from tremplin.compute.hypercubes import Org, leak_targets, protect

DEFAULT_MIN_SIZE = 10
FLOOR = 5

VISIBLE = 0
SMALL = 1  # rule 1
COMPLEMENT = 2  # rule 2
FILTERED = 3  # rule 3: hidden in the table split by one of the view's filters


def check_min_size(k: int) -> int:
    if k < FLOOR:
        raise ValueError(f"the minimum group size is never below {FLOOR}")
    return k


def _primary(sizes: np.ndarray, k: int) -> np.ndarray:
    reason = np.zeros(sizes.shape, dtype=np.int8)
    reason[(sizes > 0) & (sizes < k)] = SMALL
    return reason


def _complete_line(
    sizes: np.ndarray, marks: np.ndarray, k: int, total_hidden: bool = False
) -> tuple[bool, bool]:
    """Rule 2 on one line of cells (views into the table).

    With the total visible, hidden cells must be none, or at least two holding at least `k`
    people; with the total hidden, at least one non-empty cell must be hidden, or the total
    would follow from its cells. Hides the smallest visible cells as needed. Returns (whether a
    cell was hidden, whether the total must be hidden because no cell is left to hide)."""
    hidden = marks != VISIBLE
    if total_hidden:
        candidates = np.flatnonzero(~hidden & (sizes > 0))
        if hidden[sizes > 0].any() or candidates.size == 0:
            return False, False
        marks[candidates[np.argmin(sizes[candidates])]] = COMPLEMENT
        return True, False
    changed = False
    while hidden.any():
        if int(hidden.sum()) >= 2 and int(sizes[hidden].sum()) >= k:
            break
        candidates = np.flatnonzero(~hidden & (sizes > 0))
        if candidates.size == 0:
            return changed, True
        marks[candidates[np.argmin(sizes[candidates])]] = COMPLEMENT
        hidden = marks != VISIBLE
        changed = True
    return changed, False


@dataclass(frozen=True)
class Suppression:
    reason: np.ndarray  # same shape as the sizes: VISIBLE, SMALL, DIFFERENCE or COMPLEMENT

    @property
    def hidden(self) -> np.ndarray:
        return self.reason != VISIBLE

    @property
    def hidden_count(self) -> int:
        return int(self.hidden.sum())


def suppress(
    sizes: np.ndarray,
    k: int,
    *,
    column_totals: bool = True,
    row_totals: bool = False,
) -> Suppression:
    """Which cells of a table of group sizes to hide.

    `sizes` is 1-D (groups) or 2-D (groups × groups of another dimension). For a 1-D table,
    `column_totals` says whether the total over the groups is shown. For a 2-D table,
    `column_totals` says each column's total over the rows is shown, `row_totals` that each
    row's total over the columns is.
    """
    check_min_size(k)
    sizes = np.asarray(sizes, dtype=np.int64)
    if sizes.ndim not in (1, 2):
        raise ValueError("sizes must be a 1-D or 2-D table")
    reason = _primary(sizes, k)
    table = sizes.reshape(-1, 1) if sizes.ndim == 1 else sizes
    marks = reason.reshape(table.shape)
    changed = True
    while changed:
        changed = False
        if column_totals:
            for j in range(table.shape[1]):
                changed |= _complete_line(table[:, j], marks[:, j], k)[0]
        if row_totals and sizes.ndim == 2:
            for i in range(table.shape[0]):
                changed |= _complete_line(table[i, :], marks[i, :], k)[0]
    return Suppression(marks.reshape(sizes.shape))


UNIT = "unit"


@dataclass(frozen=True)
class Cube:
    """Every group a reader can select with filters, and whether its figures may be shown.

    Axis 0 is the org unit: positions 0..n−1 are units (with their sub-units), n..2n−1 the
    people attached to each unit itself (never selectable alone, but part of the sums), 2n
    everyone. Each other axis is a flat dimension (job family, site, wave): positions are its
    values, the last one is "all".
    """

    sizes: np.ndarray
    reason: np.ndarray
    n_units: int

    def cell(self, unit: int | None, *others: int | None) -> tuple[int, ...]:
        first = 2 * self.n_units if unit is None else unit
        rest = tuple(
            self.sizes.shape[axis + 1] - 1 if value is None else value
            for axis, value in enumerate(others)
        )
        return (first, *rest)

    def visible(self, unit: int | None, *others: int | None) -> bool:
        return bool(self.reason[self.cell(unit, *others)] == VISIBLE)


def _lines(parent: np.ndarray, n_values: Sequence[int]) -> list[tuple[int, list[int], int]]:
    """The sums the cube holds: (axis, parts, total) along each axis."""
    n = parent.size
    lines: list[tuple[int, list[int], int]] = []
    for node in range(n + 1):
        kids = np.flatnonzero(parent == (node if node < n else -1)).tolist()
        parts = kids + ([n + node] if node < n else [])
        lines.append((0, parts, node if node < n else 2 * n))
    for axis, m in enumerate(n_values, start=1):
        lines.append((axis, list(range(m)), m))
    return lines


def suppress_cube(
    parent: np.ndarray, unit: np.ndarray, others: Sequence[np.ndarray], n_values: Sequence[int],
    k: int,
) -> Cube:  # fmt: skip
    """Rules 1, 2 and 4 over every group selectable by org unit and flat dimensions at once.

    `unit[i]` is the unit person i is attached to; `others[d][i]` their value in flat
    dimension d (0..n_values[d]−1). Every sum the cube holds is a line: a unit = its sub-units
    + its own people; a total = its values. Along a line whose total is visible the hidden
    parts must be none, or at least two holding at least `k` people; when no visible part is
    left to hide, the total is hidden instead. Along a line whose total is hidden, at least one
    non-empty part must be hidden too, or the total would follow from its parts. The lines are
    swept until nothing changes; a hidden group is hidden in every view.
    """
    check_min_size(k)
    parent = np.asarray(parent, dtype=np.int64)
    n = parent.size
    shape = (2 * n + 1, *(m + 1 for m in n_values))
    sizes = np.zeros(shape, dtype=np.int64)
    np.add.at(sizes, (n + np.asarray(unit), *(np.asarray(o) for o in others)), 1)
    for axis, m in enumerate(n_values, start=1):  # flat totals
        total_at: list[slice | int] = [slice(None)] * len(shape)
        total_at[axis] = m
        values_at = [slice(None)] * len(shape)
        values_at[axis] = slice(0, m)
        sizes[tuple(total_at)] = sizes[tuple(values_at)].sum(axis=axis)
    for node in np.argsort(
        -depths(parent), kind="stable"
    ).tolist():  # units bottom-up, then everyone
        sizes[node] += sizes[n + node]
        target = int(parent[node])
        sizes[target if target >= 0 else 2 * n] += sizes[node]
    reason = _primary(sizes, k)
    lines = _lines(parent, n_values)
    _sweep(sizes, reason, lines, k)
    audit_cube(parent, np.asarray(unit), others, n_values, sizes, reason, k)
    return Cube(sizes, reason, n)


def _sweep(
    sizes: np.ndarray, reason: np.ndarray, lines: list[tuple[int, list[int], int]], k: int
) -> None:
    """Rule 2 along every line until nothing changes."""
    changed = True
    while changed:
        changed = False
        for axis, parts, total in lines:
            part_sizes = np.moveaxis(np.take(sizes, parts, axis=axis), axis, 0)
            part_marks = np.moveaxis(np.take(reason, parts, axis=axis), axis, 0)
            total_sizes = np.take(sizes, total, axis=axis)
            total_marks = np.take(reason, total, axis=axis)
            flat_parts = part_sizes.reshape(len(parts), -1)
            flat_marks = part_marks.reshape(len(parts), -1).copy()
            flat_total_marks = total_marks.reshape(-1).copy()
            flat_totals = total_sizes.reshape(-1)
            for line in np.flatnonzero(flat_totals > 0).tolist():
                hid, hide_total = _complete_line(
                    flat_parts[:, line],
                    flat_marks[:, line],
                    k,
                    total_hidden=flat_total_marks[line] != VISIBLE,
                )
                if hide_total:
                    flat_total_marks[line] = COMPLEMENT
                changed |= hid or hide_total
            if changed:
                _put(reason, axis, parts, flat_marks.reshape(part_marks.shape))
                _put(reason, axis, [total], flat_total_marks.reshape(total_marks.shape)[None])


def _put(reason: np.ndarray, axis: int, positions: list[int], marks: np.ndarray) -> None:
    index: list[slice | list[int]] = [slice(None)] * reason.ndim
    index[axis] = positions
    reason[tuple(index)] = np.moveaxis(marks, 0, axis)


def audit_cube(
    parent: np.ndarray,
    unit: np.ndarray,
    others: Sequence[np.ndarray],
    n_values: Sequence[int],
    sizes: np.ndarray,
    reason: np.ndarray,
    k: int,
) -> None:
    """Rule 4, on `reason` in place: no atom (people sharing a unit and a value in every
    dimension) and no selectable group under `k` may follow from the visible figures by any
    sum or difference (`compute.audit`). Each leak is protected by hiding a box of groups
    around it (`compute.hypercubes`); the lines are swept again and the audit reruns until
    nothing leaks. Hiding only ever protects more, so this ends, in practice after one fix."""
    keys = np.stack([unit, *(np.asarray(o) for o in others)], axis=1)
    atoms, atom_sizes = np.unique(keys, axis=0, return_counts=True)
    shape = tuple(int(m) for m in n_values)
    flat = (
        np.ravel_multi_index(tuple(atoms[:, 1:].T), shape)
        if shape
        else np.zeros(len(atoms), dtype=np.int64)
    )
    present = np.zeros((parent.size, *shape), dtype=bool)
    present[tuple(atoms.T)] = True
    org = Org(parent, present)
    lines = _lines(parent, n_values)
    for _ in range(reason.size):
        leaks = find_leaks(parent, atoms[:, 0], flat, atom_sizes, sizes, reason == VISIBLE, k)
        if not leaks:
            return
        targets = leak_targets(leaks, atoms, flat, org)
        for target in targets:
            for cell in protect(target, sizes, reason == VISIBLE, org):
                reason[cell] = COMPLEMENT
        _sweep(sizes, reason, lines, k)
