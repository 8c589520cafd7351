"""Trees given as child -> parent links: materialised paths, cycle detection and depths.

Used for reporting lines (person -> manager) and org units (unit -> parent unit). A path lists
the keys from the root down to the node itself, so a node's whole subtree is every node whose
path starts with the node's path: one indexed prefix query instead of a recursion per request.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class TreePaths(Generic[K]):
    paths: dict[K, tuple[K, ...]]  # root ... node, for every node outside a cycle
    in_cycle: frozenset[K]  # nodes on a cycle
    under_cycle: frozenset[K]  # nodes whose chain of parents runs into a cycle


def tree_paths(parent_of: Mapping[K, K | None]) -> TreePaths[K]:
    """Paths from the root for every node; nodes on or under a cycle are reported instead.

    A parent that is not itself a key is treated as a root outside the mapping (it starts the
    path). Runs in linear time: each node is resolved once, iteratively, so deep chains do not
    hit the recursion limit.
    """
    paths: dict[K, tuple[K, ...]] = {}
    in_cycle: set[K] = set()
    under_cycle: set[K] = set()
    for start in parent_of:
        if start in paths or start in in_cycle or start in under_cycle:
            continue
        chain: list[K] = []
        position: dict[K, int] = {}
        node: K | None = start
        base: tuple[K, ...] = ()
        broken = False
        while node is not None:
            if node in paths:
                base = paths[node]
                break
            if node in in_cycle or node in under_cycle:
                broken = True
                break
            if node in position:  # closed a loop inside this walk
                loop = chain[position[node] :]
                in_cycle.update(loop)
                chain = chain[: position[node]]
                broken = True
                break
            position[node] = len(chain)
            chain.append(node)
            if node not in parent_of:
                # An outside root: it belongs to the path but gets no entry of its own.
                chain.pop()
                base = (node,)
                break
            node = parent_of[node]
        if broken:
            under_cycle.update(n for n in chain if n not in in_cycle)
            continue
        for n in reversed(chain):
            base = (*base, n)
            paths[n] = base
    return TreePaths(paths=paths, in_cycle=frozenset(in_cycle), under_cycle=frozenset(under_cycle))


def encode_path(keys: tuple[object, ...]) -> str:
    """`/1/5/23/`: slashes on both sides so that `/1/` never prefixes `/12/`."""
    return "/" + "".join(f"{key}/" for key in keys)


def depths(parent: np.ndarray) -> np.ndarray:
    """Distance to the root of every node of a forest given as parent indexes (−1: a root),
    by vectorised pointer jumping: one step per level, not per node."""
    depth = np.zeros(parent.size, dtype=np.int64)
    up = parent.copy()
    while (up >= 0).any():
        depth += up >= 0
        up = np.where(up >= 0, parent[np.maximum(up, 0)], -1)
    return depth


def ancestor_at(parent: np.ndarray, node: np.ndarray, depth: int) -> np.ndarray:
    """The ancestor of each of `node` at `depth` (the node itself when it is shallower)."""
    level = depths(parent)
    found = np.asarray(node).copy()
    while True:
        deeper = level[found] > depth
        if not deeper.any():
            return found
        found[deeper] = parent[found[deeper]]
