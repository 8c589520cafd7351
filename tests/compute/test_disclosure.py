"""The protection of publications, attacked by the independent attackers of
`publication_attackers` (written without looking at it): they find leaks in the raw
publication and nothing once it is protected."""

import itertools

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.compute.publication_attackers import lp_attack, sum_attack
from tremplin.compute.disclosure import (
    _small_and_few,
    protect,
    small_determined_sum,
)
from tremplin.compute.intervals import System
from tremplin.compute.publication import (
    ONE,
    SMALL,
    VISIBLE,
    Measure,
    Publication,
    Table,
    Variable,
    compute_sums,
    export,
    pool,
)

MEASURES = [Measure("mean-level", "level", "assessed"), Measure("assessed", "assessed", ONE)]
PER_HEAD = [Measure("mean-level", "level", ONE), Measure("assessed", "assessed", ONE)]
VARIABLES = {"level": Variable("level", 0, 4), "assessed": Variable("assessed", 0, 1)}


def make(splits, levels, k, periods=None, measures=None):
    """A publication of `splits` ({key: codes per person}) over `levels` (periods, people),
    −1 for not assessed; a total table first."""
    measures = MEASURES if measures is None else measures
    n = levels.shape[1]
    chosen = list(range(levels.shape[0])) if periods is None else periods
    tables = [Table("by-total", "total", np.zeros(n, dtype=np.int64), [["all"]], measures,
                    chosen, [False])]  # fmt: skip
    for key, codes in splits.items():
        names = [f"{key}{v}" for v in range(int(codes.max()) + 1)]
        group, grouped, pooled = pool(codes, names, k)
        tables.append(Table(f"by-{key}", key, group, grouped, measures, chosen, pooled))
    pub = Publication("cse", k, dict(VARIABLES), tables)

    def value(name, period):
        row = levels[period]
        return np.maximum(row, 0) if name == "level" else (row >= 0).astype(float)

    compute_sums(pub, value)
    return pub, value


def published(pub):
    return export(pub, [f"P{i:03d}" for i in range(pub.tables[0].group.size)],
                  [f"2026-0{p + 1}-30" for p in range(9)])  # fmt: skip


def hide_small(pub):
    """The raw publication: pooled groups, figures at their measure's precision (0.01), only
    groups under k hidden."""
    pub.coarse = False
    for (t, _name, _period), reason in pub.reason.items():
        sizes = pub.tables[t].sizes()
        reason[(sizes > 0) & (sizes < pub.k)] = SMALL


def test_the_issue_attack_on_a_bound_is_closed():
    # A unit of 56 people: 53 of job family F, all at level 0, and three of family G at
    # levels 3, 2, 1 (three contributors: the unit mean passes the contributors rule). F also
    # holds 20 people elsewhere, all at 0. F's mean of 0 pins its members (a group fact);
    # subtracted from the unit's sum it gives the sum of the three G people: 6.
    n = 90
    unit = np.r_[np.zeros(56, int), np.ones(34, int)]
    family = np.r_[np.zeros(53, int), np.ones(3, int), np.zeros(20, int), np.ones(14, int)]
    levels = np.zeros((1, n), dtype=np.int64)
    levels[0, 53:56] = (3, 2, 1)
    levels[0, 76:] = np.resize([1, 2, 3, 4], 14)
    pub, value = make({"unit": unit, "family": family}, levels, k=10)
    hide_small(pub)
    raw = published(pub)
    assert lp_attack(raw) or sum_attack(raw)  # the attackers see the leak
    pub, value = make({"unit": unit, "family": family}, levels, k=10)
    protect(pub, value)
    safe = published(pub)
    assert lp_attack(safe) == [] and sum_attack(safe) == []
    # The family at 0 is a fact about the whole family, and stays shown.
    family_f = [
        f for f in safe["figures"] if f["id"].startswith("by-family/2026-01-30/family=family0/mean")
    ]
    assert family_f and family_f[0]["value"] == 0


def test_two_people_worked_out_by_difference_are_protected():
    # Department A holds 12 people; site S holds the same 12 and 2 more: S − A is a pair.
    n = 40
    department = np.r_[np.zeros(12, int), np.ones(28, int)]
    site = np.r_[np.zeros(14, int), np.ones(26, int)]
    rng = np.random.default_rng(3)
    levels = rng.integers(1, 4, (1, n))
    pub, value = make({"department": department, "site": site}, levels, k=10)
    hide_small(pub)
    assert sum_attack(published(pub))
    pub, value = make({"department": department, "site": site}, levels, k=10)
    protect(pub, value)
    safe = published(pub)
    assert sum_attack(safe) == [] and lp_attack(safe) == []


def test_a_small_mean_rounds_coarsely_and_still_gives_two_possible_sums():
    # 12 people, one at level 4: a mean of 0.33 at 0.01 would give the sum 4 exactly; at the
    # step the group's size allows (0.2), the sum may be 3 to 5.
    levels = np.zeros((1, 12), dtype=np.int64)
    levels[0, 0] = 4
    pub, _value = make({}, levels, k=10, measures=PER_HEAD)
    (figure,) = [f for f in published(pub)["figures"] if f["id"].endswith("/mean-level")]
    assert figure["precision"] == 0.2 and figure["value"] == 0.4
    assert figure["precision"] * 12 >= 2


def test_where_rounding_alone_pins_someone_the_audit_hides_more():
    """Proof that the audit is needed on top of the rounding: in this organisation the
    bounds and the ranges of four overlapping tables pin one person at level 0."""
    rng = np.random.default_rng(37)
    n, dims = int(rng.integers(15, 40)), int(rng.integers(2, 5))
    splits = {f"d{d}": rng.integers(0, rng.integers(2, 4), n) for d in range(dims)}
    levels = np.where(rng.random((1, n)) < 0.8, 0, 4)
    pub, value = make(splits, levels, k=5, measures=PER_HEAD)
    _small_and_few(pub, value, 1)  # rules 1 and 2 only, no audit
    assert lp_attack(published(pub))
    pub, value = make(splits, levels, k=5, measures=PER_HEAD)
    report = protect(pub, value, contributors=1)
    safe = published(pub)
    assert report.leaks_found >= 1
    assert lp_attack(safe) == [] and sum_attack(safe) == []


organisations = st.builds(
    lambda seed, n, dims, spread, per_head=False: (seed, n, dims, spread, per_head),
    st.integers(0, 10_000),
    st.integers(12, 45),
    st.integers(1, 4),
    st.floats(0.1, 0.9),
    st.booleans(),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations)
# A group at 0 whose mean is not shown (its assessed count was hidden; or 0/0) excuses nobody.
@example((1808, 24, 2, 0.75, False))
@example((93529, 40, 2, 0.8797542503058314, False))
def test_no_attacker_recovers_anything_from_a_protected_publication(org):
    seed, n, dims, spread, per_head = org
    rng = np.random.default_rng(seed)
    splits = {f"d{d}": rng.integers(0, rng.integers(2, 6), n) for d in range(dims)}
    levels = rng.integers(0, 5, (2, n))
    levels[rng.random((2, n)) < spread] = -1  # not assessed
    levels[:, rng.random(n) < 0.3] = 0  # many people at the bound
    # Over the headcount, and with the contributors rule off, the audit does the work alone.
    pub, value = make(splits, levels, k=5, measures=PER_HEAD if per_head else MEASURES)
    protect(pub, value, contributors=1 if per_head else 3)
    safe = published(pub)
    assert lp_attack(safe) == []
    assert sum_attack(safe) == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations)
def test_bounds_shown_for_figures_carried_by_few_people_give_nothing_away(org):
    seed, n, dims, spread, _per_head = org
    rng = np.random.default_rng(seed)
    splits = {f"d{d}": rng.integers(0, rng.integers(2, 6), n) for d in range(dims)}
    levels = rng.integers(0, 5, (2, n))
    levels[rng.random((2, n)) < spread] = -1
    levels[:, rng.random(n) < 0.6] = 0  # most people at 0: many means carried by few
    pub, value = make(splits, levels, k=5, measures=PER_HEAD)
    protect(pub, value)
    safe = published(pub)
    assert lp_attack(safe) == []
    assert sum_attack(safe) == []


def test_the_attackers_do_find_leaks_in_raw_random_publications():
    """Proof that the property above can fail: the same organisations, unprotected."""
    found = 0
    for seed in range(12):
        rng = np.random.default_rng(seed)
        n = 30
        department = rng.integers(0, 4, n)
        site = department.copy()  # sites follow departments, but for a few people
        moved = rng.choice(n, 2, replace=False)
        site[moved] = (site[moved] + 1) % 4
        levels = rng.integers(0, 5, (2, n))
        pub, _value = make({"department": department, "site": site}, levels, k=5)
        hide_small(pub)
        raw = published(pub)
        found += bool(lp_attack(raw) or sum_attack(raw))
    assert found >= 3


def test_pooling_keeps_every_group_at_least_k():
    codes = np.repeat(np.arange(6), [30, 12, 4, 3, 2, 1])
    group, names, pooled = pool(codes, [f"v{i}" for i in range(6)], 10)
    sizes = np.bincount(group)
    assert (sizes >= 10).all() and sum(len(n) for n in names) == 6
    assert names[-1] == ["v2", "v3", "v4", "v5"] and pooled[-1]
    # A pool still under k takes in the smallest large group.
    codes = np.repeat(np.arange(3), [30, 12, 4])
    group, names, _pooled = pool(codes, ["a", "b", "c"], 10)
    assert names == [["a"], ["b", "c"]]


def test_a_mean_carried_by_two_people_is_hidden_and_a_share_keeps_only_its_bound():
    n = 30
    for assessed in (1, 2, 28, 29):
        levels = np.full((1, n), -1)
        levels[0, :assessed] = 3
        pub, value = make({}, levels, k=10)
        protect(pub, value)
        figures = {f["id"].split("/")[-1]: f for f in published(pub)["figures"]}
        # The mean over those assessed (a private denominator) is withheld outright.
        assert figures["mean-level"]["value"] is None or assessed > 2
        assert (pub.reason[(0, "assessed", 0)] != VISIBLE).all()
        # The share assessed (per head) states the bound every count of 1 or 2 (or 28 or
        # 29) shares, and nothing finer.
        share = figures["assessed"]
        low = share["value"] - share["precision"] / 2
        high = share["value"] + share["precision"] / 2
        expected = (1, 2) if assessed <= 2 else (28, 29)
        assert (round(low * n, 9), round(high * n, 9)) == expected


def test_a_small_union_is_found_exactly_when_one_is_determined():
    rng = np.random.default_rng(8)
    k = 5
    for _case in range(150):
        cells, n = rng.integers(1, 6), rng.integers(2, 8)
        incidence = (rng.random((cells, n)) < 0.5).astype(float)
        sizes = rng.integers(1, 7, n)
        determined_unions = []
        for members in itertools.product([0, 1], repeat=n):
            chosen = np.array(members, dtype=float)
            if chosen.any() and sizes @ chosen < k:
                weights, *_ = np.linalg.lstsq(incidence.T, chosen, rcond=None)
                if np.allclose(incidence.T @ weights, chosen, atol=1e-6):
                    determined_unions.append(int(sizes @ chosen))
        found = small_determined_sum(incidence, sizes, k)
        assert (found is None) == (not determined_unions)
        if found is not None:
            target = np.isin(np.arange(n), found.atoms).astype(float)
            assert np.allclose(incidence.T @ found.weights, target, atol=1e-6)
            assert sizes[found.atoms].sum() == min(determined_unions)


def test_a_figure_rounded_more_coarsely_stays_shown_and_safe():
    """Two near-identical groups (they swap one person): their exact-enough figures give the
    two people away; one figure rounded a step more coarsely is enough, and is needed."""
    rng = np.random.default_rng(17)
    n = 24
    first = (np.arange(n) >= 12).astype(int)
    second = first.copy()
    second[0], second[12] = 1, 0
    levels = rng.integers(0, 5, (1, n))
    levels[0, rng.random(n) < 0.3] = -1
    pub, value = make({"a": first, "b": second}, levels, k=5, measures=PER_HEAD)
    protect(pub, value, contributors=1)
    assert pub.widened_count() > 0 and not pub.withheld()
    safe = published(pub)
    assert lp_attack(safe) == [] and sum_attack(safe) == []
    pub.widened.clear()  # the same figures at their group's usual step
    raw = published(pub)
    assert lp_attack(raw) or sum_attack(raw)


def test_columns_held_at_a_bound_by_one_range_need_no_program_and_the_others_are_settled():
    # Three people of one flag: a range "0 to 0" over the first two pins both at 0; the third
    # is shown with the first in a range of 0–1, so it may be 0 or 1 (a program proves it).
    system = System(
        a=np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]]),
        low=np.array([0.0, 0.0]),
        high=np.array([0.0, 1.0]),
        lo=np.zeros(3),
        hi=np.ones(3),
        sizes=np.ones(3, dtype=int),
        y=np.array([0.0, 0.0, 1.0]),
    )
    assert system.narrowed() == {0: 0.0, 1: 0.0}
    # And a brute force over every whole solution agrees, column by column.
    solutions = [
        y for y in itertools.product(range(2), repeat=3)
        if all(lo <= np.dot(row, y) <= hi for row, lo, hi in zip(system.a, system.low,
                                                                 system.high, strict=True))
    ]  # fmt: skip
    assert {j for j in range(3) if len({y[j] for y in solutions}) == 1} == {0, 1}


def test_a_system_without_figures_or_people_narrows_nobody():
    for rows, columns in ((0, 3), (0, 0), (2, 0)):
        system = System(
            a=np.zeros((rows, columns)), low=np.zeros(rows), high=np.zeros(rows),
            lo=np.zeros(columns), hi=np.ones(columns), sizes=np.ones(columns, dtype=int),
            y=np.zeros(columns),
        )  # fmt: skip
        assert system.narrowed() == {}


def chain(known):
    """Four flags, each pair of neighbours shown to sum to exactly 1: nobody can move alone or
    with one partner, but the four together can (1 0 1 0 or 0 1 0 1)."""
    return System(
        a=np.array([[1.0, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]]), low=np.ones(3),
        high=np.ones(3), lo=np.zeros(4), hi=np.ones(4), sizes=np.ones(4, dtype=int),
        y=np.array([1.0, 0, 1, 0]), known=known,
    )  # fmt: skip


def test_a_solution_found_in_an_earlier_round_spares_the_programs():
    fresh = chain([])
    assert fresh.narrowed() == {} and fresh.linear_programs == 1
    again = chain(fresh.known)
    assert again.narrowed() == {} and not again.single(np.array([1.0, 0, 0, 0]))
    assert again.single(np.array([1.0, 1, 0, 0]))  # a pair shown as exactly 1
    assert again.linear_programs == 2  # only to prove the pair's sum, none for the people


def test_an_earlier_solution_the_figures_now_exclude_proves_nothing():
    # The first two people shown at 0 to 0 together: a solution of an earlier round with the
    # first at 1 no longer holds, so their sum is still fixed and both are narrowed to 0.
    system = System(
        a=np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]]), low=np.zeros(2),
        high=np.array([0.0, 1.0]), lo=np.zeros(3), hi=np.ones(3),
        sizes=np.ones(3, dtype=int), y=np.array([0.0, 0.0, 1.0]),
        known=[np.array([1.0, 0.0, 0.0])],
    )  # fmt: skip
    assert system.solutions().shape == (0, 3)
    assert system.narrowed() == {0: 0.0, 1: 0.0}
    assert system.single(np.array([1.0, 1.0, 0.0]))
