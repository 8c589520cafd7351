"""`temporal.settle`, which says which counts an integer program pins, checked against every
integer point of small programs: the counts it calls determined are exactly those that take
one value over all the program's solutions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import LinearConstraint

from tremplin.compute import temporal

SYSTEMS = 40


def _system(seed: int) -> tuple[LinearConstraint, np.ndarray, np.ndarray]:
    """5 counts of 0 to 3, and 4 ranges over random sums of them, each around the sum's true
    value (some exact): the truth and the program."""
    rng = np.random.default_rng(seed)
    upper = rng.integers(1, 4, 5).astype(np.float64)
    truth = np.array([rng.integers(0, u + 1) for u in upper], dtype=np.float64)
    members = rng.random((4, 5)) < 0.5
    sums = members @ truth
    low = sums - rng.integers(0, 2, 4) * rng.integers(0, 2, 4)
    high = sums + rng.integers(0, 2, 4) * rng.integers(0, 2, 4)
    rows = LinearConstraint(sparse.csr_matrix(members.astype(np.float64)), low, high)
    return rows, upper, truth


def _brute(rows: LinearConstraint, upper: np.ndarray, truth: np.ndarray) -> list[bool]:
    """Whether each count takes one value over every integer solution."""
    values: list[set[float]] = [set() for _ in truth]
    for point in itertools.product(*(range(int(u) + 1) for u in upper)):
        x = np.array(point, dtype=np.float64)
        found = rows.A @ x
        if np.all(found >= rows.lb) and np.all(found <= rows.ub):
            for i, v in enumerate(point):
                values[i].add(v)
    return [len(v) == 1 for v in values]


def _settled(rows: LinearConstraint, upper: np.ndarray, truth: np.ndarray,
             fallback: temporal.Fallback) -> list[bool]:  # fmt: skip
    cols = np.arange(truth.size)

    def freed(x: np.ndarray, open_: set[int]) -> set[int]:
        return {i for i in open_ if round(x[i]) != truth[i]}

    return temporal.settle(rows, upper, cols, truth, upper.copy(), freed, fallback=fallback)[0]


@pytest.mark.parametrize("fallback", ["whole", "none"])
@pytest.mark.parametrize("few", [0, temporal.FEW])
def test_the_counts_called_determined_are_those_every_solution_agrees_on(fallback, few,
                                                                         monkeypatch):  # fmt: skip
    """With `_must` asked however few counts are open, and as built: each count asked alone
    once at most `temporal.FEW` are open."""
    monkeypatch.setattr(temporal, "FEW", few)
    pinned = 0
    for seed in range(SYSTEMS):
        rows, upper, truth = _system(seed)
        expected = _brute(rows, upper, truth)
        assert _settled(rows, upper, truth, fallback) == expected, seed
        pinned += sum(expected)
    assert 0 < pinned < 5 * SYSTEMS  # the systems pin some counts, not all


def test_a_proof_that_forbids_moving_against_a_side_is_caught(monkeypatch):
    """Planted: the program that must move one count on its side also forbids the others to
    move against theirs (a score y ≥ 0 of at most the move, as in a plain batch). Its "none
    can move" is then wrong, and counts that can move are called determined."""
    monkeypatch.setattr(temporal, "FEW", 0)  # `_must` asked however few counts are open
    plain = temporal._batch_program

    def planted(c, u, cols, t, side, caps):
        program = plain(c, u, cols, t, side, None)
        return program if caps is None else _must_row(program)

    monkeypatch.setattr(temporal, "_batch_program", planted)
    wrong = 0
    for seed in range(SYSTEMS):
        rows, upper, truth = _system(seed)
        wrong += _settled(rows, upper, truth, "none") != _brute(rows, upper, truth)
    assert wrong


def _must_row(program: tuple[np.ndarray, LinearConstraint, np.ndarray, np.ndarray],
              ) -> tuple[np.ndarray, LinearConstraint, np.ndarray, np.ndarray]:  # fmt: skip
    """`program` with Σ y ≥ 1 added (the planted proof)."""
    cost, rows, integrality, most = program
    m = int((integrality == 0).sum())
    n = most.size - m
    row = sparse.csr_matrix((np.ones(m), (np.zeros(m, np.int64), n + np.arange(m))),
                            shape=(1, n + m))  # fmt: skip
    grown = LinearConstraint(sparse.vstack([rows.A, row]).tocsr(),
                             np.concatenate([rows.lb, [1.0]]),
                             np.concatenate([rows.ub, [np.inf]]))  # fmt: skip
    return cost, grown, integrality, most


def test_only_counts_proven_determined_are_called_proven(monkeypatch):
    """With room to work, every determined count is proven so. With no program left to run
    (limits of work at 0), those not freed are taken as determined, and not called proven;
    every count called proven takes one value over all solutions."""
    cols = np.arange(5)
    assumed = 0
    for limited in (False, True):
        if limited:
            monkeypatch.setattr(temporal, "MUST_COLUMNS", 0)
        for seed in range(SYSTEMS):
            rows, upper, truth = _system(seed)
            expected = _brute(rows, upper, truth)

            def freed(x: np.ndarray, open_: set[int], truth=truth) -> set[int]:
                return {i for i in open_ if round(x[i]) != truth[i]}

            singles = 0 if limited else temporal.SINGLES
            pinned, proven = temporal.settle(rows, upper, cols, truth, upper.copy(), freed,
                                             singles)  # fmt: skip
            assert all(e for e, sure in zip(expected, proven, strict=True) if sure), seed
            assert all(p for p, e in zip(pinned, expected, strict=True) if e), seed
            if not limited:
                assert proven == pinned == expected, seed
            assumed += sum(p and not sure for p, sure in zip(pinned, proven, strict=True))
    assert assumed > 0
