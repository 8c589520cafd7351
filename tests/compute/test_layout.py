"""The help network's drawing: the same network is always drawn the same way, inside its box,
nobody on top of anybody, and colleagues linked drawn closer than the others (which a random
drawing is not: the measure tells a layout from noise). Circles and arrows fit each other."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tremplin.compute.layout import arrows, force_directed, radii

WIDTH, HEIGHT = 1000.0, 800.0


def _teams(people: int, size: int = 10, seed: int = 1) -> np.ndarray:
    """Each person names three colleagues, mostly of their own team, sometimes anyone."""
    rng = np.random.default_rng(seed)
    team = np.arange(people) // size
    links = []
    for person in range(people):
        mates = np.flatnonzero(team == team[person])
        for _ in range(3):
            other = rng.integers(people) if rng.random() < 0.1 else rng.choice(mates)
            if other != person:
                links.append((person, int(other)))
    return np.array(links)


def _ring(people: int) -> np.ndarray:
    return np.array([(i, (i + 1) % people) for i in range(people)])


def _linked_over_unlinked(pos: np.ndarray, links: np.ndarray) -> float:
    """The mean distance between linked people over the one between the others."""
    n = len(pos)
    linked = np.zeros((n, n), dtype=bool)
    linked[links[:, 0], links[:, 1]] = linked[links[:, 1], links[:, 0]] = True
    distance = np.sqrt(((pos[:, None] - pos[None]) ** 2).sum(axis=-1))
    upper = np.triu_indices(n, 1)
    return float(distance[upper][linked[upper]].mean() / distance[upper][~linked[upper]].mean())


def _closest_pair(pos: np.ndarray) -> float:
    distance = np.sqrt(((pos[:, None] - pos[None]) ** 2).sum(axis=-1))
    np.fill_diagonal(distance, np.inf)
    return float(distance.min())


NETWORKS = {
    "teams of 10, 150 people": _teams(150),
    "teams of 5, 40 people": _teams(40, size=5, seed=4),
    "a ring of 30": _ring(30),
    "a star and people nobody names": np.array([(i, 0) for i in range(1, 12)] + [(20, 21)]),
}
SIZES = {"a star and people nobody names": 25}


@pytest.mark.parametrize("name", NETWORKS)
def test_the_drawing_is_the_same_each_time_inside_its_box_nobody_on_anybody(name):
    links = NETWORKS[name]
    n = SIZES.get(name, int(links.max()) + 1)
    pos = force_directed(n, links, width=WIDTH, height=HEIGHT)
    assert pos.shape == (n, 2) and np.isfinite(pos).all()
    assert np.array_equal(pos, force_directed(n, links, width=WIDTH, height=HEIGHT))
    assert (pos >= 0).all() and (pos[:, 0] <= WIDTH).all() and (pos[:, 1] <= HEIGHT).all()
    assert np.allclose(pos.min(axis=0), 0) and np.allclose(pos.max(axis=0), [WIDTH, HEIGHT])
    assert _closest_pair(pos) > 2.0, "two people drawn on top of each other"


@pytest.mark.parametrize("name", [n for n in NETWORKS if n != "a star and people nobody names"])
def test_linked_colleagues_are_drawn_closer_than_the_others_unlike_at_random(name):
    links = NETWORKS[name]
    n = int(links.max()) + 1
    pos = force_directed(n, links, width=WIDTH, height=HEIGHT)
    assert _linked_over_unlinked(pos, links) < 0.6
    for seed in range(5):  # the measure does tell a layout from noise
        noise = np.random.default_rng(seed).random((n, 2)) * [WIDTH, HEIGHT]
        assert _linked_over_unlinked(noise, links) > 0.8


def test_a_link_s_direction_repeats_and_self_links_change_nothing():
    links = _teams(40, size=5, seed=4)
    messy = np.vstack([links[:, ::-1], links, [(3, 3), (7, 7)]])
    assert np.array_equal(force_directed(40, links), force_directed(40, messy))


def test_no_one_one_and_two_people_unlinked():
    assert force_directed(0, np.zeros((0, 2))).shape == (0, 2)
    assert force_directed(1, np.zeros((0, 2)), width=WIDTH, height=HEIGHT).tolist() == [
        [WIDTH / 2, HEIGHT / 2]
    ]
    two = force_directed(2, np.zeros((0, 2)), width=WIDTH, height=HEIGHT)
    assert np.isfinite(two).all() and _closest_pair(two) > 100


def test_three_hundred_people_are_placed_within_three_seconds():
    links = _teams(300)
    started = time.perf_counter()
    force_directed(300, links)
    assert time.perf_counter() - started < 3.0


def test_a_circle_s_area_grows_with_how_often_the_person_is_named():
    sizes = radii(np.array([0, 1, 4, 16]), 6.0, 26.0)
    assert sizes[0] == 6.0 and sizes[-1] == 26.0
    assert np.allclose((sizes[1:] - 6.0) ** 2 / (sizes[-1] - 6.0) ** 2, [1 / 16, 4 / 16, 1])
    assert radii(np.zeros(3), 6.0, 26.0).tolist() == [6.0, 6.0, 6.0]


def test_an_arrow_runs_from_the_edge_of_one_circle_to_just_short_of_the_other():
    pos = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 5.0]])
    radius = np.array([10.0, 20.0, 4.0])
    (x1, y1, x2, y2), (a1, b1, a2, b2) = arrows(pos, np.array([(0, 1), (0, 2)]), radius, gap=2.0)
    assert (x1, y1, x2, y2) == (10.0, 0.0, 78.0, 0.0)
    assert a1 == 0 and a2 == 0 and b1 <= b2  # circles overlapping: a point, no arrow backwards
