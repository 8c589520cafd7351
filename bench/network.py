"""The help network at scale: 100,000 people in 5,000 teams over 50 sites, 1,000,000 help links
(most within the team, some to the company's helpful few), then:

- Tremplin (`compute.network`, `compute.ambassadors`): PageRank, betweenness estimated from
  500 sources, and the ambassador cover; time and peak memory in its own process;
- networkx, the peer, in its own process: PageRank, and betweenness from the same sources as a
  like-with-like run of Tremplin (fewer sources: networkx's pure-Python paths take seconds
  each at this size); both runs check they agree.

    .venv/bin/python bench/network.py                          # 100,000 people, 1,000,000 links
    .venv/bin/python bench/network.py --people 20000 --links 200000   # a quick run

Last line: {"people", "links", "tremplin_s", "networkx_s", "peak_mb", "teams_uncovered", …}.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEAM_SIZE = 20
SITES = 50
SOURCES = 500


def company(people: int, links: int, seed: int = 7) -> dict[str, np.ndarray]:
    """`links` distinct help links (nobody names themselves)."""
    rng = np.random.default_rng(seed)
    team = np.arange(people) // TEAM_SIZE
    site = (team * 7919) % SITES
    pairs = np.zeros(0, dtype=np.int64)
    while pairs.size < links:  # draw until there are enough distinct links
        drawn = links
        sources = rng.integers(0, people, drawn)
        inside = rng.random(drawn) < 0.7
        mate = team[sources] * TEAM_SIZE + rng.integers(0, TEAM_SIZE, drawn)
        helpful = rng.zipf(1.6, drawn) % people  # a few people are asked by many
        targets = np.where(inside, np.minimum(mate, people - 1), helpful)
        own = sources != targets
        pairs = np.unique(np.r_[pairs, sources[own] * people + targets[own]])
    pairs = rng.permutation(pairs)[:links]
    return {"team": team, "site": site, "sources": pairs // people, "targets": pairs % people}


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_tremplin(data: dict[str, np.ndarray], chosen: np.ndarray) -> dict[str, Any]:
    from tremplin.compute.ambassadors import propose
    from tremplin.compute.network import adjacency, betweenness, pagerank

    n = data["team"].size
    started = time.perf_counter()
    graph = adjacency(data["sources"], data["targets"], n)
    rank = pagerank(graph)
    between = betweenness(graph, chosen)
    cover = propose(data["team"], data["site"], data["sources"], data["targets"], rank)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "peak_mb": peak_mb(), "ambassadors": len(cover.chosen),
            "teams_uncovered": cover.teams_uncovered, "sites_uncovered": cover.sites_uncovered,
            "cover_gap": cover.gap, "pagerank": rank.tolist(),
            "betweenness": between.tolist()}  # fmt: skip


def run_networkx(data: dict[str, np.ndarray], chosen: np.ndarray) -> dict[str, Any]:
    """PageRank, then Brandes from the same sources (networkx's own accumulation, rescaled as
    it does for a sample: its `k` draws the sources itself, so they are passed explicitly)."""
    import networkx as nx
    from networkx.algorithms.centrality.betweenness import (
        _accumulate_basic,
        _single_source_shortest_path_basic,
    )

    n = data["team"].size
    started = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(data["sources"].tolist(), data["targets"].tolist(), strict=True))
    rank = nx.pagerank(graph, alpha=0.85, tol=1e-10)
    between = dict.fromkeys(graph, 0.0)
    for source in chosen.tolist():
        stack, preds, sigma, _dist = _single_source_shortest_path_basic(graph, source)
        between, _delta = _accumulate_basic(between, stack, preds, sigma, source)
    scale = n / len(chosen) / ((n - 1) * (n - 2))
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "peak_mb": peak_mb(),
            "pagerank": [rank[i] for i in range(n)],
            "betweenness": [between[i] * scale for i in range(n)]}  # fmt: skip


def child(kind: str, path: str, sources: int) -> None:
    loaded = np.load(path)
    data = {k: loaded[k] for k in loaded.files}
    chosen = np.random.default_rng(11).choice(data["team"].size, sources, replace=False)
    found = (run_tremplin if kind == "tremplin" else run_networkx)(data, chosen)
    print(json.dumps(found))


def measure(kind: str, path: str, sources: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", kind, path, str(sources)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--peer-sources", type=int, default=20)
    options = parser.parse_args()
    data = company(options.people, options.links)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "network.npz")
        np.savez(path, **data)
        full = measure("tremplin", path, SOURCES)
        same = measure("tremplin", path, options.peer_sources)
        peer = measure("networkx", path, options.peer_sources)
    agree_rank = float(np.abs(np.array(same["pagerank"]) - np.array(peer["pagerank"])).max())
    agree_between = float(np.abs(np.array(same["betweenness"])
                                 - np.array(peer["betweenness"])).max())  # fmt: skip
    print(json.dumps({
        "people": options.people, "links": int(data["sources"].size),
        "tremplin_s": full["seconds"], "peak_mb": full["peak_mb"],
        "ambassadors": full["ambassadors"], "teams_uncovered": full["teams_uncovered"],
        "sites_uncovered": full["sites_uncovered"], "cover_gap": full["cover_gap"],
        "betweenness_sources": SOURCES,
        "like_with_like_sources": options.peer_sources,
        "tremplin_like_with_like_s": same["seconds"], "networkx_s": peer["seconds"],
        "networkx_peak_mb": peer["peak_mb"],
        "max_difference_pagerank": agree_rank, "max_difference_betweenness": agree_between,
    }))  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
