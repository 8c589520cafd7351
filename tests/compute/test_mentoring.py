"""Mentoring pairs (compute.mentoring) against independent peers on small random companies:
the eligible pairs and their scores against a plain reading of the rules (walking up the
managers, not the paths the module reads), the optimum against an exhaustive enumeration and
against `linear_sum_assignment` on the dense matrix of mentors' seats; and the brute force
first proven to catch an assignment that overfills a mentor."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from tremplin.compute import mentoring
from tremplin.compute.hierarchy import encode_path, tree_paths
from tremplin.compute.mentoring import (
    COVERAGE_POINTS,
    CROSS_DEPARTMENT_POINTS,
    LEVEL_FIT,
    LEVEL_POINTS,
    Matching,
    Mentees,
    Mentors,
    best_assignment,
    breakdown,
    eligible_pairs,
    greedy,
    greedy_assignment,
    optimal,
)

FRENCH, ENGLISH = 1, 2


def _company(seed: int, n: int, m: int, competences: int = 3, seats: tuple[int, int] = (0, 3)):
    """A reporting tree over n + m − 2 people (so that some take both sides), and the two
    sides drawn from it. Person ids are index + 1."""
    rng = np.random.default_rng(seed)
    people = max(n + m - 2, 1)
    manager = {k + 1: (int(rng.integers(0, k)) + 1 if k else None) for k in range(people)}
    paths = tree_paths(manager).paths
    mentee_ids = rng.choice(people, min(n, people), replace=False) + 1
    mentor_ids = rng.choice(people, min(m, people), replace=False) + 1
    n, m = mentee_ids.size, mentor_ids.size
    mentees = Mentees(
        person=mentee_ids,
        reporting_path=[encode_path(paths[int(p)]) for p in mentee_ids],
        current=rng.integers(-1, 5, (n, competences)),
        target=rng.integers(0, 5, (n, competences)),
        languages=rng.integers(1, 4, n),
        site=rng.integers(-1, 2, n),
        remote=rng.random(n) < 0.5,
        department=rng.integers(-1, 3, n),
    )
    mentors = Mentors(
        person=mentor_ids,
        reporting_path=[encode_path(paths[int(p)]) for p in mentor_ids],
        level=rng.integers(0, 5, (m, competences)),
        capacity=rng.integers(seats[0], seats[1] + 1, m),
        languages=rng.integers(1, 4, m),
        site=rng.integers(-1, 2, m),
        remote=rng.random(m) < 0.5,
        department=rng.integers(-1, 3, m),
    )
    return manager, mentees, mentors


def _above(manager: dict, person: int, other: int) -> bool:
    """`other` is somewhere above `person` in the tree."""
    up = manager.get(person)
    while up is not None:
        if up == other:
            return True
        up = manager.get(up)
    return False


def _reference_score(current, target, offered, department_a, department_b) -> int:
    """The rules as the module's docstring words them, one competence at a time; 0 when the
    mentor covers none of the goals."""
    covered, fits, gaps = 0, [], 0
    for now, goal, level in zip(current.tolist(), target.tolist(), offered.tolist(), strict=True):
        now = max(now, 0)
        gap = max(goal - now, 0)
        gaps += gap
        if gap > 0 and level >= 3 and level > now:
            covered += min(gap, level - now)
            fits.append(LEVEL_FIT[level - now])
    if not fits:
        return 0
    cross = CROSS_DEPARTMENT_POINTS if min(department_a, department_b) >= 0 and (
        department_a != department_b) else 0  # fmt: skip
    return (round(COVERAGE_POINTS * covered / gaps) + round(LEVEL_POINTS * sum(fits)
            / (10 * len(fits))) + cross)  # fmt: skip


def _reference_pairs(manager: dict, mentees: Mentees, mentors: Mentors) -> dict:
    found = {}
    for i, j in itertools.product(range(len(mentees.person)), range(len(mentors.person))):
        a, b = int(mentees.person[i]), int(mentors.person[j])
        if a == b or _above(manager, a, b) or _above(manager, b, a):
            continue
        if not mentees.languages[i] & mentors.languages[j] or mentors.capacity[j] < 1:
            continue
        same_site = mentees.site[i] == mentors.site[j] and mentors.site[j] >= 0
        if not (same_site or (mentees.remote[i] and mentors.remote[j])):
            continue
        score = _reference_score(mentees.current[i], mentees.target[i], mentors.level[j],
                                 mentees.department[i], mentors.department[j])  # fmt: skip
        if score:
            found[i, j] = score
    return found


def _exhaustive(pairs: dict, capacity, n: int) -> int:
    """Every way of giving each mentee one of their mentors or none."""
    options = [[None] + [j for (i, j) in pairs if i == a] for a in range(n)]
    best = 0
    for choice in itertools.product(*options):
        taken = [j for j in choice if j is not None]
        if all(taken.count(j) <= capacity[j] for j in set(taken)):
            best = max(best, sum(pairs[a, j] for a, j in enumerate(choice) if j is not None))
    return best


def _seats(pairs: dict, capacity, n: int) -> int:
    """The optimum by `linear_sum_assignment` on mentees × (every seat of every mentor, and
    one place per mentee for staying unmatched)."""
    seats = [j for j, c in enumerate(capacity) for _ in range(int(c))]
    weight = np.full((n, len(seats) + n), -1e9)
    weight[np.arange(n), len(seats) + np.arange(n)] = 0.0
    for (i, j), score in pairs.items():
        weight[i, [s for s, mentor in enumerate(seats) if mentor == j]] = score
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return round(float(weight[rows, cols].sum()))


def _respects(found: Matching, pairs: dict, capacity) -> None:
    matched = np.flatnonzero(found.mentor_of >= 0)
    for i in matched:
        assert (i, found.mentor_of[i]) in pairs  # eligible: line, self, language, site
        assert found.score[i] == pairs[i, found.mentor_of[i]]
    load = np.bincount(found.mentor_of[matched], minlength=len(capacity))
    assert (load <= capacity).all()
    assert found.total == sum(pairs[i, found.mentor_of[i]] for i in matched)


def test_the_brute_force_catches_a_mentor_given_too_many_mentees():
    pairs = {(0, 0): 900, (1, 0): 800, (1, 1): 100}
    capacity = np.array([1, 1])
    overfilled = pairs[0, 0] + pairs[1, 0]  # both on mentor 0, one seat
    assert _exhaustive(pairs, capacity, 2) == _seats(pairs, capacity, 2) == 1000 < overfilled


@pytest.mark.parametrize("seed", range(40))
def test_eligible_pairs_and_scores_follow_the_rules(seed):
    manager, mentees, mentors = _company(seed, 9, 6)
    found = eligible_pairs(mentees, mentors)
    got = dict(zip(zip(found.mentee.tolist(), found.mentor.tolist(), strict=True),
                   found.score.tolist(), strict=True))  # fmt: skip
    assert got == _reference_pairs(manager, mentees, mentors)
    for (i, j), score in got.items():
        explained = breakdown(current=mentees.current[i], target=mentees.target[i],
                              offered=mentors.level[j],
                              mentee_department=int(mentees.department[i]),
                              mentor_department=int(mentors.department[j]))  # fmt: skip
        assert explained.total == score
        assert explained.coverage + explained.level_fit + explained.cross_department == score


@pytest.mark.parametrize("seed", range(60))
def test_the_assignment_is_optimal_against_an_exhaustive_search(seed):
    manager, mentees, mentors = _company(seed, 6, 3, seats=(1, 2))  # seats scarce
    pairs = _reference_pairs(manager, mentees, mentors)
    found = optimal(mentees, mentors)
    _respects(found, pairs, mentors.capacity)
    assert found.total == _exhaustive(pairs, mentors.capacity, len(mentees.person))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 25), m=st.integers(1, 8))
def test_the_assignment_is_optimal_against_linear_sum_assignment(seed, n, m):
    manager, mentees, mentors = _company(seed, n, m, competences=4)
    pairs = _reference_pairs(manager, mentees, mentors)
    n = len(mentees.person)
    best = optimal(mentees, mentors)
    peer = greedy(mentees, mentors)
    _respects(best, pairs, mentors.capacity)
    _respects(peer, pairs, mentors.capacity)
    assert best.total == _seats(pairs, mentors.capacity, n)
    assert best.bound is not None and best.total - 1e-6 < best.bound < best.total + 1
    assert peer.total <= best.total


@pytest.mark.parametrize("seed", range(25))
def test_pairs_left_out_of_the_first_linear_program_are_priced_in(seed, monkeypatch):
    """A first set of one pair per mentee and per mentor: the optimum needs the pricing."""
    monkeypatch.setattr(mentoring, "FIRST_PER_MENTEE", 1)
    monkeypatch.setattr(mentoring, "FIRST_PER_SEAT", 0)
    monkeypatch.setattr(mentoring, "FIRST_EXTRA", 1)
    monkeypatch.setattr(mentoring, "PRICED_PER_MENTEE", 1)
    manager, mentees, mentors = _company(seed, 30, 8, competences=4)
    pairs = _reference_pairs(manager, mentees, mentors)
    found = optimal(mentees, mentors)
    _respects(found, pairs, mentors.capacity)
    assert found.total == _seats(pairs, mentors.capacity, len(mentees.person))


def _one(**fields) -> dict:
    """One participant's fields, with every rule passed unless overridden."""
    person = {"person": 1, "reporting_path": "/1/", "languages": FRENCH, "site": 0,
              "remote": False, "department": 0}  # fmt: skip
    person.update(fields)
    return person


def _columns(rows: list[dict]) -> dict:
    return {key: [r[key] for r in rows] if key == "reporting_path"
            else np.array([r[key] for r in rows]) for key in rows[0]}  # fmt: skip


def _mentees(*people: dict) -> Mentees:
    return Mentees(**_columns([{"current": [0, 0], "target": [1, 1], **p} for p in people]))


def _mentors(*people: dict) -> Mentors:
    return Mentors(**_columns([{"level": [3, 3], "capacity": 1, **p} for p in people]))


def test_greedy_can_be_strictly_worse():
    # X's best mentor is A (cross-department); Y can only have A (same site, not remote).
    # The greedy gives A to X and leaves Y alone; the optimum gives X to B.
    mentees = _mentees(
        _one(person=10, reporting_path="/10/", site=2, remote=True, department=1),
        _one(person=11, reporting_path="/11/", target=[1, 0]),
    )
    mentors = _mentors(
        _one(person=20, reporting_path="/20/", remote=True),
        _one(person=21, reporting_path="/21/", site=1, remote=True, level=[3, 0]),
    )
    best, peer = optimal(mentees, mentors), greedy(mentees, mentors)
    assert peer.mentor_of.tolist() == [0, -1] and peer.total == 950
    assert best.mentor_of.tolist() == [1, 0] and best.total == 650 + 800


def test_nobody_is_paired_within_their_reporting_line_or_with_themself():
    # 1 manages 2, who manages 3; 4 is elsewhere. Mentee 3 is above no one and below 1 and 2;
    # mentee 1 is above 2 (and 3); mentee 4 is also a mentor: everyone but 4 for 4.
    mentees = _mentees(_one(person=3, reporting_path="/1/2/3/"),
                       _one(person=1, reporting_path="/1/"),
                       _one(person=4, reporting_path="/4/"))  # fmt: skip
    mentors = _mentors(_one(person=1, reporting_path="/1/", capacity=3),
                       _one(person=2, reporting_path="/1/2/", capacity=3),
                       _one(person=4, reporting_path="/4/", capacity=3))  # fmt: skip
    found = eligible_pairs(mentees, mentors)
    pairs = set(zip(found.mentee.tolist(), found.mentor.tolist(), strict=True))
    assert pairs == {(0, 2), (1, 2), (2, 0), (2, 1)}
    assert optimal(mentees, mentors).mentor_of.tolist()[:2] == [2, 2]


def test_languages_and_sites_must_meet():
    mentees = _mentees(_one(person=1, languages=ENGLISH),
                       _one(person=2, site=1),
                       _one(person=3, site=1, remote=True),
                       _one(person=4, site=-1, remote=False))  # fmt: skip
    mentors = _mentors(_one(person=9, reporting_path="/9/", languages=FRENCH, site=-1,
                            remote=True, capacity=4),
                       _one(person=8, reporting_path="/8/", site=-1, capacity=4))  # fmt: skip
    found = eligible_pairs(mentees, mentors)
    # English-only meets no French-only mentor; an unknown site is nobody's site; remote on
    # both sides meets.
    assert set(zip(found.mentee.tolist(), found.mentor.tolist(), strict=True)) == {(2, 0)}


def test_a_mentee_without_an_eligible_mentor_stays_unmatched():
    mentees = _mentees(_one(person=1), _one(person=2, current=[4, 4], target=[4, 4]),
                       _one(person=3, current=[3, 3], target=[4, 4]))  # fmt: skip
    mentors = _mentors(_one(person=9, reporting_path="/9/", capacity=3))
    found = optimal(mentees, mentors)
    # No goal for the second; the third's goals are above what the mentor offers.
    assert found.mentor_of.tolist() == [0, -1, -1] and found.score.tolist()[1:] == [0, 0]


def test_empty_sides_give_an_empty_assignment():
    mentees = _mentees(_one(person=1))
    mentors = _mentors(_one(person=9, reporting_path="/9/"))
    nobody = replace(mentees, person=mentees.person[:0], reporting_path=[],
                     current=mentees.current[:0], target=mentees.target[:0])  # fmt: skip
    no_mentor = replace(mentors, person=mentors.person[:0], reporting_path=[],
                        level=mentors.level[:0], capacity=mentors.capacity[:0])  # fmt: skip
    no_seat = replace(mentors, capacity=np.array([0]))
    for solve in (optimal, greedy):
        assert solve(nobody, mentors).mentor_of.size == 0
        assert solve(nobody, no_mentor).total == 0
        for none in (no_mentor, no_seat):
            found = solve(mentees, none)
            assert found.mentor_of.tolist() == [-1] and found.total == found.eligible_pairs == 0


def test_breakdown_explains_a_pair():
    # Gaps 2 and 1, both covered three levels above: all the gap covered, a fit of 0.8.
    explained = breakdown(current=np.array([1, 0, 2]), target=np.array([3, 1, 2]),
                          offered=np.array([4, 3, 4]), mentee_department=0,
                          mentor_department=1)  # fmt: skip
    assert (explained.coverage, explained.level_fit, explained.cross_department) == (
        COVERAGE_POINTS, 200, CROSS_DEPARTMENT_POINTS)  # fmt: skip
    assert explained.total == COVERAGE_POINTS + 200 + CROSS_DEPARTMENT_POINTS
    assert explained.goals_covered == (0, 1)


def test_a_mentor_one_or_two_levels_above_fits_best():
    def fit(offered: int) -> int:
        return breakdown(current=np.array([1]), target=np.array([2]), offered=np.array([offered]),
                         mentee_department=0, mentor_department=0).level_fit  # fmt: skip

    assert fit(3) == LEVEL_POINTS > fit(4)


def test_a_person_twice_on_one_side_is_refused():
    mentees = _mentees(_one(person=1), _one(person=1))
    with pytest.raises(ValueError, match="twice"):
        eligible_pairs(mentees, _mentors(_one(person=9, reporting_path="/9/")))


def test_the_assignment_functions_take_precomputed_pairs():
    _, mentees, mentors = _company(3, 12, 4)
    pairs = eligible_pairs(mentees, mentors)
    n = len(mentees.person)
    assert best_assignment(pairs, mentors.capacity, n).total == optimal(mentees, mentors).total
    assert greedy_assignment(pairs, mentors.capacity, n).total == greedy(mentees, mentors).total
