"""A quiet HiGHS: its banner kept off the standard output."""

from __future__ import annotations

import os
from functools import cache

import highspy
import numpy as np
from scipy import sparse


@cache
def quiet() -> None:
    """HiGHS prints its banner on the standard output when the first solver of a process is
    made: made here once with that output set aside."""
    out = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(out, 1)
        os.close(out)


def solver(matrix: sparse.csr_array, cost: np.ndarray, lower: np.ndarray, upper: np.ndarray,
           low: np.ndarray, high: np.ndarray,
           integrality: np.ndarray | None = None) -> highspy.Highs:  # fmt: skip
    """A quiet HiGHS holding the program: `low ≤ matrix·x ≤ high` (±inf: open on that side),
    `lower ≤ x ≤ upper`, minimising `cost·x`, x integral where `integrality` is 1."""
    quiet()
    found = highspy.Highs()
    found.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = cost.astype(np.float64)
    lp.col_lower_, lp.col_upper_ = lower.astype(np.float64), upper.astype(np.float64)
    low, high = np.asarray(low, np.float64), np.asarray(high, np.float64)
    lp.row_lower_ = np.where(np.isfinite(low), low, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(high), high, highspy.kHighsInf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(np.float64)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = matrix.shape[1], matrix.shape[0]
    if integrality is not None and integrality.any():
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[int(i)] for i in integrality]
    found.passModel(lp)
    return found
