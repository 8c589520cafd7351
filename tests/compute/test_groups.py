"""Mixed groups (compute.groups), checked against a brute force on small waves."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Callable, Sequence

import pytest

from tremplin.compute import groups as groups_module
from tremplin.compute.groups import (
    ENTHUSIAST,
    NEUTRAL,
    SCEPTIC,
    Composition,
    Group,
    Member,
    compose,
    mix,
    summary,
)

Composer = Callable[[Sequence[Member], Sequence[Group]], Composition]


def small_wave(
    rng: random.Random, people: int = 6, groups: int = 3
) -> tuple[list[Member], list[Group]]:
    members = [
        Member(
            key=i,
            appetite=rng.choice([ENTHUSIAST, NEUTRAL, SCEPTIC]),
            department=rng.randrange(3),
            site=rng.randrange(2),
            groups=tuple(sorted(rng.sample(range(groups), rng.randint(1, groups)))),
        )
        for i in range(people)
    ]
    return members, [Group(key=100 + g, seats=rng.randint(1, 3)) for g in range(groups)]


def best_by_brute_force(people: list[Member], groups: list[Group]) -> tuple[int, int]:
    """Over every assignment: the most people placed, then the most departments and sites
    present summed over the groups."""
    best = (0, 0)
    for choice in itertools.product(*[(None, *p.groups) for p in people]):
        taken = Counter(g for g in choice if g is not None)
        if any(taken[g] > groups[g].seats for g in taken):
            continue
        members: list[list[Member]] = [[] for _ in groups]
        for p, g in zip(people, choice, strict=True):
            if g is not None:
                members[g].append(p)
        presence = sum(m.departments + m.sites for m in map(mix, members))
        best = max(best, (sum(taken.values()), presence))
    return best


def measured(
    people: list[Member], groups: list[Group], composition: Composition
) -> tuple[int, int]:
    """What a composition achieves, read from its placements alone; fails on a seat overrun or
    a person sent where they cannot go."""
    index = {g.key: i for i, g in enumerate(groups)}
    members: list[list[Member]] = [[] for _ in groups]
    for p in people:
        if p.key in composition.placed:
            g = index[composition.placed[p.key]]
            assert g in p.groups, f"{p.key} sent to a group they cannot attend"
            members[g].append(p)
    for g, group in enumerate(groups):
        assert len(members[g]) <= group.seats, f"group {group.key} over its seats"
    assert set(composition.unplaced) == {p.key for p in people} - set(composition.placed)
    return len(composition.placed), sum(m.departments + m.sites for m in map(mix, members))


def first_fit(people: Sequence[Member], groups: Sequence[Group]) -> Composition:
    """A planted failure: everyone to the first group with a seat."""
    taken: Counter[int] = Counter()
    placed = {}
    for p in people:
        g = next((g for g in p.groups if taken[g] < groups[g].seats), None)
        if g is not None:
            taken[g] += 1
            placed[p.key] = groups[g].key
    unplaced = [p.key for p in people if p.key not in placed]
    return Composition(placed, unplaced, [])


def misses_on(composer: Composer, waves: int) -> int:
    rng = random.Random(20261203)
    missed = 0
    for _ in range(waves):
        people, groups = small_wave(rng)
        missed += measured(people, groups, composer(people, groups)) != best_by_brute_force(
            people, groups
        )
    return missed


def test_the_brute_force_catches_a_composer_that_is_not_the_best() -> None:
    assert misses_on(first_fit, 60) > 0


def test_places_everyone_it_can_with_the_most_departments_and_sites_present() -> None:
    assert misses_on(lambda p, g: compose(p, g, seed=1), 60) == 0


def test_the_dealing_without_the_solver_keeps_seats_and_days_and_places_everyone_it_can(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(groups_module, "_quotas", lambda people, groups: None)
    rng = random.Random(5)
    for _ in range(60):
        people, groups = small_wave(rng)
        placed, _presence = measured(people, groups, compose(people, groups))
        assert placed == best_by_brute_force(people, groups)[0]


def test_people_already_seated_stay_and_count_in_the_mix() -> None:
    seated = Member(key=1, appetite=ENTHUSIAST, department=7, site=0, groups=(0, 1))
    groups = [Group(key=10, seats=1, seated=(seated,)), Group(key=11, seats=1)]
    people = [
        Member(key=2, appetite=NEUTRAL, department=7, site=0, groups=(0, 1)),
        Member(key=3, appetite=NEUTRAL, department=8, site=0, groups=(0, 1)),
    ]
    composition = compose(people, groups)
    # Department 7 is already in the first group: its second person goes to the other one.
    assert composition.placed == {3: 10, 2: 11}
    assert composition.mixes[0] == mix([seated, people[1]])


def test_enthusiasts_and_sceptics_are_spread_over_the_groups() -> None:
    people = [
        Member(
            key=i,
            appetite=[ENTHUSIAST, SCEPTIC, NEUTRAL][i % 3],
            department=0,
            site=0,
            groups=(0, 1, 2),
        )
        for i in range(30)
    ]
    composition = compose(people, [Group(key=g, seats=10) for g in range(3)])
    assert all(m.enthusiasts in (3, 4) and m.sceptics in (3, 4) for m in composition.mixes)
    assert summary(composition.mixes)["enthusiast_share_sd"] < 0.05


def test_someone_with_no_group_left_is_reported_not_forced() -> None:
    people = [
        Member(key=1, appetite=NEUTRAL, department=0, site=0, groups=(0,)),
        Member(key=2, appetite=NEUTRAL, department=1, site=0, groups=(0,)),
    ]
    composition = compose(people, [Group(key=5, seats=1)])
    assert len(composition.placed) == 1 and len(composition.unplaced) == 1


def test_the_mix_of_a_larger_wave_beats_a_random_assignment() -> None:
    rng = random.Random(3)
    people = [
        Member(
            key=i,
            appetite=rng.choice([ENTHUSIAST, ENTHUSIAST, NEUTRAL, SCEPTIC]),
            department=rng.randrange(12),
            site=rng.randrange(3),
            groups=tuple(g for g in range(8) if rng.random() < 0.8) or (0,),
        )
        for i in range(160)
    ]
    groups = [Group(key=g, seats=24) for g in range(8)]
    ours = measured(people, groups, compose(people, groups))
    taken: Counter[int] = Counter()
    placed = {}
    for p in people:
        open_ = [g for g in p.groups if taken[g] < 24]
        if open_:
            g = rng.choice(open_)
            taken[g] += 1
            placed[p.key] = g
    theirs = measured(people, groups, Composition(placed, [], []))
    assert ours[0] >= theirs[0] and ours[1] > theirs[1]
