"""The help network's centralities against networkx, an independent implementation, on random
directed graphs; and a planted error (a wrong damping) that the comparison catches."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from tremplin.compute.network import adjacency, betweenness, pagerank


def _graph(seed: int, n: int = 40, links: int = 90):
    rng = np.random.default_rng(seed)
    sources, targets = rng.integers(0, n, links), rng.integers(0, n, links)
    keep = sources != targets
    peer = nx.DiGraph()
    peer.add_nodes_from(range(n))
    peer.add_edges_from(zip(sources[keep].tolist(), targets[keep].tolist(), strict=True))
    return adjacency(sources, targets, n), peer


@pytest.mark.parametrize("seed", range(8))
def test_pagerank_and_betweenness_match_networkx(seed):
    graph, peer = _graph(seed)
    expected = nx.pagerank(peer, alpha=0.85, tol=1e-12)
    assert np.allclose(pagerank(graph), [expected[i] for i in range(graph.shape[0])], atol=1e-8)
    exact = nx.betweenness_centrality(peer, normalized=True)
    assert np.allclose(betweenness(graph), [exact[i] for i in range(graph.shape[0])], atol=1e-12)


def test_the_comparison_catches_a_planted_error():
    graph, peer = _graph(3)
    expected = nx.pagerank(peer, alpha=0.85, tol=1e-12)
    wrong = pagerank(graph, damping=0.80)
    assert not np.allclose(wrong, [expected[i] for i in range(graph.shape[0])], atol=1e-8)


def test_sampled_betweenness_estimates_the_exact_one():
    graph, _peer = _graph(5, n=300, links=900)
    exact = betweenness(graph)
    rng = np.random.default_rng(1)
    estimate = betweenness(graph, rng.choice(300, 150, replace=False))
    top = np.argsort(-exact)[:10]
    assert np.corrcoef(exact, estimate)[0, 1] > 0.9
    assert len(set(top.tolist()) & set(np.argsort(-estimate)[:10].tolist())) >= 6
