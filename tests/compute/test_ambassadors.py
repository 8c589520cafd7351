"""The ambassador cover against a brute force over every subset of candidates, on small
companies; and the brute force first proven to catch a planted greedy that is not minimal."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tremplin.compute.ambassadors import candidates, propose


def _company(seed: int):
    rng = np.random.default_rng(seed)
    n = 14
    team = rng.integers(0, 5, n)
    site = rng.integers(0, 3, n)
    sources = rng.integers(0, n, 18)
    targets = rng.integers(0, n, 18)
    keep = sources != targets
    return team, site, sources[keep], targets[keep], rng.random(n)


def _covers(chosen, team, site, sources, targets) -> bool:
    teams = {team[p] for p in chosen} | {
        team[s] for s, t in zip(sources, targets, strict=True) if t in chosen
    }
    sites = {site[p] for p in chosen}
    return teams >= set(team.tolist()) and sites >= set(site.tolist())


def _fewest(pool, team, site, sources, targets) -> int:
    for size in range(1, len(pool) + 1):
        if any(
            _covers(set(c), team, site, sources, targets)
            for c in itertools.combinations(pool.tolist(), size)
        ):
            return size
    return len(pool)


def test_the_brute_force_catches_a_cover_that_is_not_the_smallest():
    team, site = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    sources, targets = np.array([2]), np.array([0])
    planted = {0, 1, 3}  # covers, but {0, 3} already does
    assert _covers(planted, team, site, sources, targets)
    assert _fewest(np.arange(4), team, site, sources, targets) < len(planted)


@pytest.mark.parametrize("seed", range(25))
def test_the_cover_is_the_smallest_over_its_candidates(seed):
    team, site, sources, targets, centrality = _company(seed)
    found = propose(team, site, sources, targets, centrality)
    chosen = set(found.chosen.tolist())
    assert found.teams_uncovered == found.sites_uncovered == 0
    assert _covers(chosen, team, site, sources, targets)
    pool = candidates(team, centrality)
    assert len(chosen) == _fewest(pool, team, site, sources, targets) and found.gap < 1e-6


def _fewest_with(pool, fixed, excluded, team, site, sources, targets) -> int:
    free = [p for p in pool.tolist() if p not in fixed and p not in excluded]
    for size in range(len(free) + 1):
        if any(
            _covers(set(c) | fixed, team, site, sources, targets)
            for c in itertools.combinations(free, size)
        ):
            return size + len(fixed)
    return -1


@pytest.mark.parametrize("seed", range(15))
def test_people_serving_stay_and_people_who_declined_are_never_proposed(seed):
    team, site, sources, targets, centrality = _company(seed)
    fixed, excluded = {int(np.argmax(centrality))}, {int(np.argsort(centrality)[-2])}
    found = propose(team, site, sources, targets, centrality,
                    fixed=np.array(sorted(fixed)), excluded=np.array(sorted(excluded)))  # fmt: skip
    chosen = set(found.chosen.tolist())
    assert fixed <= chosen and not chosen & excluded
    pool = np.union1d(candidates(team, np.where(np.isin(np.arange(team.size), list(excluded)),
                                                -1.0, centrality)), list(fixed))  # fmt: skip
    best = _fewest_with(pool, fixed, excluded, team, site, sources, targets)
    if found.teams_uncovered == found.sites_uncovered == 0:
        assert len(chosen) == best
