"""Computerised adaptive testing: which question next, when to stop, what the answers say.

Each step re-estimates ability by EAP from the scored answers, then picks the item that is most
informative at that estimate, under three constraints a real test needs:

- content balancing: every competence ("domain") of the bank gets its share of the questions;
  the next item comes from the domain furthest below its share (Kingsbury and Zara's method);
- exposure control: items already shown in more than `max_exposure` of the tests are left aside
  while others remain, so that colleagues do not all see the same questions; optionally the item
  is drawn at random among the `top_k` most informative (the "randomesque" method), which spreads
  exposure further at some cost in precision (measured in bench/cat.py);
- pilot items, not yet calibrated, are slipped in at positions drawn per test and never scored.

The test stops when the standard error reaches `se_target` after at least `min_items` scored
questions, or after `max_items` scored questions, or when the bank has nothing left to ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from tremplin.compute.irt import (
    STANDARD_GRID,
    Estimate,
    Floats,
    Grid,
    ItemParameters,
    eap,
    information,
    probability,
)

Ints = NDArray[np.intp]
Bools = NDArray[np.bool_]


@dataclass(frozen=True)
class Bank:
    """The items a test may use. `domain` is the index of each item's main competence."""

    items: ItemParameters
    domain: Ints
    pilot: Bools
    exposure: Floats  # share of past tests that showed the item (zeros when unknown)

    @classmethod
    def of(
        cls,
        items: ItemParameters,
        domain: object | None = None,
        pilot: object | None = None,
        exposure: object | None = None,
    ) -> Bank:
        n = len(items)
        return cls(
            items,
            np.zeros(n, dtype=np.intp) if domain is None else np.asarray(domain, dtype=np.intp),
            np.zeros(n, dtype=bool) if pilot is None else np.asarray(pilot, dtype=bool),
            np.zeros(n) if exposure is None else np.asarray(exposure, dtype=np.float64),
        )

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class CatSettings:
    max_items: int = 20  # scored questions at most
    min_items: int = 8  # scored questions at least before the precision rule may stop the test
    se_target: float = 0.40
    top_k: int = 1
    max_exposure: float = 0.4
    pilot_items: int = 2
    content_balance: bool = True
    domain_sd: float = 0.6  # spread of a competence's ability around the overall ability

    def __post_init__(self) -> None:
        if not 1 <= self.min_items <= self.max_items:
            raise ValueError("expected 1 <= min_items <= max_items")
        if self.se_target <= 0 or self.top_k < 1 or self.pilot_items < 0:
            raise ValueError("expected se_target > 0, top_k >= 1 and pilot_items >= 0")


@dataclass
class Answers:
    """Questions asked so far, in order, and whether each answer was right."""

    asked: list[int] = field(default_factory=list)
    correct: list[bool] = field(default_factory=list)

    def scored(self, bank: Bank) -> tuple[Ints, Bools]:
        asked = np.asarray(self.asked, dtype=np.intp)
        correct = np.asarray(self.correct, dtype=bool)
        keep = ~bank.pilot[asked] if asked.size else np.zeros(0, dtype=bool)
        return asked[keep], correct[keep]


def estimate(bank: Bank, answers: Answers, grid: Grid = STANDARD_GRID) -> Estimate:
    asked, correct = answers.scored(bank)
    return eap(bank.items.subset(asked), correct, grid)


def is_finished(bank: Bank, settings: CatSettings, answers: Answers, current: Estimate) -> bool:
    asked, _ = answers.scored(bank)
    if asked.size >= settings.max_items:
        return True
    if asked.size >= settings.min_items and current.se <= settings.se_target:
        return True
    available = ~bank.pilot
    available[asked] = False
    return not available.any()


def pilot_positions(settings: CatSettings, seed: int) -> frozenset[int]:
    """0-based positions in the test where a pilot item is shown, drawn once per test.

    Pilots go among the first `min_items` positions (never first), where every test still runs,
    so each test shows the same number of them whatever its length.
    """
    slots = range(1, max(settings.min_items, 2))
    count = min(settings.pilot_items, len(slots))
    rng = np.random.default_rng([seed, 7])
    return frozenset(int(p) for p in rng.choice(list(slots), size=count, replace=False))


def _domain_shares(bank: Bank, operational: Bools) -> dict[int, float]:
    domains = np.unique(bank.domain[operational])
    return {int(d): 1.0 / domains.size for d in domains}


def _pick_domain(bank: Bank, candidates: Bools, asked: Ints, info: Floats) -> Bools:
    """Restrict candidates to the domain furthest below its share of the scored questions."""
    shares = _domain_shares(bank, ~bank.pilot)
    counts = np.bincount(bank.domain[asked], minlength=int(bank.domain.max()) + 1)
    best: tuple[float, float, int] | None = None
    for domain, share in shares.items():
        in_domain = candidates & (bank.domain == domain)
        if not in_domain.any():
            continue
        key = (share * (asked.size + 1) - counts[domain], float(info[in_domain].max()), -domain)
        if best is None or key > best:
            best = key
    if best is None:
        return candidates
    return candidates & (bank.domain == -best[2])


def next_item(
    bank: Bank,
    settings: CatSettings,
    answers: Answers,
    current: Estimate,
    rng: np.random.Generator,
    pilots_at: frozenset[int] = frozenset(),
) -> int | None:
    """Index of the next item to show, or None when nothing is left to ask."""
    shown = np.zeros(len(bank), dtype=bool)
    shown[answers.asked] = True
    position = len(answers.asked)
    if position in pilots_at:
        pilots = np.flatnonzero(bank.pilot & ~shown)
        if pilots.size:
            return int(rng.choice(pilots))
    candidates = ~bank.pilot & ~shown
    if not candidates.any():
        return None
    fresh = candidates & (bank.exposure < settings.max_exposure)
    if fresh.any():
        candidates = fresh
    info = information(current.theta, bank.items)
    if settings.content_balance:
        asked, _ = answers.scored(bank)
        candidates = _pick_domain(bank, candidates, asked, info)
    index = np.flatnonzero(candidates)
    k = min(settings.top_k, index.size)
    top = index[np.argpartition(-info[index], k - 1)[:k]] if k < index.size else index
    return int(top[0] if k == 1 else rng.choice(top))


def domain_estimates(
    bank: Bank,
    settings: CatSettings,
    answers: Answers,
    overall: Estimate,
    grid: Grid = STANDARD_GRID,
) -> dict[int, Estimate]:
    """Ability per competence measured by at least one scored answer.

    A test of ~15 questions asks one or two per competence: far too few to estimate each one on
    its own. So each competence's estimate starts from the overall ability (a prior centred on it,
    of spread `domain_sd`) and moves with that competence's own answers.
    """
    asked, correct = answers.scored(bank)
    prior = grid.recentred(overall.theta, settings.domain_sd)
    result: dict[int, Estimate] = {}
    for domain in np.unique(bank.domain[asked]):
        mine = bank.domain[asked] == domain
        result[int(domain)] = eap(bank.items.subset(asked[mine]), correct[mine], prior)
    return result


def run_simulated_test(
    bank: Bank,
    settings: CatSettings,
    theta: float,
    rng: np.random.Generator,
    grid: Grid = STANDARD_GRID,
    fixed_length: bool = False,
) -> tuple[Answers, list[Estimate]]:
    """One test taken by a simulated person: the answers and the estimate after each scored one.

    With `fixed_length` the precision rule is ignored and the test runs to `max_items`.
    """
    answers = Answers()
    current = estimate(bank, answers, grid)
    pilots_at = pilot_positions(settings, int(rng.integers(2**31)))
    history: list[Estimate] = []
    while True:
        scored = len(history)
        if scored >= settings.max_items or (
            not fixed_length and is_finished(bank, settings, answers, current)
        ):
            break
        item = next_item(bank, settings, answers, current, rng, pilots_at)
        if item is None:
            break
        p = float(probability(theta, bank.items.subset([item]))[0])
        answers.asked.append(item)
        answers.correct.append(bool(rng.random() < p))
        if not bank.pilot[item]:
            current = estimate(bank, answers, grid)
            history.append(current)
    return answers, history
