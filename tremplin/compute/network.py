"""The help network from a named survey: who is asked for help with AI tools, by whom.

Edges go from a respondent to each colleague they named. In-degree says who the others go to;
a request crossing units says help travels beyond the team; respondents naming nobody are
those without anyone to ask."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Network:
    asked: list[tuple[int, int]]  # (person, times named), most named first
    respondents: int
    alone: int  # respondents who named nobody
    requests: int
    across_units: int  # requests to someone of another unit


def analyse(named: Mapping[int, Sequence[int]], unit_of: Mapping[int, int | None]) -> Network:
    """`named`: each respondent's colleagues; `unit_of`: each person's unit."""
    counts: Counter[int] = Counter()
    across = requests = 0
    for respondent, colleagues in named.items():
        for colleague in colleagues:
            counts[colleague] += 1
            requests += 1
            across += unit_of.get(colleague) != unit_of.get(respondent)
    alone = sum(1 for colleagues in named.values() if not colleagues)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return Network(ranked, len(named), alone, requests, across)


def adjacency(sources: np.ndarray, targets: np.ndarray, n: int) -> sparse.csr_matrix:
    """The directed graph as a CSR matrix: entry (u, v) is 1 when u named v (repeats once)."""
    matrix = sparse.csr_matrix((np.ones(len(sources)), (sources, targets)), shape=(n, n))
    matrix.data[:] = 1.0  # a pair named twice is one link
    matrix.setdiag(0)
    matrix.eliminate_zeros()
    return matrix


def pagerank(
    graph: sparse.csr_matrix, damping: float = 0.85, tol: float = 1e-10, most: int = 200
) -> np.ndarray:
    """PageRank by power iteration; a person naming nobody spreads their weight evenly (as
    networkx does)."""
    n = graph.shape[0]
    out = np.asarray(graph.sum(axis=1)).ravel()
    dangling = out == 0
    step = sparse.diags(np.where(dangling, 0.0, 1.0 / np.maximum(out, 1))) @ graph
    moved = step.T.tocsr()
    rank = np.full(n, 1.0 / n)
    for _round in range(most):
        nxt = damping * (moved @ rank + rank[dangling].sum() / n) + (1 - damping) / n
        if np.abs(nxt - rank).sum() < n * tol:
            return nxt
        rank = nxt
    return rank


def _out_links(graph: sparse.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every link leaving `rows`: (from, to), read straight from the CSR arrays."""
    starts, ends = graph.indptr[rows], graph.indptr[rows + 1]
    counts = ends - starts
    shift = np.repeat(starts - np.cumsum(np.r_[0, counts[:-1]]), counts)
    return np.repeat(rows, counts), graph.indices[np.arange(int(counts.sum())) + shift]


def betweenness(graph: sparse.csr_matrix, sources: np.ndarray | None = None) -> np.ndarray:
    """Betweenness of each person on shortest help paths (directed, unweighted), normalised
    by (n − 1)(n − 2) as networkx does. With `sources`, only paths from those people are
    counted and the sum scaled by n / len(sources): an unbiased estimate (Brandes and Pich),
    which is what makes a company of 100,000 tractable. Brandes' algorithm, one breadth-first
    level at a time, each level reading only the links that leave it."""
    n = graph.shape[0]
    forward = graph.tocsr()
    chosen = np.arange(n) if sources is None else np.asarray(sources)
    total = np.zeros(n)
    for source in chosen.tolist():
        sigma = np.zeros(n)
        sigma[source] = 1.0
        depth = np.full(n, -1)
        depth[source] = 0
        levels = [np.array([source])]
        while True:
            start, end = _out_links(forward, levels[-1])
            fresh = (depth[end] < 0) | (depth[end] == len(levels))
            if not fresh.any():
                break
            end, start = end[fresh], start[fresh]
            new = np.unique(end)
            depth[new] = len(levels)
            sigma += np.bincount(end, weights=sigma[start], minlength=n)
            levels.append(new)
        delta = np.zeros(n)
        for level in range(len(levels) - 1, 0, -1):
            above = levels[level - 1]
            start, end = _out_links(forward, above)
            down = depth[end] == level
            start, end = start[down], end[down]
            share = np.bincount(start, weights=(1 + delta[end]) / sigma[end], minlength=n)
            delta[above] += sigma[above] * share[above]
        delta[source] = 0
        total += delta
    if n > 2:
        total /= (n - 1) * (n - 2)
    return total * (n / len(chosen)) if sources is not None else total
