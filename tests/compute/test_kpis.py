"""Key figures: group figures, means and distributions."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.compute.kpis import (
    group_figures,
    group_means,
    level_distribution,
    mean_levels,
)


def test_group_figures_count_everyone_and_say_who_is_assessed():
    levels = np.array([[2, -1], [4, 1], [0, 3], [-1, -1]], dtype=np.int8)
    target = np.array([[3, 2], [3, 2], [0, 2], [3, 2]], dtype=np.int8)
    figures = group_figures(levels, target, np.array([0, 0, 1, 1]), 2)
    assert figures.people.tolist() == [2, 2]
    assert figures.assessed[:, 0].tolist() == [1.0, 0.5]
    assert figures.mean_level[:, 0].tolist() == [3.0, 0.0]
    assert figures.at_target[0, 0] == 0.5  # 4 ≥ 3 yes, 2 no
    assert figures.at_target[1, 0] == 0.0  # only the person targeted counts, not assessed
    assert figures.targeted[1, 0] == 1
    distribution = level_distribution(levels)
    assert distribution[0].tolist() == [1, 1, 0, 1, 0, 1]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 40), st.integers(1, 6), st.integers(1, 5))
def test_group_figures_match_a_plain_count_per_group(seed, people, n_comp, n_groups):
    rng = np.random.default_rng(seed)
    levels = rng.integers(-1, 5, size=(people, n_comp)).astype(np.int8)
    target = rng.integers(0, 5, size=(people, n_comp)).astype(np.int8)
    group = rng.integers(-1, n_groups, size=people)
    figures = group_figures(levels, target, group, n_groups)
    for g in range(n_groups):
        members = group == g
        assert figures.people[g] == members.sum()
        if not members.any():
            continue
        known = np.maximum(levels[members], 0)
        aimed = target[members] > 0
        reached = aimed & (known >= target[members])
        assert np.allclose(figures.mean_level[g], known.mean(axis=0))
        assert np.allclose(figures.assessed[g], (levels[members] >= 0).mean(axis=0))
        assert (figures.targeted[g] == aimed.sum(axis=0)).all()
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = np.where(aimed.sum(axis=0) > 0, reached.sum(axis=0) / aimed.sum(axis=0),
                                np.nan)  # fmt: skip
        assert np.allclose(figures.at_target[g], expected, equal_nan=True)
    headcount, means = group_means(levels, group, n_groups)
    assert (headcount == figures.people).all()
    assert np.allclose(means, figures.mean_level, equal_nan=True)
    if people:
        assert np.allclose(mean_levels(levels), np.maximum(levels, 0).mean(axis=0))
