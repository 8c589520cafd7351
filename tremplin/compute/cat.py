"""Computerised adaptive testing: which question next, when to stop, what the answers say.

**Per-competence measurement.** Competences ("domains") are correlated but distinct, so the
answers are scored with a multidimensional model: each domain's ability is
θ_d = √ρ·g + √(1 − ρ)·u_d, a general AI literacy g shared by all domains and a part u_d of its
own (g and every u_d standard normal), which is the exchangeable correlated prior N(0, Σ) with
correlation ρ between domains. Given g the domains are independent, so the exact posterior of
each θ_d is a sum over a two-dimensional grid (g, u_d) whatever the number of domains
(`profile`): a domain's estimate borrows from the other domains only through g, and its
standard error says how much it does. With ρ = 0.7 a domain that no answer touched keeps a
standard error of at least √0.3 ≈ 0.55 however long the test, so a threshold below that
(`competence_se`, 0.45 by default) records a level only for domains with answers of their own.

**Testlets.** A person who wants levels for some competences (`focus`, in the application those
their job targets, which they may narrow) gets a test that first asks one question in each
(placing the general ability g), then completes one competence at a time: the next question
comes from the focus domain not yet measured whose standard error is closest to the threshold
(ties in focus order), the most informative at that domain's current estimate, until every focus
domain is measured, the bank runs dry or `max_items` is reached. Only precise levels are
recorded, so the design maximises how many there are: spreading the questions evenly (round
robin) places slightly more levels right *if every level were reported*, but leaves nearly all of
them just short of the threshold when the test is shorter than what they need together.
bench/cat.py measures both designs against fixed forms and catsim under the same estimator.

**Overall ability only** (no focus): each step re-estimates ability by unidimensional EAP and
picks the item that is most informative at that estimate, under the constraints a real test
needs:

- content balancing: every domain of the bank gets its share of the questions;
  the next item comes from the domain furthest below its share (Kingsbury and Zara's method);
- exposure control: items already shown in more than `max_exposure` of the tests are left aside
  while others remain, so that colleagues do not all see the same questions; optionally the item
  is drawn at random among the `top_k` most informative (the "randomesque" method), which spreads
  exposure further at some cost in precision (measured in bench/cat.py);
- pilot items, not yet calibrated, are slipped in at positions drawn per test and never scored.

Exposure control and pilot items apply in both modes. Without focus the test stops when the
standard error reaches `se_target` after at least `min_items` scored questions; with focus when
every focus domain is measured or has nothing left to ask; in both after `max_items` scored
questions or when the bank has nothing left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    competence_se: float = 0.45  # a domain is measured once its standard error is this small
    correlation: float = 0.7  # between domains, in the model that scores them
    testlets: bool = True  # with a focus: complete one domain at a time (False: spread evenly)

    def __post_init__(self) -> None:
        if not 1 <= self.min_items <= self.max_items:
            raise ValueError("expected 1 <= min_items <= max_items")
        if self.se_target <= 0 or self.top_k < 1 or self.pilot_items < 0:
            raise ValueError("expected se_target > 0, top_k >= 1 and pilot_items >= 0")
        if self.competence_se <= 0 or not 0 <= self.correlation < 1:
            raise ValueError("expected competence_se > 0 and 0 <= correlation < 1")


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


def is_finished(
    bank: Bank,
    settings: CatSettings,
    answers: Answers,
    current: Estimate,
    focus: Sequence[int] | None = None,
) -> bool:
    asked, _ = answers.scored(bank)
    if asked.size >= settings.max_items:
        return True
    available = ~bank.pilot
    available[asked] = False
    if focus:
        return not _open_domains(bank, settings, answers, focus, available)[0]
    if asked.size >= settings.min_items and current.se <= settings.se_target:
        return True
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


# The last posteriors computed, by their inputs: a test asks for them twice per step.
_LAST_POSTERIORS: dict[tuple[object, ...], dict[int, Floats]] = {}


def _open_domains(
    bank: Bank, settings: CatSettings, answers: Answers, focus: Sequence[int], available: Bools
) -> tuple[list[int], dict[int, Floats]]:
    """The focus domains not yet measured that still have items, and every focus domain's
    posterior weights over the (g, u) plane."""
    items = bank.items
    key = (items.a.tobytes(), items.b.tobytes(), items.c.tobytes(), bank.domain.tobytes(),
           bank.pilot.tobytes(), settings, tuple(answers.asked), tuple(answers.correct),
           tuple(focus))  # fmt: skip
    weights = _LAST_POSTERIORS.get(key)
    if weights is None:
        weights = _posteriors(bank, settings, answers, focus, only=True)
        _LAST_POSTERIORS.clear()
        _LAST_POSTERIORS[key] = weights
    plane = _plane(settings.correlation)
    open_ = [
        d
        for d in focus
        if _estimate(plane, weights[d]).se > settings.competence_se
        and (available & (bank.domain == d)).any()
    ]
    return open_, weights


def next_item(
    bank: Bank,
    settings: CatSettings,
    answers: Answers,
    current: Estimate,
    rng: np.random.Generator,
    pilots_at: frozenset[int] = frozenset(),
    focus: Sequence[int] | None = None,
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
    if focus:
        return _focus_item(bank, settings, answers, focus, candidates, rng)
    fresh = candidates & (bank.exposure < settings.max_exposure)
    if fresh.any():
        candidates = fresh
    info = information(current.theta, bank.items)
    if settings.content_balance and not focus:
        asked, _ = answers.scored(bank)
        candidates = _pick_domain(bank, candidates, asked, info)
    index = np.flatnonzero(candidates)
    k = min(settings.top_k, index.size)
    top = index[np.argpartition(-info[index], k - 1)[:k]] if k < index.size else index
    return int(top[0] if k == 1 else rng.choice(top))


def _focus_item(
    bank: Bank,
    settings: CatSettings,
    answers: Answers,
    focus: Sequence[int],
    candidates: Bools,
    rng: np.random.Generator,
) -> int | None:
    """The most informative item, at that domain's estimate, of the focus domain to ask about:
    first one question in each (which places the general ability), then the domain not yet
    measured whose standard error is closest to the threshold (ties in focus order)."""
    open_, weights = _open_domains(bank, settings, answers, focus, candidates)
    if not open_:
        return None
    plane = _plane(settings.correlation)
    asked, _ = answers.scored(bank)
    touched = set(bank.domain[asked].tolist())
    fresh_domains = [d for d in open_ if d not in touched]
    if fresh_domains:
        domain = fresh_domains[0]
    elif settings.testlets:
        domain = min(open_, key=lambda d: (_estimate(plane, weights[d]).se, open_.index(d)))
    else:  # spread evenly: the open domain asked least
        counts = np.bincount(bank.domain[asked], minlength=int(bank.domain.max()) + 1)
        domain = min(open_, key=lambda d: (counts[d], open_.index(d)))
    candidates = candidates & (bank.domain == domain)
    fresh = candidates & (bank.exposure < settings.max_exposure)
    if fresh.any():
        candidates = fresh
    index = np.flatnonzero(candidates)
    info = information(_estimate(plane, weights[domain]).theta, bank.items.subset(index))
    k = min(settings.top_k, index.size)
    top = index[np.argsort(-info, kind="stable")[:k]]
    return int(top[0] if k == 1 else rng.choice(top))


@dataclass(frozen=True)
class _Plane:
    """The (g, u) grid of the correlated model and each node's domain ability."""

    theta: Floats  # (nodes, nodes): √ρ g + √(1 − ρ) u
    log_g: Floats  # (nodes,) log weight of g
    log_u: Floats  # (nodes,) log weight of u

    @classmethod
    def of(cls, correlation: float, points: int = 33, span: float = 4.5) -> _Plane:
        nodes = np.linspace(-span, span, points)
        log_w = -0.5 * nodes**2
        log_w -= np.log(np.exp(log_w).sum())
        theta = np.sqrt(correlation) * nodes[:, None] + np.sqrt(1 - correlation) * nodes[None, :]
        return cls(theta, log_w, log_w)


def _logsumexp(x: Floats, axis: int | None = None) -> Floats:
    top = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.exp(x - top).sum(axis=axis, keepdims=True)) + top
    return np.asarray(np.squeeze(out, axis=axis) if axis is not None else out.ravel()[0])


def _plane(correlation: float) -> _Plane:
    return _PLANES.get(correlation) or _PLANES.setdefault(correlation, _Plane.of(correlation))


_PLANES: dict[float, _Plane] = {}


def _posteriors(
    bank: Bank,
    settings: CatSettings,
    answers: Answers,
    domains: Iterable[int],
    only: bool = False,
) -> dict[int, Floats]:
    """Normalised posterior weights over the (g, u) plane of each of `domains` and (unless
    `only`) of every domain an answer touched, under the correlated model of the module
    docstring."""
    plane = _plane(settings.correlation)
    asked, correct = answers.scored(bank)
    touched = bank.domain[asked]
    log_p = _log_likelihoods(plane, bank.items.subset(asked), correct)  # (g, u, items)
    # Every touched domain at once: (g, u, domains) log-likelihood of its own answers, and
    # its marginal over u.
    domains_touched = np.unique(touched)
    own = log_p @ (touched[:, None] == domains_touched[None, :]).astype(np.float64)
    marginal = _logsumexp(own + plane.log_u[None, :, None], axis=1)  # (g, domains)
    log_g = plane.log_g + marginal.sum(axis=1)
    column = {int(d): j for j, d in enumerate(domains_touched.tolist())}
    result: dict[int, Floats] = {}
    wanted = {*map(int, domains)} if only else {*map(int, domains), *column}
    untouched: Floats | None = None
    for domain in sorted(wanted):
        if domain in column:
            j = column[domain]
            joint = (log_g - marginal[:, j])[:, None] + plane.log_u[None, :] + own[:, :, j]
        elif untouched is not None:
            result[domain] = untouched  # every untouched domain has the same posterior
            continue
        else:
            joint = log_g[:, None] + plane.log_u[None, :]
        weights = np.exp(joint - joint.max())
        result[domain] = weights / weights.sum()
        if domain not in column:
            untouched = result[domain]
    return result


_ITEM_PLANES: dict[bytes, Floats] = {}  # an item's log P(correct), log P(wrong) on a plane
_ITEM_PLANES_KEPT = 2048  # items (about 36 MB at most); the oldest go first


def _log_likelihoods(plane: _Plane, items: ItemParameters, correct: Bools) -> Floats:
    """(g, u, items) the log-likelihood of each answer at every node of the plane. Banks are
    shared by every test, so each item's two planes are computed once and kept: the next
    question then costs sums, not exponentials."""
    keys = [
        np.array([a, b, c, plane.theta[0, 0], plane.theta[-1, 0]]).tobytes()
        for a, b, c in zip(items.a.tolist(), items.b.tolist(), items.c.tolist(), strict=True)
    ]
    missing = [i for i, key in enumerate(keys) if key not in _ITEM_PLANES]
    if missing:
        p = probability(plane.theta, items.subset(missing))
        both = np.stack([np.log(p), np.log1p(-p)])  # (2, g, u, missing)
        for j, i in enumerate(missing):
            _ITEM_PLANES[keys[i]] = both[..., j].copy()
        while len(_ITEM_PLANES) > _ITEM_PLANES_KEPT:
            del _ITEM_PLANES[next(iter(_ITEM_PLANES))]
    if not keys:
        return np.zeros((*plane.theta.shape, 0))
    planes = np.stack([_ITEM_PLANES[key] for key in keys], axis=-1)  # (2, g, u, items)
    return np.where(correct, planes[0], planes[1])


def _estimate(plane: _Plane, weights: Floats) -> Estimate:
    mean = float((weights * plane.theta).sum())
    variance = float((weights * (plane.theta - mean) ** 2).sum())
    return Estimate(mean, float(np.sqrt(max(variance, 0.0))))


def profile(
    bank: Bank, settings: CatSettings, answers: Answers, domains: Iterable[int]
) -> dict[int, Estimate]:
    """The posterior ability and standard error of each of `domains` (and of every domain an
    answer touched) under the correlated model of the module docstring."""
    plane = _plane(settings.correlation)
    found = _posteriors(bank, settings, answers, domains)
    return {domain: _estimate(plane, weights) for domain, weights in found.items()}


def run_simulated_test(
    bank: Bank,
    settings: CatSettings,
    theta: float,
    rng: np.random.Generator,
    grid: Grid = STANDARD_GRID,
    fixed_length: bool = False,
    focus: Sequence[int] | None = None,
    domain_theta: Floats | None = None,
) -> tuple[Answers, list[Estimate]]:
    """One test taken by a simulated person: the answers and the estimate after each scored one.

    With `fixed_length` the precision rule is ignored and the test runs to `max_items`. With
    `domain_theta` (one ability per domain) the person answers each item at its domain's
    ability rather than at `theta`.
    """
    answers = Answers()
    current = estimate(bank, answers, grid)
    pilots_at = pilot_positions(settings, int(rng.integers(2**31)))
    history: list[Estimate] = []
    while True:
        scored = len(history)
        if scored >= settings.max_items or (
            not fixed_length and is_finished(bank, settings, answers, current, focus)
        ):
            break
        item = next_item(bank, settings, answers, current, rng, pilots_at, focus)
        if item is None:
            break
        ability = theta if domain_theta is None else float(domain_theta[bank.domain[item]])
        p = float(probability(ability, bank.items.subset([item]))[0])
        answers.asked.append(item)
        answers.correct.append(bool(rng.random() < p))
        if not bank.pilot[item]:
            current = estimate(bank, answers, grid)
            history.append(current)
    return answers, history
