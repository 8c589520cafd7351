"""A quiet HiGHS: its banner kept off the standard output."""

from __future__ import annotations

import os
from functools import cache

import highspy


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
