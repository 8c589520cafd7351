"""Item response theory: the 2PL and 3PL models, item information and EAP ability estimates.

An item has a discrimination `a`, a difficulty `b` and a lower asymptote `c` (the chance of a
correct guess; 0 for the 2PL model). A person of ability theta answers it correctly with
probability  c + (1 - c) / (1 + exp(-a (theta - b))).

Abilities are estimated by EAP (expected a posteriori): the posterior over a fixed quadrature
grid, from a normal prior times the likelihood of the answers. Unlike maximum likelihood, EAP
gives a finite estimate when every answer is right (or wrong), which is the usual case after the
first questions of an adaptive test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]

# Probabilities are kept inside (EPS, 1 - EPS) so that logs stay finite.
EPS = 1e-9


@dataclass(frozen=True)
class ItemParameters:
    """Parameters of a set of items, one entry per item."""

    a: Floats
    b: Floats
    c: Floats

    @classmethod
    def of(cls, a: object, b: object, c: object | None = None) -> ItemParameters:
        a_ = np.asarray(a, dtype=np.float64)
        b_ = np.asarray(b, dtype=np.float64)
        c_ = np.zeros_like(a_) if c is None else np.asarray(c, dtype=np.float64)
        if not (a_.shape == b_.shape == c_.shape) or a_.ndim != 1:
            raise ValueError("a, b and c must be one-dimensional arrays of the same length")
        return cls(a_, b_, c_)

    def __len__(self) -> int:
        return int(self.a.shape[0])

    def subset(self, index: NDArray[np.intp] | list[int]) -> ItemParameters:
        return ItemParameters(self.a[index], self.b[index], self.c[index])


@dataclass(frozen=True)
class Grid:
    """Quadrature nodes over the ability scale and the log of the prior at each node."""

    nodes: Floats
    log_prior: Floats

    @classmethod
    def normal(
        cls, mean: float = 0.0, sd: float = 1.0, points: int = 61, span: float = 4.0
    ) -> Grid:
        nodes = np.linspace(-span, span, points)
        log_prior = -0.5 * ((nodes - mean) / sd) ** 2
        return cls(nodes, log_prior - np.log(np.exp(log_prior).sum()))

    def recentred(self, mean: float, sd: float) -> Grid:
        log_prior = -0.5 * ((self.nodes - mean) / sd) ** 2
        return Grid(self.nodes, log_prior - np.log(np.exp(log_prior).sum()))


STANDARD_GRID = Grid.normal()


def probability(theta: Floats | float, items: ItemParameters) -> Floats:
    """P(correct); theta of shape (n,) gives an (n, items) array, a float gives (items,)."""
    t = np.asarray(theta, dtype=np.float64)
    z = items.a * (t[..., None] - items.b) if t.ndim else items.a * (t - items.b)
    p = items.c + (1.0 - items.c) / (1.0 + np.exp(-z))
    return np.asarray(np.clip(p, EPS, 1.0 - EPS))


def information(theta: Floats | float, items: ItemParameters) -> Floats:
    """Fisher information of each item at theta (Birnbaum's formula for the 3PL model)."""
    p = probability(theta, items)
    ratio = (p - items.c) / (1.0 - items.c)
    return np.asarray(items.a**2 * ((1.0 - p) / p) * ratio**2)


def log_likelihood(
    grid: Grid, items: ItemParameters, correct: NDArray[np.bool_] | list[bool]
) -> Floats:
    """Log-likelihood of a pattern of answers at each grid node (answers in item order)."""
    answers = np.asarray(correct, dtype=bool)
    if len(items) == 0:
        return np.zeros_like(grid.nodes)
    p = probability(grid.nodes, items)  # (nodes, items)
    return np.asarray(np.where(answers, np.log(p), np.log1p(-p)).sum(axis=1))


@dataclass(frozen=True)
class Estimate:
    theta: float
    se: float  # posterior standard deviation


def eap_from_log_likelihood(grid: Grid, log_lik: Floats) -> Estimate:
    log_post = grid.log_prior + log_lik
    weights = np.exp(log_post - log_post.max())
    weights /= weights.sum()
    theta = float(weights @ grid.nodes)
    variance = float(weights @ (grid.nodes - theta) ** 2)
    return Estimate(theta, float(np.sqrt(max(variance, 0.0))))


def eap(
    items: ItemParameters,
    correct: NDArray[np.bool_] | list[bool],
    grid: Grid = STANDARD_GRID,
) -> Estimate:
    """EAP estimate and its standard error for one person's answers to `items`."""
    return eap_from_log_likelihood(grid, log_likelihood(grid, items, correct))


def level_for(theta: float, cut_scores: list[float] | tuple[float, ...]) -> int:
    """Proficiency level: the number of cut scores at or below theta (cut scores ascending)."""
    return int(np.searchsorted(np.asarray(cut_scores, dtype=np.float64), theta, side="right"))


def simulate_answers(
    theta: Floats, items: ItemParameters, rng: np.random.Generator
) -> NDArray[np.bool_]:
    """Random answers of people with abilities `theta` to every item: an (people, items) array."""
    return np.asarray(rng.random((theta.shape[0], len(items))) < probability(theta, items))
