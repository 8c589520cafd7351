"""The publication attackers catch planted leaks and stay silent on safe publications."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.compute.publication_attackers import (
    Narrowed,
    SmallSum,
    attack_ranges,
    figure,
    lp_attack,
    publication,
    sum_attack,
)

PERIOD = "2026-09-30"
LEVEL, ASSESSED, SCORE = "level:T1-BASICS", "assessed:T1-BASICS", "score:T1-BASICS"
VARIABLES = {LEVEL: (0, 4), ASSESSED: (0, 1), "one": (1, 1)}


def shown(id, members, numerator, denominator, data, precision=0.01, period=PERIOD):
    """A figure as the protection would show it: the true ratio rounded half-up."""
    total = sum(data[numerator][m] for m in members)
    if denominator is None:
        ratio = total
    else:
        ratio = total / sum(data[denominator][m] if denominator != "one" else 1 for m in members)
    value = round(math.floor(ratio / precision + 0.5) * precision, 10)
    return figure(id, period, members, numerator, denominator, value, precision)


def people(prefix, n):
    return [f"{prefix}{i:03d}" for i in range(n)]


# --- the LP attacker: bounds ------------------------------------------------------------------


def bound_attack_figures(with_unit=True):
    unit = people("U", 56)
    family = unit[1:] + people("F", 20)  # 55 of the unit and 20 others
    data = {
        LEVEL: {p: 0 for p in unit + family} | {"U000": 3},
        ASSESSED: {p: 1 for p in unit + family},
    }
    figures = [
        shown("by-family/Marketing/mean-level", family, LEVEL, ASSESSED, data),
        shown("by-family/Marketing/assessed-share", family, ASSESSED, "one", data),
    ]
    if with_unit:
        figures += [
            shown("by-unit/U/mean-level", unit, LEVEL, ASSESSED, data),  # 3/56 → 0.05
            shown("by-unit/U/assessed-share", unit, ASSESSED, "one", data),  # 1.00
        ]
    return figures


def test_the_bound_attack_pins_the_one_person_outside_a_family_at_zero():
    pub = publication(bound_attack_figures(), VARIABLES)
    assert [f["value"] for f in pub["figures"]] == [0.0, 1.0, 0.05, 1.0]
    leaks = lp_attack(pub)
    assert [(n.person, n.variable, n.period) for n in leaks] == [("U000", LEVEL, PERIOD)]
    assert leaks[0].low <= 3 <= leaks[0].high and leaks[0].high - leaks[0].low < 1
    # the reference path and the exact (integer) one agree
    (reference,) = lp_attack(pub, per_person=True)
    assert reference.person == "U000"
    assert (reference.low, reference.high) == pytest.approx((leaks[0].low, leaks[0].high))
    assert lp_attack(pub, integral=True) == [Narrowed("U000", LEVEL, PERIOD, 3.0, 3.0)]
    # the differencing attacker finds the same person (unit ∖ family)
    assert sum_attack(pub) == [SmallSum(("U000",), LEVEL, PERIOD, 3.0, "lp")]


def test_a_family_at_zero_alone_is_a_group_fact_not_a_leak():
    pub = publication(bound_attack_figures(with_unit=False), VARIABLES)
    ranges = attack_ranges(pub)
    levels = [value for key, value in ranges.items() if key[1] == LEVEL]
    assert len(levels) == 75 and all(low == 0 and high < 1 for low, high in levels)  # pinned
    assert lp_attack(pub) == []
    assert sum_attack(pub) == []


# --- the sparse-combination attacker ----------------------------------------------------------


def differencing(show_b=True):
    a = people("A", 12)
    b = [*a, "P", "Q"]
    data = {LEVEL: {p: i % 5 for i, p in enumerate(a)} | {"P": 2, "Q": 3}}
    figures = [shown("a/total-level", a, LEVEL, None, data)]
    second = shown("b/total-level", b, LEVEL, None, data)
    if not show_b:
        second["value"] = None
    return publication([*figures, second], VARIABLES)


def test_two_plain_sums_that_differ_by_two_people_give_their_sum():
    pub = differencing()
    assert sum_attack(pub) == [SmallSum(("P", "Q"), LEVEL, PERIOD, 5.0, "lp")]
    assert lp_attack(pub) == []  # neither alone is pinned: 5 = 1 + 4 = 2 + 3 = …
    found = sum_attack(pub, lp=False)  # the linear model sees it too
    assert [(s.people, s.method) for s in found] == [(("P", "Q"), "linear")]
    assert found[0].value == pytest.approx(5.0)


def test_one_sum_alone_or_a_hidden_second_one_gives_nothing():
    alone = differencing()
    alone["figures"] = alone["figures"][:1]
    assert sum_attack(alone) == []
    assert sum_attack(differencing(show_b=False)) == []


def test_two_fully_assessed_groups_inside_a_third_give_the_leftover_nine():
    g1, g2, rest = people("G", 45), people("H", 45), people("R", 9)
    data = {ASSESSED: {p: 1 for p in g1 + g2 + rest} | {"R004": 0}}  # R004 never assessed
    figures = [
        shown("g1/assessed-share", g1, ASSESSED, "one", data),
        shown("g2/assessed-share", g2, ASSESSED, "one", data),
        shown("all/assessed-share", g1 + g2 + rest, ASSESSED, "one", data),
    ]
    pub = publication(figures, VARIABLES)
    assert [f["value"] for f in figures] == [1.0, 1.0, 0.99]  # 98/99
    assert sum_attack(pub) == [SmallSum(tuple(rest), ASSESSED, PERIOD, 8.0, "lp")]
    assert lp_attack(pub) == []  # the 90 pinned at 1 are group facts; the 9 are not pinned
    linear = sum_attack(pub, lp=False)
    assert [(s.people, s.method) for s in linear] == [(tuple(rest), "linear")]
    assert linear[0].value == pytest.approx(8.0, abs=0.05)
    # without the first group, the leftover is 54 people: nothing small is determined
    assert sum_attack(publication(figures[1:], VARIABLES)) == []


def test_the_linear_search_finds_a_union_of_three_small_classes():
    x, y, z = people("X", 10), people("Y", 10), people("Z", 10)
    a, b, c = people("a", 3), people("b", 3), people("c", 3)
    everyone = x + y + z + a + b + c
    data = {LEVEL: {p: 1 + i % 4 for i, p in enumerate(everyone)}}
    figures = [
        shown("xa", x + a, LEVEL, None, data),
        shown("yb", y + b, LEVEL, None, data),
        shown("zc", z + c, LEVEL, None, data),
        shown("xyz", x + y + z, LEVEL, None, data),
    ]
    found = sum_attack(publication(figures, VARIABLES))
    assert [(s.people, s.method) for s in found] == [(tuple(sorted(a + b + c)), "linear")]
    assert found[0].value == pytest.approx(sum(data[LEVEL][p] for p in a + b + c))


# --- rounding ---------------------------------------------------------------------------------


def test_a_mean_to_the_hundredth_over_three_people_pins_their_sum():
    trio = ["A", "B", "C"]
    data = {LEVEL: {"A": 1, "B": 2, "C": 4}}
    pub = publication([shown("trio/mean", trio, LEVEL, "one", data)], VARIABLES)
    assert pub["figures"][0]["value"] == 2.33  # sum in [6.975, 7.005]
    assert sum_attack(pub, linear=False) == [SmallSum(("A", "B", "C"), LEVEL, PERIOD, 7.0)]
    coarse = publication([shown("trio/mean", trio, LEVEL, "one", data, 1)], VARIABLES)
    assert sum_attack(coarse, linear=False) == []  # mean 2: sum anywhere in [4.5, 7.5]


@pytest.mark.parametrize(
    ("size", "precision", "pinned"),
    [(20, 0.01, True), (200, 0.01, False), (200, 0.0001, True)],
)
def test_differencing_two_means_uses_the_rounding_interval(size, precision, pinned):
    a = people("A", size)
    data = {LEVEL: {p: (7 * i) % 5 for i, p in enumerate(a)} | {"P": 3, "Q": 2}}
    pub = publication(
        [
            shown("a/mean", a, LEVEL, "one", data, precision),
            shown("a+pq/mean", [*a, "P", "Q"], LEVEL, "one", data, precision),
        ],
        VARIABLES,
    )
    expected = [SmallSum(("P", "Q"), LEVEL, PERIOD, 5.0)] if pinned else []
    assert sum_attack(pub, linear=False) == expected
    # the linear search finds the pair in the span and prices it with the same rounding
    assert [s.people for s in sum_attack(pub, lp=False)] == ([("P", "Q")] if pinned else [])


# --- a safe publication -----------------------------------------------------------------------


def test_a_partition_into_groups_of_fifteen_and_its_total_is_safe():
    groups = [people(prefix, 15) for prefix in "WXYZ"]
    everyone = [p for group in groups for p in group]
    data = {
        ASSESSED: {p: int(i % 5 != 4) for i, p in enumerate(everyone)},  # 12 of 15 per group
        LEVEL: {p: (1 + i % 4) * int(i % 5 != 4) for i, p in enumerate(everyone)},
    }
    figures = []
    for name, members in [*zip("WXYZ", groups, strict=True), ("all", everyone)]:
        figures.append(shown(f"{name}/mean-level", members, LEVEL, ASSESSED, data))
        figures.append(shown(f"{name}/assessed-share", members, ASSESSED, "one", data))
    pub = publication(figures, VARIABLES)
    assert all(0 < f["value"] < 4 and f["value"] != 1 for f in figures)
    assert lp_attack(pub) == []
    assert lp_attack(pub, integral=True) == []
    assert sum_attack(pub) == []


# --- the class optimisation against the per-person reference ---------------------------------


@st.composite
def random_publications(draw):
    n = draw(st.integers(4, 14))
    ids = [f"P{i:02d}" for i in range(n)]
    data = {
        LEVEL: {p: draw(st.integers(0, 4)) for p in ids},
        ASSESSED: {p: draw(st.integers(0, 1)) for p in ids},
        SCORE: {p: draw(st.floats(0, 1, allow_nan=False)) for p in ids},
    }
    figures = []
    for k in range(draw(st.integers(1, 6))):
        chosen = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        members = [p for p, keep in zip(ids, chosen, strict=True) if keep] or ids[:1]
        numerator = draw(st.sampled_from([LEVEL, ASSESSED, SCORE]))
        denominator = draw(st.sampled_from([None, "one", ASSESSED]))
        if denominator == ASSESSED and (
            numerator == ASSESSED or not any(data[ASSESSED][m] for m in members)
        ):
            denominator = "one"
        precision = draw(st.sampled_from([0.01, 0.1, 1.0]))
        period = draw(st.sampled_from(["p1", "p2"]))
        fig = shown(f"f{k}", members, numerator, denominator, data, precision, period)
        if draw(st.booleans()) and k:
            fig["value"] = None
        figures.append(fig)
    variables = VARIABLES | {SCORE: (0.0, 1.0)}
    return publication(figures, variables, draw(st.integers(2, 5))), data


def close(left, right):
    assert left.keys() == right.keys()
    for key, (low, high) in left.items():
        assert right[key] == pytest.approx((low, high), abs=1e-5), key


@settings(max_examples=30, deadline=None)
@given(random_publications())
def test_the_class_path_agrees_with_the_per_person_path(drawn):
    pub, data = drawn
    by_class = attack_ranges(pub)
    close(by_class, attack_ranges(pub, per_person=True))
    for (person, name, _), (low, high) in by_class.items():
        assert low - 1e-6 <= data[name][person] <= high + 1e-6  # sound: the truth is inside
    assert [(n.person, n.variable, n.period) for n in lp_attack(pub)] == [
        (n.person, n.variable, n.period) for n in lp_attack(pub, per_person=True)
    ]


@settings(max_examples=20, deadline=None)
@given(random_publications())
def test_the_integer_attacker_is_exact_and_at_least_as_sharp(drawn):
    pub, data = drawn
    relaxed, exact = attack_ranges(pub), attack_ranges(pub, integral=True)
    close(exact, attack_ranges(pub, integral=True, per_person=True))
    for key, (low, high) in exact.items():
        assert relaxed[key][0] - 1e-6 <= low <= high <= relaxed[key][1] + 1e-6
        assert low - 1e-6 <= data[key[1]][key[0]] <= high + 1e-6


@settings(max_examples=20, deadline=None)
@given(random_publications())
def test_every_small_sum_found_is_small_and_true_on_both_paths(drawn):
    pub, data = drawn
    by_class = sum_attack(pub)
    reference = sum_attack(pub, per_person=True)
    assert [(s.people, s.variable, s.period, s.method) for s in by_class] == [
        (s.people, s.variable, s.period, s.method) for s in reference
    ]
    for found in by_class:
        assert 0 < len(found.people) < pub["min_group"]
        if found.method == "lp":
            truth = sum(data[found.variable][p] for p in found.people)
            assert found.value == pytest.approx(truth, abs=1e-5)
