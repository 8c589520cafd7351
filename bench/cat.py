"""Benchmark of the adaptive quiz: item choices compared under one estimator, and levels per
competence on correlated competences.

**Overall ability** (a simulated 300-item 2PL bank over 13 competences, people drawn from
N(0, 1), several seeds). Every method's answers are scored by the same estimator, EAP with the
N(0, 1) prior (maximum likelihood also reported), after 10, 15 and 20 items:

- `tremplin`: Tremplin's item choices with the product's constraints (content balancing over the
  13 competences, no item in more than 40 % of the tests);
- `tremplin_unconstrained`: Tremplin's choices without them (maximum information at the EAP
  estimate), the like-for-like peer of catsim's maximum information;
- `catsim`: catsim's item choices (maximum information at its own interim estimates);
- `fixed_form`: one form for everyone, the items most informative for the population (expected
  information under N(0, 1)), in that order (also at 40 items);
- `random_form`: new random items for each person (the baseline the old benchmark used).

RMSE and bias per length with 95 % confidence intervals over the seeds (t distribution), and
by ability band at 20 items.

**Levels per competence** (the figure users feel). Competences correlated at ρ drawn in
[0.6, 0.8] per person; each person's job targets 6 of the 13. Tremplin's quiz at its default
length L (the product design: testlets, a level recorded only when its standard error is at
most the threshold) against a fixed form of 2L items (the most informative for the
population, balanced over the same 6 competences), both scored by the same correlated model:
the share of (person, competence) pairs placed at their true level, when only precise levels
are recorded (as the product does) and when every level is reported; also the "spread" design
(questions spread evenly over the 6), and an **oracle** of L items chosen knowing each true
ability (the most informative there, an equal share per competence): a bound on what choosing
items well can bring at length L with this bank, beside the target (the quiz at L as good as a
fixed form at 2L).
Then the median time to estimate and choose the next item on a 1,000-item bank, as in a running
quiz (the planes of the items already answered kept from the earlier questions) and cold (none
kept: the first question after a restart). Last line: one JSON object.

    .venv/bin/python bench/cat.py [--seeds 5] [--people 1000] [--level-people 300]
    (catsim comes with `pip install -e ".[bench]"`)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tremplin.compute.cat import (
    _ITEM_PLANES,
    Answers,
    Bank,
    CatSettings,
    estimate,
    next_item,
    profile,
    run_simulated_test,
)
from tremplin.compute.irt import ItemParameters, eap, information, level_for, probability

BANK = 300
DOMAINS = 13
LENGTHS = (10, 15, 20)
CUTS = (-1.5, -0.5, 0.5, 1.5)
BANDS = {"below_-1.5": (-9, -1.5), "-1.5_to_1.5": (-1.5, 1.5), "above_1.5": (1.5, 9)}
FOCUS = 6
QUIZ_LENGTH = 30  # the product default (QuizSettings.max_items)
COMPETENCE_SE = 0.45  # the product default (QuizSettings.competence_se)
GRID = np.linspace(-4, 4, 161)


def make_bank(size: int, rng: np.random.Generator) -> ItemParameters:
    return ItemParameters.of(rng.lognormal(0.2, 0.25, size), rng.normal(0.0, 1.2, size))


def population_information(items: ItemParameters) -> np.ndarray:
    weight = np.exp(-0.5 * GRID**2)
    return np.asarray((weight / weight.sum()) @ information(GRID, items))


def ml(items: ItemParameters, correct: np.ndarray) -> float:
    """Maximum likelihood on a fine grid over [−4, 4] (finite when all answers agree)."""
    p = probability(GRID, items)
    return float(GRID[np.argmax(np.where(correct, np.log(p), np.log1p(-p)).sum(axis=1))])


# Each method returns, per person, the items asked and the answers, in order.
Tests = list[tuple[np.ndarray, np.ndarray]]


def answer(items: ItemParameters, asked: Sequence[int], theta: float, rng) -> np.ndarray:
    return np.asarray(rng.random(len(asked)) < probability(theta, items.subset(list(asked))))


def tremplin(items, theta, rng, constrained: bool) -> Tests:
    domain = np.arange(len(items)) % DOMAINS
    settings = CatSettings(max_items=max(LENGTHS), pilot_items=0, content_balance=constrained,
                           max_exposure=0.4 if constrained else 1.0)  # fmt: skip
    shown, tests = np.zeros(len(items)), []
    for n, person in enumerate(theta):
        bank = Bank.of(items, domain, exposure=shown / max(n, 1))
        answers, _ = run_simulated_test(bank, settings, float(person), rng, fixed_length=True)
        shown[answers.asked] += 1
        tests.append((np.array(answers.asked), np.array(answers.correct)))
    return tests


def catsim(items, theta, seed: int) -> Tests:
    from catsim.estimation import NumericalSearchEstimator
    from catsim.initialization import FixedPointInitializer
    from catsim.selection import MaxInfoSelector
    from catsim.simulation import Simulator
    from catsim.stopping import TestLengthStopper

    params = np.column_stack([items.a, items.b, items.c, np.ones(len(items))])
    simulator = Simulator(params, theta, seed=seed)
    simulator.simulate(FixedPointInitializer(0.0), MaxInfoSelector(), NumericalSearchEstimator(),
                       TestLengthStopper(max_items=max(LENGTHS)))  # fmt: skip
    pairs = zip(simulator.administered_items, simulator.response_vectors, strict=True)
    return [(np.array(a), np.array(r, dtype=bool)) for a, r in pairs]


def fixed_form(items, theta, rng, length: int) -> Tests:
    form = np.argsort(-population_information(items), kind="stable")[:length]
    return [(form, answer(items, form, float(t), rng)) for t in theta]


def random_form(items, theta, rng, length: int) -> Tests:
    tests = []
    for t in theta:
        form = rng.choice(len(items), size=length, replace=False)
        tests.append((form, answer(items, form, float(t), rng)))
    return tests


def scored(items, tests: Tests, length: int, estimator: str) -> np.ndarray:
    out = []
    for asked, correct in tests:
        part = items.subset(list(asked[:length]))
        out.append(eap(part, correct[:length]).theta if estimator == "eap"
                   else ml(part, correct[:length]))  # fmt: skip
    return np.array(out)


def overall(seed: int, people: int) -> dict[str, dict[str, dict[str, float]]]:
    """RMSE and bias per method, length and estimator, and by band at 20 items, one seed."""
    rng = np.random.default_rng(seed)
    items = make_bank(BANK, rng)
    theta = rng.normal(0.0, 1.0, people)
    runs: dict[str, Callable[[], Tests]] = {
        "tremplin": lambda: tremplin(items, theta, np.random.default_rng(seed + 1), True),
        "tremplin_unconstrained":
            lambda: tremplin(items, theta, np.random.default_rng(seed + 2), False),
        "catsim": lambda: catsim(items, theta, seed + 3),
        "fixed_form": lambda: fixed_form(items, theta, np.random.default_rng(seed + 4), 40),
        "random_form": lambda: random_form(items, theta, np.random.default_rng(seed + 5), 40),
    }  # fmt: skip
    found: dict[str, dict[str, dict[str, float]]] = {}
    for name, run in runs.items():
        started = time.perf_counter()
        tests = run()
        lengths = (*LENGTHS, 40) if "form" in name else LENGTHS
        figures: dict[str, dict[str, float]] = {"rmse": {}, "bias": {}, "ml_rmse": {}}
        for n in lengths:
            error = scored(items, tests, n, "eap") - theta
            figures["rmse"][str(n)] = float(np.sqrt(np.mean(error**2)))
            figures["bias"][str(n)] = float(np.mean(error))
            ml_error = scored(items, tests, n, "ml") - theta
            figures["ml_rmse"][str(n)] = float(np.sqrt(np.mean(ml_error**2)))
            if n == 20:
                for band, (low, high) in BANDS.items():
                    inside = (theta >= low) & (theta < high)
                    figures.setdefault("band_rmse", {})[band] = float(
                        np.sqrt(np.mean(error[inside] ** 2))
                    )
                    figures.setdefault("band_bias", {})[band] = float(np.mean(error[inside]))
        found[name] = figures
        print(f"  seed {seed} {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return found


def correlated_people(rng: np.random.Generator, people: int) -> tuple[np.ndarray, np.ndarray]:
    rho = rng.uniform(0.6, 0.8, people)[:, None]
    theta = np.sqrt(rho) * rng.normal(size=(people, 1)) + np.sqrt(1 - rho) * rng.normal(
        size=(people, DOMAINS)
    )
    focus = np.array([rng.choice(DOMAINS, FOCUS, replace=False) for _ in range(people)])
    return theta, focus


def balanced_form(bank: Bank, focus: Sequence[int], length: int, info: np.ndarray) -> list[int]:
    """The fixed form of a job: the population's most informative items of its competences,
    taken in turn."""
    queues = {d: list(np.flatnonzero(bank.domain == d)[np.argsort(-info[bank.domain == d])])
              for d in focus}  # fmt: skip
    form: list[int] = []
    while len(form) < length and any(queues.values()):
        for d in focus:
            if queues[d] and len(form) < length:
                form.append(int(queues[d].pop(0)))
    return form


def placed(bank, settings, answers, focus, theta) -> tuple[list[bool], list[bool]]:
    """Per focus competence: recorded (precise enough) and at its true level."""
    found = profile(bank, settings, answers, focus)
    recorded = [found[d].se <= settings.competence_se for d in focus]
    right = [level_for(found[d].theta, CUTS) == level_for(float(theta[d]), CUTS) for d in focus]
    return recorded, right


def levels(seed: int, people: int, size: int = BANK) -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(seed)
    items = make_bank(size, rng)
    bank = Bank.of(items, np.arange(size) % DOMAINS)
    theta, focus = correlated_people(rng, people)
    settings = CatSettings(max_items=QUIZ_LENGTH, pilot_items=0, competence_se=COMPETENCE_SE,
                           max_exposure=1.0)  # fmt: skip
    info = population_information(items)
    designs = {"tremplin": settings, "spread": replace(settings, testlets=False)}
    out: dict[str, dict[str, float]] = {}
    for name, chosen in designs.items():
        recorded, right, asked = [], [], []
        started = time.perf_counter()
        for person in range(people):
            answers, _ = run_simulated_test(bank, chosen, 0.0, rng, focus=list(focus[person]),
                                            domain_theta=theta[person])  # fmt: skip
            r, ok = placed(bank, chosen, answers, list(focus[person]), theta[person])
            recorded += r
            right += ok
            asked.append(len(answers.asked))
        out[name] = summary(recorded, right, float(np.mean(asked)))
        print(f"  seed {seed} levels {name}: {time.perf_counter() - started:.1f} s",
              file=sys.stderr)  # fmt: skip
    # The oracle: L items chosen knowing each person's true abilities (per focus competence,
    # its items most informative there, in turn): what choosing items well can bring at this
    # length, with an equal share per competence.
    for name in (
        f"oracle_{QUIZ_LENGTH}",
        f"fixed_form_{QUIZ_LENGTH}",
        f"fixed_form_{2 * QUIZ_LENGTH}",
    ):
        length = int(name.rsplit("_", 1)[1])
        recorded, right = [], []
        for person in range(people):
            known = information(theta[person][bank.domain], items).diagonal()
            form = balanced_form(bank, list(focus[person]), length,
                                 known if name.startswith("oracle") else info)  # fmt: skip
            p = probability(theta[person][bank.domain[form]], items.subset(form))
            answers = Answers(form, list(map(bool, rng.random(len(form)) < p.diagonal())))
            r, ok = placed(bank, settings, answers, list(focus[person]), theta[person])
            recorded += r
            right += ok
        out[name] = summary(recorded, right, float(length))
    return out


def summary(recorded: list[bool], right: list[bool], length: float) -> dict[str, float]:
    rec, ok = np.array(recorded), np.array(right)
    return {"placed_right": float(np.mean(rec & ok)), "recorded": float(np.mean(rec)),
            "right_among_recorded": float(np.mean(ok[rec])) if rec.any() else 0.0,
            "right_if_all_reported": float(np.mean(ok)), "mean_length": length}  # fmt: skip


def next_item_ms(rng: np.random.Generator) -> dict[str, float]:
    items = make_bank(1000, rng)
    bank = Bank.of(items, np.arange(1000) % DOMAINS, exposure=rng.uniform(0, 0.4, 1000))
    settings = CatSettings()
    times: dict[str, list[float]] = {"overall": [], "focus": [], "focus_cold": []}
    for _ in range(300):
        asked = rng.choice(1000, size=int(rng.integers(0, QUIZ_LENGTH)), replace=False)
        answers = Answers(list(map(int, asked)), list(map(bool, rng.random(asked.size) < 0.5)))
        for mode, focus in (("overall", None), ("focus_cold", list(range(FOCUS))),
                            ("focus", list(range(FOCUS)))):  # fmt: skip
            if mode == "focus_cold":  # nothing kept from earlier tests: the first question
                _ITEM_PLANES.clear()
            started = time.perf_counter()
            current = estimate(bank, answers)
            next_item(bank, settings, answers, current, rng, focus=focus)
            times[mode].append((time.perf_counter() - started) * 1000)
    return {mode: round(float(np.median(t)), 3) for mode, t in times.items()}


def interval(values: list[float]) -> list[float]:
    """95 % confidence interval of the mean over seeds (t distribution)."""
    mean, k = float(np.mean(values)), len(values)
    if k < 2:
        return [round(mean, 4), round(mean, 4)]
    half = float(stats.t.ppf(0.975, k - 1) * np.std(values, ddof=1) / np.sqrt(k))
    return [round(mean - half, 4), round(mean + half, 4)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--level-people", type=int, default=300)
    parser.add_argument("--level-banks", default="",
                        help="more bank sizes for the levels, such as 600,1000")  # fmt: skip
    args = parser.parse_args()
    seeds = [2026 + 17 * s for s in range(args.seeds)]
    per_seed = [overall(seed, args.people) for seed in seeds]
    level_runs = [levels(seed, args.level_people) for seed in seeds]

    def gather(method: str, figure: str) -> dict[str, list[float]]:
        keys = per_seed[0][method][figure]
        return {k: [run[method][figure][k] for run in per_seed] for k in keys}

    methods = list(per_seed[0])
    result: dict[str, object] = {"seeds": len(seeds), "people_per_seed": args.people,
                                 "level_people_per_seed": args.level_people,
                                 "length": QUIZ_LENGTH}  # fmt: skip
    for figure in ("rmse", "bias", "ml_rmse", "band_rmse", "band_bias"):
        result[figure] = {m: {k: round(float(np.mean(v)), 4)
                              for k, v in gather(m, figure).items()} for m in methods}  # fmt: skip
    result["rmse_ci95"] = {m: {k: interval(v) for k, v in gather(m, "rmse").items()}
                           for m in methods}  # fmt: skip
    designs = list(level_runs[0])
    result["levels"] = {d: {k: round(float(np.mean([r[d][k] for r in level_runs])), 4)
                            for k in level_runs[0][d]} for d in designs}  # fmt: skip
    result["levels_ci95"] = {d: {k: interval([r[d][k] for r in level_runs])
                                 for k in ("placed_right", "right_if_all_reported")}
                             for d in designs}  # fmt: skip
    result["level_accuracy"] = {
        "tremplin": result["levels"]["tremplin"]["placed_right"],  # type: ignore[index]
        "fixed_form_2L": result["levels"][f"fixed_form_{2 * QUIZ_LENGTH}"]["placed_right"],  # type: ignore[index]
        "tremplin_all_reported": result["levels"]["tremplin"]["right_if_all_reported"],  # type: ignore[index]
        "oracle_L": result["levels"][f"oracle_{QUIZ_LENGTH}"]["placed_right"],  # type: ignore[index]
        "oracle_L_all_reported":
            result["levels"][f"oracle_{QUIZ_LENGTH}"]["right_if_all_reported"],  # type: ignore[index]
        "fixed_form_2L_all_reported":
            result["levels"][f"fixed_form_{2 * QUIZ_LENGTH}"]["right_if_all_reported"],  # type: ignore[index]
    }  # fmt: skip
    # The same comparison on richer banks (the same item distribution, more items for each
    # competence): where adaptive choices have more to choose from.
    for size in [int(n) for n in args.level_banks.split(",") if n]:
        runs = [levels(seed, args.level_people, size) for seed in seeds]
        result.setdefault("level_accuracy_by_bank", {})[str(size)] = {  # type: ignore[union-attr]
            design: {k: {"mean": round(float(np.mean([r[design][k] for r in runs])), 4),
                         "ci95": interval([r[design][k] for r in runs])}
                     for k in ("placed_right", "right_if_all_reported")}
            for design in ("tremplin", f"oracle_{QUIZ_LENGTH}", f"fixed_form_{2 * QUIZ_LENGTH}")
        }  # fmt: skip
    timed = next_item_ms(np.random.default_rng(1))
    result["next_item_ms_median"] = timed["focus"]
    result["next_item_ms_median_cold"] = timed["focus_cold"]
    result["next_item_ms_median_overall_mode"] = next_item_ms(np.random.default_rng(2))["overall"]
    for name in methods:
        print(f"{name:24s} rmse {result['rmse'][name]}", file=sys.stderr)  # type: ignore[index]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
