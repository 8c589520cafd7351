import numpy as np
import pytest

from tremplin.compute.irt import (
    Grid,
    ItemParameters,
    eap,
    information,
    level_for,
    probability,
    simulate_answers,
)


def test_probability_follows_the_3pl_curve():
    items = ItemParameters.of([1.0, 2.0], [0.0, 1.0], [0.0, 0.25])
    p = probability(np.array([-10.0, 0.0, 1.0, 10.0]), items)
    assert p.shape == (4, 2)
    assert p[1, 0] == pytest.approx(0.5)
    assert p[2, 1] == pytest.approx(0.25 + 0.75 * 0.5)
    assert p[0, 1] == pytest.approx(0.25, abs=1e-6)  # guessing floor
    assert p[3, 0] < 1.0  # clipped, so logs stay finite


def test_2pl_information_peaks_at_the_difficulty():
    items = ItemParameters.of([1.5], [0.7])
    grid = np.linspace(-3, 3, 601)
    info = information(grid, items)[:, 0]
    assert grid[np.argmax(info)] == pytest.approx(0.7, abs=0.01)
    assert info.max() == pytest.approx(1.5**2 / 4, rel=1e-3)


def test_eap_is_finite_when_every_answer_is_right():
    items = ItemParameters.of([1.0] * 5, [0.0] * 5)
    result = eap(items, [True] * 5)
    assert 0.5 < result.theta < 3.0
    assert 0 < result.se < 1.0


def test_eap_recovers_ability_and_its_error_shrinks_with_more_items():
    rng = np.random.default_rng(3)
    items = ItemParameters.of(rng.uniform(1.0, 2.0, 200), rng.normal(0, 1.2, 200))
    errors, ses = [], []
    for theta in (-1.5, 0.0, 1.2):
        answers = simulate_answers(np.array([theta]), items, rng)[0]
        short = eap(items.subset(list(range(10))), answers[:10])
        long = eap(items, answers)
        errors.append(abs(long.theta - theta))
        ses.append((short.se, long.se))
    assert max(errors) < 0.4
    assert all(long < short for short, long in ses)


def test_prior_pulls_the_estimate_towards_its_centre():
    items = ItemParameters.of([1.0], [0.0])
    low = eap(items, [True], Grid.normal(mean=-1.0))
    high = eap(items, [True], Grid.normal(mean=1.0))
    assert low.theta < high.theta


def test_levels_come_from_cut_scores():
    cuts = [-1.5, -0.5, 0.5, 1.5]
    assert [level_for(t, cuts) for t in (-3, -1.5, -1, 0, 0.5, 2)] == [0, 1, 1, 2, 3, 4]


def test_mismatched_parameters_are_refused():
    with pytest.raises(ValueError):
        ItemParameters.of([1.0, 1.0], [0.0])
