"""Benchmark: recovery of 2PL item parameters by Tremplin's EM calibration.

2,000 simulated people answer 40 items; once with every answer, once with half the answers
removed at random. Prints the correlation of recovered with true discriminations (a) and
difficulties (b), and the time. Last line: one JSON object.

Run: .venv/bin/python bench/calibrate.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tremplin.compute.calibration import Responses, calibrate
from tremplin.compute.irt import ItemParameters, simulate_answers

PEOPLE = 2000
ITEMS = 40


def measure(matrix: np.ndarray, truth: ItemParameters) -> dict[str, float]:
    data = Responses.from_matrix(matrix)
    started = time.perf_counter()
    result = calibrate(data, model="2pl")
    seconds = time.perf_counter() - started
    return {
        "corr_a": round(float(np.corrcoef(result.items.a, truth.a)[0, 1]), 4),
        "corr_b": round(float(np.corrcoef(result.items.b, truth.b)[0, 1]), 4),
        "seconds": round(seconds, 3),
        "iterations": result.iterations,
    }


def main() -> None:
    rng = np.random.default_rng(2026)
    truth = ItemParameters.of(rng.lognormal(0.0, 0.3, ITEMS), rng.normal(0.0, 1.0, ITEMS))
    theta = rng.normal(0.0, 1.0, PEOPLE)
    complete = simulate_answers(theta, truth, rng).astype(np.float64)
    missing = complete.copy()
    missing[rng.random(missing.shape) < 0.5] = np.nan
    figures = {"complete": measure(complete, truth), "missing50": measure(missing, truth)}
    for name, values in figures.items():
        print(f"{name:10s} " + "  ".join(f"{k}={v}" for k, v in values.items()))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
