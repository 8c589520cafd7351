import numpy as np
import pytest

from tremplin.compute.calibration import (
    FLAG_FEW,
    FLAG_MISFIT,
    FLAG_NEGATIVE,
    FLAG_WEAK,
    Responses,
    calibrate,
)
from tremplin.compute.irt import ItemParameters, simulate_answers


def simulated(people=1500, items=20, seed=0, c=None):
    rng = np.random.default_rng(seed)
    truth = ItemParameters.of(rng.uniform(0.7, 2.0, items), rng.normal(0, 1, items), c)
    theta = rng.normal(0, 1, people)
    return truth, simulate_answers(theta, truth, rng).astype(float), rng, theta


def test_2pl_parameters_are_recovered_from_complete_answers():
    truth, matrix, _, _ = simulated()
    result = calibrate(Responses.from_matrix(matrix))
    assert result.converged
    assert np.corrcoef(result.items.a, truth.a)[0, 1] > 0.9
    assert np.corrcoef(result.items.b, truth.b)[0, 1] > 0.98
    assert np.abs(result.items.b - truth.b).mean() < 0.15


def test_sparse_answers_of_adaptive_tests_are_enough():
    truth, matrix, rng, _ = simulated(people=3000, items=30, seed=1)
    matrix[rng.random(matrix.shape) < 0.7] = np.nan  # each person saw about 9 items
    result = calibrate(Responses.from_matrix(matrix))
    assert np.corrcoef(result.items.b, truth.b)[0, 1] > 0.95


def test_3pl_estimates_the_guessing_floor():
    truth, matrix, _, _ = simulated(people=4000, items=15, seed=2, c=np.full(15, 0.25))
    result = calibrate(Responses.from_matrix(matrix), model="3pl")
    assert 0.1 < float(np.median(result.items.c)) < 0.35
    assert np.corrcoef(result.items.b, truth.b)[0, 1] > 0.9


def test_a_reversed_item_and_a_random_item_are_flagged():
    _, matrix, rng, theta = simulated(people=1500, items=12, seed=3)
    reversed_item = ItemParameters.of([-1.2], [0.0])  # answered right by the weaker people
    matrix[:, 0] = simulate_answers(theta, reversed_item, rng)[:, 0]
    matrix[:, 2] = (rng.random(1500) < 0.5).astype(float)  # unrelated to ability
    result = calibrate(Responses.from_matrix(matrix))
    assert FLAG_NEGATIVE in result.reports[0].flags
    assert FLAG_WEAK in result.reports[2].flags
    assert not any(result.reports[i].flags for i in range(3, 12))


def test_items_with_few_answers_are_flagged():
    _, matrix, _, _ = simulated(people=500, items=5, seed=4)
    matrix[10:, 4] = np.nan
    result = calibrate(Responses.from_matrix(matrix))
    assert FLAG_FEW in result.reports[4].flags
    assert result.reports[4].answers == 10


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        calibrate(Responses.of([], [], []), model="2pl")
    with pytest.raises(ValueError):
        calibrate(Responses.of([0], [0], [True]), model="4pl")
    with pytest.raises(ValueError):
        Responses.of([0, 1], [0], [True])


def test_an_item_that_does_not_follow_the_model_is_flagged_as_misfit():
    _, matrix, rng, theta = simulated(people=3000, items=15, seed=5)
    middle = np.abs(theta) < 0.6  # right only for middling people: not a logistic curve
    matrix[:, 0] = (rng.random(3000) < np.where(middle, 0.95, 0.15)).astype(float)
    result = calibrate(Responses.from_matrix(matrix))
    assert FLAG_MISFIT in result.reports[0].flags
    assert not any(FLAG_MISFIT in r.flags for r in result.reports[1:])
