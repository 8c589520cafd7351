"""The attacker of the privacy tests: every filter combination a reader can ask for, and
whether a group's sum follows linearly from the visible sums (dense least squares)."""

from itertools import product

import numpy as np


def views(cube, n_units, dims):
    """Every filter combination a reader can ask for, and whether its figures are shown."""
    for combo in product([None, *range(n_units)], *([None, *range(d)] for d in dims)):
        yield combo, cube.visible(*combo)


def members_of(parent, unit, others, combo):
    selected = np.ones(unit.size, dtype=bool)
    if combo[0] is not None:
        inside = {combo[0]}
        for _ in range(parent.size):
            inside |= {i for i, p in enumerate(parent.tolist()) if p in inside}
        selected &= np.isin(unit, sorted(inside))
    for codes, value in zip(others, combo[1:], strict=True):
        if value is not None:
            selected &= codes == value
    return selected


def recoverable(visible_rows, target):
    """Whether the sum over `target` people follows linearly from the visible sums."""
    if not visible_rows:
        return False
    matrix = np.array(visible_rows, dtype=float)
    solution, *_ = np.linalg.lstsq(matrix.T, target.astype(float), rcond=None)
    return bool(np.allclose(matrix.T @ solution, target, atol=1e-6))
