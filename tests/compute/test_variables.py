"""The per-person variables of the publications: their public bounds tell nothing of a person."""

import numpy as np

from tremplin.compute.variables import PersonData, variables_of


def _data(cost_done, hours_done, planned):
    n = len(cost_done)
    return PersonData(
        levels=np.zeros((1, n, 2), dtype=np.int8),
        target=np.ones((n, 2), dtype=np.int8),
        codes=["A", "B"],
        tiers={"T1": [0, 1]},
        plan_agreed=np.zeros(n, dtype=bool),
        engaged=np.zeros(n, dtype=bool),
        disagree=np.zeros((n, 2), dtype=bool),
        modules_done=np.zeros(n),
        modules_planned=np.asarray(planned, dtype=float),
        cost_done=np.asarray(cost_done, dtype=float),
        hours_done=np.asarray(hours_done, dtype=float),
    )


def test_bounds_from_the_data_are_rounded_up_never_one_persons_value():
    variables, value = variables_of(_data([0.0, 1234.4, 80.0], [0.0, 37.6, 3.0], [0, 12, 3]))
    assert variables["cost-done"].high == 2000 and variables["hours-done"].high == 50
    assert variables["modules-planned"].high == 20
    # Cost and hours are published in whole units per person.
    assert value("cost-done", 0).tolist() == [0.0, 1234.0, 80.0]
    assert value("hours-done", 0).tolist() == [0.0, 38.0, 3.0]
