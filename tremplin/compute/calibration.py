"""Item calibration by marginal maximum a posteriori: Bock and Aitkin's EM over a quadrature
grid, with weak priors on the item parameters (so, strictly, MAP rather than maximum likelihood;
with a few hundred answers per item the priors barely move the estimates).

Abilities are never estimated jointly with the items (joint maximum likelihood biases the
discriminations); they are integrated out over a grid with a standard normal prior, which also
fixes the scale. The data are the answers actually given, as (person, item, correct) triplets, so
the sparse pattern of adaptive tests (each person sees a few items of a large bank) costs memory
in proportion to the answers, not to people x items.

E step: the posterior of every person over the grid, from their answers.
M step: for each item, the expected number of people at each node and of right answers there,
then a few Fisher-scoring steps on (a, d, c) where d = -a b, vectorised over all items. Weak
priors keep items with few answers sensible: a ~ N(1, 1), d ~ N(0, 3), and for the 3PL model
c ~ Beta(5, 17) (mean 0.23, about right for four options).

After convergence each item gets a fit check (Yen's Q1: people grouped by ability, observed
against expected proportion right) and flags: negative or weak discrimination, extreme
difficulty, too few answers, misfit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse, stats

from tremplin.compute.irt import EPS, Floats, Grid, ItemParameters

A_PRIOR = (1.0, 1.0)  # mean, sd of the discrimination
D_PRIOR_SD = 3.0
C_PRIOR = (5.0, 17.0)  # Beta(alpha, beta) of the lower asymptote
MIN_ANSWERS = 30  # fewer answers than this: parameters are not trusted
WEAK_A = 0.35
EXTREME_B = 4.0
MISFIT_P = 0.001
FIT_GROUPS = 10

# Flag codes, translated by the application.
FLAG_NEGATIVE = "negative_discrimination"
FLAG_WEAK = "weak_discrimination"
FLAG_EXTREME = "extreme_difficulty"
FLAG_FEW = "few_answers"
FLAG_MISFIT = "misfit"


@dataclass(frozen=True)
class Responses:
    """Answers as parallel arrays; person and item are 0-based indices."""

    person: NDArray[np.intp]
    item: NDArray[np.intp]
    correct: NDArray[np.bool_]
    n_people: int
    n_items: int

    @classmethod
    def of(
        cls,
        person: object,
        item: object,
        correct: object,
        n_people: int | None = None,
        n_items: int | None = None,
    ) -> Responses:
        p = np.asarray(person, dtype=np.intp)
        i = np.asarray(item, dtype=np.intp)
        x = np.asarray(correct, dtype=bool)
        if not (p.shape == i.shape == x.shape) or p.ndim != 1:
            raise ValueError("person, item and correct must have the same length")
        return cls(
            p,
            i,
            x,
            int(p.max()) + 1 if n_people is None else n_people,
            int(i.max()) + 1 if n_items is None else n_items,
        )

    @classmethod
    def from_matrix(cls, matrix: NDArray[np.float64]) -> Responses:
        """From a people x items array of 1, 0 and NaN (not presented)."""
        person, item = np.nonzero(~np.isnan(matrix))
        return cls.of(person, item, matrix[person, item] == 1, *matrix.shape)


@dataclass(frozen=True)
class ItemReport:
    answers: int
    p_correct: float
    fit_statistic: float
    fit_p: float
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Calibration:
    items: ItemParameters
    reports: list[ItemReport]
    iterations: int
    converged: bool
    log_likelihood: float


def _p_parts(
    grid: Grid, a: Floats, d: Floats, c: Floats
) -> tuple[Floats, Floats]:  # (items, nodes) probabilities and logistic parts
    s = 1.0 / (1.0 + np.exp(-(a[:, None] * grid.nodes[None, :] + d[:, None])))
    p = np.clip(c[:, None] + (1.0 - c[:, None]) * s, EPS, 1.0 - EPS)
    return p, s


def _posterior(
    grid: Grid, data: Responses, people: sparse.csr_matrix, p: Floats
) -> tuple[Floats, float]:
    rows = np.where(data.correct[:, None], np.log(p[data.item]), np.log1p(-p[data.item]))
    log_post = people @ rows + grid.log_prior  # (people, nodes)
    top = log_post.max(axis=1, keepdims=True)
    weights = np.exp(log_post - top)
    total = weights.sum(axis=1, keepdims=True)
    return weights / total, float((np.log(total) + top).sum())


def _m_step(
    grid: Grid,
    n: Floats,
    r: Floats,
    a: Floats,
    d: Floats,
    c: Floats,
    three_pl: bool,
    steps: int = 3,
) -> tuple[Floats, Floats, Floats]:
    """Fisher scoring on each item's expected complete-data log-likelihood plus its prior."""
    x = grid.nodes[None, :]
    k = 3 if three_pl else 2
    for _ in range(steps):
        p, s = _p_parts(grid, a, d, c)
        weight = (r - n * p) / (p * (1.0 - p))
        dp_dz = (1.0 - c[:, None]) * s * (1.0 - s)
        derivs = [dp_dz * x, dp_dz] + ([1.0 - s] if three_pl else [])
        info_w = n / (p * (1.0 - p))
        grad = np.stack([(weight * g).sum(axis=1) for g in derivs], axis=1)
        fisher = np.empty((a.size, k, k))
        for i in range(k):
            for j in range(i, k):
                fisher[:, i, j] = fisher[:, j, i] = (info_w * derivs[i] * derivs[j]).sum(axis=1)
        grad[:, 0] -= (a - A_PRIOR[0]) / A_PRIOR[1] ** 2
        fisher[:, 0, 0] += 1.0 / A_PRIOR[1] ** 2
        grad[:, 1] -= d / D_PRIOR_SD**2
        fisher[:, 1, 1] += 1.0 / D_PRIOR_SD**2
        if three_pl:
            alpha, beta = C_PRIOR
            grad[:, 2] += (alpha - 1.0) / c - (beta - 1.0) / (1.0 - c)
            fisher[:, 2, 2] += (alpha - 1.0) / c**2 + (beta - 1.0) / (1.0 - c) ** 2
        step = np.linalg.solve(fisher, grad[:, :, None])[:, :, 0]
        step = np.clip(step, -1.0, 1.0)
        a = np.clip(a + step[:, 0], -3.0, 6.0)
        d = np.clip(d + step[:, 1], -15.0, 15.0)
        if three_pl:
            c = np.clip(c + step[:, 2], 0.001, 0.5)
    return a, d, c


def calibrate(
    data: Responses,
    model: str = "2pl",
    grid: Grid | None = None,
    start: ItemParameters | None = None,
    max_iterations: int = 500,
    tolerance: float = 1e-4,
) -> Calibration:
    """Estimate the parameters of every item from the answers (model "2pl" or "3pl")."""
    if model not in ("2pl", "3pl"):
        raise ValueError("model must be '2pl' or '3pl'")
    if data.person.size == 0:
        raise ValueError("no answers to calibrate on")
    grid = grid or Grid.normal(points=41, span=5.0)
    three_pl = model == "3pl"
    ones = np.ones(data.person.size)
    people = sparse.csr_matrix(
        (ones, (data.person, np.arange(data.person.size))),
        shape=(data.n_people, data.person.size),
    )
    items = sparse.csr_matrix(
        (ones, (data.item, np.arange(data.person.size))), shape=(data.n_items, data.person.size)
    )
    answered = np.asarray(items.sum(axis=1)).ravel()
    right = np.asarray(items @ data.correct.astype(np.float64)).ravel()
    if start is None:
        share = np.clip((right + 0.5) / (answered + 1.0), 0.02, 0.98)
        a = np.ones(data.n_items)
        d = np.log(share / (1.0 - share)) * 1.2
        c = np.full(data.n_items, 0.2 if three_pl else 0.0)
    else:
        a, c = start.a.copy(), (start.c.copy() if three_pl else np.zeros(data.n_items))
        d = -start.a * start.b
    converged = False
    log_lik = -np.inf
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - reported below
        p, _ = _p_parts(grid, a, d, c)
        post, log_lik = _posterior(grid, data, people, p)
        post_answers = post[data.person]
        n = np.asarray(items @ post_answers)
        r = np.asarray(items @ (post_answers * data.correct[:, None]))
        new_a, new_d, new_c = _m_step(grid, n, r, a, d, c, three_pl)
        change = max(
            float(np.abs(new_a - a).max()),
            float(np.abs(new_d - d).max()),
            float(np.abs(new_c - c).max()),
        )
        a, d, c = new_a, new_d, new_c
        if change < tolerance:
            converged = True
            break
    result = ItemParameters(a, -d / np.where(np.abs(a) < 1e-6, 1e-6, a), c)
    p, _ = _p_parts(grid, a, d, c)
    post, _ = _posterior(grid, data, people, p)
    theta, expected = _leave_one_out(grid, data, post, p)
    reports = item_reports(data, result, theta, expected, answered, right)
    return Calibration(result, reports, iteration, converged, log_lik)


def _leave_one_out(grid: Grid, data: Responses, post: Floats, p: Floats) -> tuple[Floats, Floats]:
    """For each answer: the person's ability and chance of being right from their other answers.

    The posterior is taken without the answer being checked (its likelihood divided out), so an
    item can neither vouch for itself nor sort its own answers into ability groups: on short
    tests this is what keeps well-fitting items unflagged.
    """
    p_item = p[data.item]
    own = np.where(data.correct[:, None], p_item, 1.0 - p_item)
    weights = post[data.person] / own
    total = weights.sum(axis=1)
    return weights @ grid.nodes / total, (weights * p_item).sum(axis=1) / total


def item_reports(
    data: Responses,
    items: ItemParameters,
    theta: Floats,
    expected: Floats,
    answered: Floats,
    right: Floats,
) -> list[ItemReport]:
    """Fit statistic (Yen's Q1 over ability groups) and flags for every item.

    `theta` (one per answer) orders the answers into ability groups; `expected` is each answer's
    predicted chance of being right.
    """
    order = np.argsort(theta, kind="stable")
    reports: list[ItemReport] = []
    by_item = np.argsort(data.item[order], kind="stable")
    sorted_items = data.item[order][by_item]
    bounds = np.searchsorted(sorted_items, np.arange(data.n_items + 1))
    params = 3 if bool((items.c > 0).any()) else 2
    for i in range(data.n_items):
        rows = order[by_item[bounds[i] : bounds[i + 1]]]  # this item's answers, by ability
        statistic, p_value = np.nan, np.nan
        groups = min(FIT_GROUPS, rows.size // 20)
        if groups > params:
            statistic = 0.0
            for chunk in np.array_split(rows, groups):
                observed = data.correct[chunk].mean()
                mean_p = expected[chunk].mean()
                statistic += chunk.size * (observed - mean_p) ** 2 / (mean_p * (1.0 - mean_p))
            p_value = float(stats.chi2.sf(statistic, groups - params))
        flags: list[str] = []
        if answered[i] < MIN_ANSWERS:
            flags.append(FLAG_FEW)
        if items.a[i] <= -WEAK_A:
            flags.append(FLAG_NEGATIVE)
        elif items.a[i] < WEAK_A:
            flags.append(FLAG_WEAK)
        if abs(items.b[i]) > EXTREME_B:
            flags.append(FLAG_EXTREME)
        if not np.isnan(p_value) and p_value < MISFIT_P:
            flags.append(FLAG_MISFIT)
        reports.append(
            ItemReport(
                answers=int(answered[i]),
                p_correct=float(right[i] / answered[i]) if answered[i] else float("nan"),
                fit_statistic=float(statistic),
                fit_p=float(p_value),
                flags=tuple(flags),
            )
        )
    return reports
