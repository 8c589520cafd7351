"""Benchmark: precision of Tremplin's adaptive test against a random fixed form and catsim.

A simulated 300-item 2PL bank (13 competences, as in the shipped bank) and 2,000 simulated
people with abilities drawn from N(0, 1). In one run:

- Tremplin's adaptive test with its product settings (EAP, maximum information, content
  balancing over the 13 competences, no item in more than 40% of the tests);
- a fixed form of items drawn at random for each person, scored by EAP;
- catsim (the peer) with maximum-information selection and its default estimator;

RMSE and bias of the ability estimate after 10, 15 and 20 items (and 40 for the fixed form),
then the median time Tremplin takes to estimate and choose the next item on a 1,000-item bank.
Last line: one JSON object.

Run: .venv/bin/python bench/cat.py   (catsim comes with `pip install -e ".[bench]"`)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tremplin.compute.cat import (
    Answers,
    Bank,
    CatSettings,
    estimate,
    next_item,
    run_simulated_test,
)
from tremplin.compute.irt import ItemParameters, eap, simulate_answers

PEOPLE = 2000
BANK = 300
DOMAINS = 13
LENGTHS = (10, 15, 20)


def make_bank(size: int, rng: np.random.Generator) -> ItemParameters:
    return ItemParameters.of(rng.lognormal(0.2, 0.25, size), rng.normal(0.0, 1.2, size))


def summarise(estimates: dict[int, list[float]], theta: np.ndarray) -> tuple[dict, dict]:
    rmse, bias = {}, {}
    for length, values in estimates.items():
        error = np.asarray(values) - theta
        rmse[str(length)] = round(float(np.sqrt(np.mean(error**2))), 4)
        bias[str(length)] = round(float(np.mean(error)), 4)
    return rmse, bias


def tremplin_adaptive(items: ItemParameters, theta: np.ndarray, rng: np.random.Generator) -> dict:
    domain = np.arange(len(items)) % DOMAINS
    settings = CatSettings(max_items=max(LENGTHS), pilot_items=0)
    shown = np.zeros(len(items))
    estimates: dict[int, list[float]] = {n: [] for n in LENGTHS}
    for tests, person_theta in enumerate(theta):
        bank = Bank.of(items, domain, exposure=shown / max(tests, 1))
        answers, history = run_simulated_test(bank, settings, person_theta, rng, fixed_length=True)
        shown[answers.asked] += 1
        for n in LENGTHS:
            estimates[n].append(history[n - 1].theta)
    return estimates


def fixed_random(items: ItemParameters, theta: np.ndarray, rng: np.random.Generator) -> dict:
    lengths = (*LENGTHS, 40)
    estimates: dict[int, list[float]] = {n: [] for n in lengths}
    for person_theta in theta:
        form = rng.choice(len(items), size=max(lengths), replace=False)
        chosen = items.subset(form)
        correct = simulate_answers(np.array([person_theta]), chosen, rng)[0]
        for n in lengths:
            estimates[n].append(eap(chosen.subset(list(range(n))), correct[:n]).theta)
    return estimates


def catsim_adaptive(items: ItemParameters, theta: np.ndarray) -> dict:
    from catsim.estimation import NumericalSearchEstimator
    from catsim.initialization import FixedPointInitializer
    from catsim.selection import MaxInfoSelector
    from catsim.simulation import Simulator
    from catsim.stopping import TestLengthStopper

    params = np.column_stack([items.a, items.b, items.c, np.ones(len(items))])
    simulator = Simulator(params, theta, seed=7)
    simulator.simulate(
        FixedPointInitializer(0.0),
        MaxInfoSelector(),
        NumericalSearchEstimator(),
        TestLengthStopper(max_items=max(LENGTHS)),
    )
    return {n: [row[n] for row in simulator.estimations] for n in LENGTHS}


def next_item_ms(rng: np.random.Generator) -> float:
    items = make_bank(1000, rng)
    bank = Bank.of(items, np.arange(1000) % DOMAINS, exposure=rng.uniform(0, 0.4, 1000))
    settings = CatSettings()
    times: list[float] = []
    for _ in range(300):
        asked = rng.choice(1000, size=int(rng.integers(0, 20)), replace=False)
        answers = Answers(list(map(int, asked)), list(map(bool, rng.random(asked.size) < 0.5)))
        started = time.perf_counter()
        current = estimate(bank, answers)
        next_item(bank, settings, answers, current, rng)
        times.append((time.perf_counter() - started) * 1000)
    return round(float(np.median(times)), 3)


def main() -> None:
    rng = np.random.default_rng(2026)
    items = make_bank(BANK, rng)
    theta = rng.normal(0.0, 1.0, PEOPLE)
    results: dict[str, dict] = {}
    for name, run in (
        ("tremplin", lambda: tremplin_adaptive(items, theta, np.random.default_rng(1))),
        ("fixed_random", lambda: fixed_random(items, theta, np.random.default_rng(2))),
        ("catsim", lambda: catsim_adaptive(items, theta)),
    ):
        started = time.perf_counter()
        results[name] = run()
        print(f"{name}: simulated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    rmse, bias = {}, {}
    for name, estimates in results.items():
        rmse[name], bias[name] = summarise(estimates, theta)
    figures = {"rmse": rmse, "bias": bias, "next_item_ms_median": next_item_ms(rng)}
    for name in results:
        print(f"{name:13s} rmse {rmse[name]}  bias {bias[name]}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
