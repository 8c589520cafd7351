"""Benchmark: recovery of 2PL item parameters by Tremplin's calibration, against girth.

Tremplin's calibration is marginal maximum a posteriori: Bock and Aitkin's EM with weak priors on
the item parameters (`compute/calibration.py`). Three data shapes, each fitted in the same run by
Tremplin and by girth's 2PL marginal maximum likelihood (`twopl_mml`, the peer):

- complete: 2,000 simulated people answer 40 items;
- missing50: the same with half the answers removed at random;
- adaptive: 3,000 sessions of Tremplin's adaptive test (20 items each, exposure capped at 40 %)
  on a 100-item bank, the shape real quiz data have: who answers an item depends on their
  earlier answers, and easy or hard items are seen by few people.

For each: RMSE of a and b against the truth and correlations, on items with at least 100 answers
(all items for the first two shapes), and the time. Last line: one JSON object.

Run: .venv/bin/python bench/calibrate.py   (girth comes with `pip install -e ".[bench]"`)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tremplin.compute.calibration import Responses, calibrate
from tremplin.compute.cat import Bank, CatSettings, run_simulated_test
from tremplin.compute.irt import ItemParameters, simulate_answers

PEOPLE = 2000
ITEMS = 40


ADAPTIVE_BANK = 100
SESSIONS = 3000
MIN_ANSWERS = 100


def figures(found: ItemParameters, truth: ItemParameters, keep: np.ndarray) -> dict[str, float]:
    a, b, ta, tb = found.a[keep], found.b[keep], truth.a[keep], truth.b[keep]
    return {
        "rmse_a": round(float(np.sqrt(np.mean((a - ta) ** 2))), 4),
        "rmse_b": round(float(np.sqrt(np.mean((b - tb) ** 2))), 4),
        "corr_a": round(float(np.corrcoef(a, ta)[0, 1]), 4),
        "corr_b": round(float(np.corrcoef(b, tb)[0, 1]), 4),
    }


def girth_fit(matrix: np.ndarray) -> tuple[ItemParameters, float]:
    """girth's 2PL MML on an (items, people) matrix with missing answers tagged as girth wants."""
    from girth import tag_missing_data, twopl_mml

    data = np.where(np.isnan(matrix), -1, matrix).astype(int)
    started = time.perf_counter()
    found = twopl_mml(tag_missing_data(data, [0, 1]))
    seconds = time.perf_counter() - started
    a = np.asarray(found["Discrimination"], dtype=float)
    b = np.asarray(found["Difficulty"], dtype=float)
    return ItemParameters.of(a, b), seconds


def measure(matrix: np.ndarray, truth: ItemParameters, min_answers: int = 0) -> dict[str, object]:
    """Both fits of a (people, items) matrix, NaN where not answered."""
    answered = (~np.isnan(matrix)).sum(axis=0)
    keep = answered >= min_answers
    data = Responses.from_matrix(matrix)
    started = time.perf_counter()
    result = calibrate(data, model="2pl")
    seconds = time.perf_counter() - started
    out: dict[str, object] = {**figures(result.items, truth, keep), "seconds": round(seconds, 3),
                              "iterations": result.iterations,
                              "items_scored": int(keep.sum())}  # fmt: skip
    # The peer gets every item; if it cannot, the items somebody answered (and the error is
    # reported: it is one of the places where it fails).
    fitted = np.ones(matrix.shape[1], dtype=bool)
    try:
        peer, peer_seconds = girth_fit(matrix.T)
    except Exception as error:
        out["girth_error_on_every_item"] = f"{type(error).__name__}: {error}"
        fitted = answered > 0
        peer, peer_seconds = girth_fit(matrix[:, fitted].T)
        out["girth_items_without_answers_left_out"] = int((~fitted).sum())
    kept = ItemParameters(truth.a[fitted], truth.b[fitted], truth.c[fitted])
    for key, value in figures(peer, kept, keep[fitted]).items():
        out[f"girth_{key}"] = value
    out["girth_seconds"] = round(peer_seconds, 3)
    return out


def adaptive_sessions(rng: np.random.Generator) -> tuple[np.ndarray, ItemParameters]:
    """(sessions, items) answers of adaptive tests on a 100-item bank, NaN where not asked."""
    truth = ItemParameters.of(rng.lognormal(0.0, 0.3, ADAPTIVE_BANK),
                              rng.normal(0.0, 1.2, ADAPTIVE_BANK))  # fmt: skip
    domain = np.arange(ADAPTIVE_BANK) % 10
    settings = CatSettings(max_items=20, min_items=20, pilot_items=0, max_exposure=0.4)
    matrix = np.full((SESSIONS, ADAPTIVE_BANK), np.nan)
    shown = np.zeros(ADAPTIVE_BANK)
    for n, theta in enumerate(rng.normal(0.0, 1.0, SESSIONS)):
        bank = Bank.of(truth, domain, exposure=shown / max(n, 1))
        answers, _ = run_simulated_test(bank, settings, float(theta), rng, fixed_length=True)
        shown[answers.asked] += 1
        matrix[n, answers.asked] = answers.correct
    return matrix, truth


def main() -> None:
    rng = np.random.default_rng(2026)
    truth = ItemParameters.of(rng.lognormal(0.0, 0.3, ITEMS), rng.normal(0.0, 1.0, ITEMS))
    theta = rng.normal(0.0, 1.0, PEOPLE)
    complete = simulate_answers(theta, truth, rng).astype(np.float64)
    missing = complete.copy()
    missing[rng.random(missing.shape) < 0.5] = np.nan
    started = time.perf_counter()
    adaptive, adaptive_truth = adaptive_sessions(rng)
    print(f"adaptive sessions simulated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    results = {
        "complete": measure(complete, truth),
        "missing50": measure(missing, truth),
        "adaptive": measure(adaptive, adaptive_truth, MIN_ANSWERS),
    }
    for name, values in results.items():
        print(f"{name:10s} " + "  ".join(f"{k}={v}" for k, v in values.items()), file=sys.stderr)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
