"""The linear audit of privacy cubes, checked against a dense attacker, and the boxes that
protect what it finds."""

from itertools import product

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.compute.attacker import members_of, recoverable
from tremplin.compute.audit import find_leaks
from tremplin.compute.hypercubes import Org, Target, protect
from tremplin.compute.privacy import SMALL, VISIBLE, audit_cube, suppress_cube


@st.composite
def companies(draw):
    """An org tree, people attached to its units, 0 to 3 flat dimensions, and k."""
    n_units = draw(st.integers(1, 7))
    parent = [-1] + [draw(st.integers(-1, i - 1)) for i in range(1, n_units)]
    people = draw(st.integers(5, 80))
    unit = draw(st.lists(st.integers(0, n_units - 1), min_size=people, max_size=people))
    n_values = draw(st.lists(st.integers(1, 3), max_size=3))
    others = [
        np.array(draw(st.lists(st.integers(0, m - 1), min_size=people, max_size=people)))
        for m in n_values
    ]
    k = draw(st.integers(5, 10))
    return np.array(parent), np.array(unit), others, n_values, k


def _positions(n, n_values):
    """Every selectable cell: a unit (or everyone, None) and a value (or all, None) per
    dimension, with its cube position."""
    for combo in product([*range(n), None], *([*range(m), None] for m in n_values)):
        values = (m if v is None else v for v, m in zip(combo[1:], n_values, strict=True))
        yield combo, (2 * n if combo[0] is None else combo[0], *values)


def _atoms(unit, others, n_values):
    keys = np.stack([unit, *others], axis=1)
    atoms, counts = np.unique(keys, axis=0, return_counts=True)
    flat = (
        np.ravel_multi_index(tuple(atoms[:, 1:].T), tuple(n_values))
        if n_values
        else np.zeros(len(atoms), dtype=np.int64)
    )
    return keys, atoms, counts, flat


def _dense_leaks(parent, unit, others, n_values, sizes, shown, k):
    """What the attacker recovers: small atoms (unit, flat index) and small hidden cells."""
    n = parent.size
    visible, small_cells = [], []
    for combo, at in _positions(n, n_values):
        members = members_of(parent, unit, others, combo)
        if shown[at] and members.any():
            visible.append(members.astype(float))
        elif not shown[at] and 0 < members.sum() < k:
            small_cells.append((at, members))
    keys, atoms, counts, flat = _atoms(unit, others, n_values)
    leaked_atoms = {
        (int(atom[0]), int(f))
        for atom, size, f in zip(atoms, counts, flat, strict=True)
        if size < k and recoverable(visible, np.all(keys == atom, axis=1))
    }
    leaked_cells = {at for at, members in small_cells if recoverable(visible, members)}
    return leaked_atoms, leaked_cells


@settings(max_examples=80, deadline=None)
@given(companies(), st.integers(0, 2**32 - 1))
def test_the_audit_finds_exactly_what_an_attacker_recovers(company, seed):
    parent, unit, others, n_values, k = company
    sizes = suppress_cube(parent, unit, others, n_values, k).sizes
    rng = np.random.default_rng(seed)
    shown = (rng.random(sizes.shape) < rng.uniform(0.3, 1.0)) & ~((sizes > 0) & (sizes < k))
    _keys, atoms, counts, flat = _atoms(unit, others, n_values)
    leaks = find_leaks(parent, atoms[:, 0], flat, counts, sizes, shown, k)
    assert (set(leaks.atoms), set(leaks.cells)) == _dense_leaks(
        parent, unit, others, n_values, sizes, shown, k
    )


@settings(max_examples=80, deadline=None)
@given(companies())
def test_the_audit_protects_every_small_group_even_with_only_the_threshold_applied(company):
    parent, unit, others, n_values, k = company
    sizes = suppress_cube(parent, unit, others, n_values, k).sizes
    reason = np.where((sizes > 0) & (sizes < k), SMALL, VISIBLE).astype(np.int8)
    audit_cube(parent, unit, others, n_values, sizes, reason, k)
    assert _dense_leaks(parent, unit, others, n_values, sizes, reason == VISIBLE, k) == (
        set(),
        set(),
    )


def test_a_lone_person_is_protected_by_crossings_and_the_unit_totals_stay():
    # Root 0 over units A (1) and B (2); family and site 0 or 1; x is alone at A, 0, 0.
    cells = {(1, 0, 0): 1, (1, 0, 1): 20, (1, 1, 0): 20, (1, 1, 1): 20}
    cells |= {(2, f, s): 20 for f in (0, 1) for s in (0, 1)}
    unit, family, site = np.repeat(np.array(list(cells)), list(cells.values()), axis=0).T
    parent = np.array([-1, 0, 0])
    sizes = suppress_cube(parent, unit, [family, site], [2, 2], 10).sizes
    shown = ~((sizes > 0) & (sizes < 10))
    present = np.zeros((3, 2, 2), dtype=bool)
    present[unit, family, site] = True
    hide = protect(Target(None, (0, 0), [(1, (0, 0))]), sizes, shown, Org(parent, present))
    # The box A, B × family 0, 1 × site 0, 1: crossings only, no total of any unit.
    assert sorted(hide) == sorted(
        (u, f, s) for u in (1, 2) for f in (0, 1) for s in (0, 1) if (u, f, s) != (1, 0, 0)
    )
    for cell in hide:
        shown[cell] = False
    leaked_atoms, _cells = _dense_leaks(parent, unit, [family, site], [2, 2], sizes, shown, 10)
    assert (1, 0) not in leaked_atoms
