"""Privacy-safe aggregates: attackers try to recover hidden groups from visible figures."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.compute.attacker import members_of, recoverable, views
from tremplin.compute.privacy import (
    COMPLEMENT,
    SMALL,
    VISIBLE,
    check_min_size,
    suppress,
    suppress_cube,
)


def test_the_minimum_group_size_never_goes_below_five():
    assert check_min_size(5) == 5
    with pytest.raises(ValueError):
        check_min_size(4)


def test_a_small_group_and_its_complement_are_hidden():
    result = suppress(np.array([3, 25, 40, 0]), 10)
    assert result.reason.tolist() == [SMALL, COMPLEMENT, VISIBLE, VISIBLE]
    # total − visible = the two hidden groups together: 28 people, never the 3 alone
    assert 3 + 25 >= 10


def test_two_small_groups_need_a_third_when_together_they_stay_small():
    result = suppress(np.array([2, 3, 11, 12]), 10)
    assert result.reason.tolist() == [SMALL, SMALL, COMPLEMENT, VISIBLE]


def test_two_way_tables_are_protected_on_rows_and_columns():
    sizes = np.array([[4, 30, 30], [30, 30, 30], [30, 30, 30]])
    hidden = suppress(sizes, 10, column_totals=True, row_totals=True).hidden
    for line in list(hidden) + list(hidden.T):
        assert line.sum() in (0, 2, 3)
    assert hidden[0, 0]


def test_a_hidden_unit_cannot_be_rebuilt_from_its_sub_units():
    # top(0) -> A(1) -> A1(3), A2(4); top -> B(2) small
    parent = np.array([-1, 0, 0, 1, 1])
    unit = np.array([2] * 4 + [3] * 20 + [4] * 20)
    cube = suppress_cube(parent, unit, [], [], 10)
    assert cube.reason[cube.cell(2)] == SMALL and cube.reason[cube.cell(1)] == COMPLEMENT
    # A is hidden, so A = A1 + A2 must not be computable from visible sub-units
    assert not (cube.visible(3) and cube.visible(4))


@st.composite
def companies(draw):
    n_units = draw(st.integers(2, 6))
    parent = [-1] + [draw(st.integers(-1, i - 1)) for i in range(1, n_units)]
    people = draw(st.integers(8, 60))
    unit = draw(st.lists(st.integers(0, n_units - 1), min_size=people, max_size=people))
    family = draw(st.lists(st.integers(0, 2), min_size=people, max_size=people))
    site = draw(st.lists(st.integers(0, 1), min_size=people, max_size=people))
    k = draw(st.integers(5, 10))
    return np.array(parent), np.array(unit), np.array(family), np.array(site), k


@settings(max_examples=150, deadline=None)
@given(companies())
def test_no_group_smaller_than_k_follows_from_the_visible_figures(company):
    parent, unit, family, site, k = company
    cube = suppress_cube(parent, unit, [family, site], [3, 2], k)
    visible = []
    for combo, shown in views(cube, parent.size, [3, 2]):
        members = members_of(parent, unit, [family, site], combo)
        if shown and members.any():
            assert members.sum() >= k, combo
            visible.append(members.astype(float))
    # Smallest groups an attacker could aim at: people sharing unit, family and site.
    atoms = {}
    for i, key in enumerate(zip(unit.tolist(), family.tolist(), site.tolist(), strict=True)):
        atoms.setdefault(key, []).append(i)
    for members in atoms.values():
        if len(members) < k:
            target = np.zeros(unit.size)
            target[members] = 1
            assert not recoverable(visible, target), members


def test_a_filter_that_isolates_few_people_is_hidden_and_so_is_its_complement():
    site = np.array([0] * 37 + [1] * 3)
    cube = suppress_cube(np.array([-1]), np.zeros(40, dtype=int), [site], [2], 10)
    assert cube.visible(None, None)
    assert not cube.visible(None, 1)  # 3 people
    assert not cube.visible(None, 0)  # everyone − site 0 = the same 3 people


def test_margins_of_two_dimensions_do_not_isolate_one_person():
    # Found by the attacker above: everyone − unit 0 − family 2 was person 6 alone.
    unit = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 2, 0])
    family = np.array([0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 0, 1, 1, 2, 1])
    cube = suppress_cube(np.array([-1, -1, -1]), unit, [family], [3], 5)
    visible = [
        members_of(np.array([-1, -1, -1]), unit, [family], combo).astype(float)
        for combo, shown in views(cube, 3, [3])
        if shown
    ]
    target = np.zeros(16)
    target[6] = 1
    assert not recoverable(visible, target)
