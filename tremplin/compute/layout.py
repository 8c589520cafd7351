"""Where to draw each person of a network: a force-directed layout (Fruchterman and Reingold,
1991) and the geometry of the drawing (circle sizes, arrows stopping at the circles' edges).

Linked people pull each other together, everyone pushes everyone else away, and a weak pull
towards the centre keeps people nobody links to from drifting off. The starting positions come
from a fixed seed and the number of rounds is fixed: the same network is always drawn the same
way. Each round compares every pair (n² work), which suits the few hundred people a page shows.
"""

from __future__ import annotations

import numpy as np

SEED = 0
ROUNDS = 300
GRAVITY = 0.05  # the pull towards the centre: weak, it only keeps the unlinked near the others


def force_directed(
    n: int,
    links: np.ndarray,
    *,
    width: float = 1.0,
    height: float = 1.0,
    rounds: int = ROUNDS,
    seed: int = SEED,
) -> np.ndarray:
    """(n, 2) positions filling [0, width] × [0, height]. `links`: (m, 2) pairs of indices
    (their direction, repeats and self-links do not matter)."""
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.array([[width / 2, height / 2]])
    linked = np.zeros((n, n))
    pairs = np.asarray(links, dtype=np.int64).reshape(-1, 2)
    linked[pairs[:, 0], pairs[:, 1]] = linked[pairs[:, 1], pairs[:, 0]] = 1.0
    np.fill_diagonal(linked, 0.0)
    pos = np.random.default_rng(seed).random((n, 2)) * [width / height, 1.0]
    ideal = np.sqrt(width / height / n)  # the distance at which a link's pull and the push meet
    step = 0.1 * max(width / height, 1.0)
    cooling = step / (rounds + 1)
    for _round in range(rounds):
        squared = (pos**2).sum(axis=1)
        gaps = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * pos @ pos.T, 0.0))
        distance = np.maximum(gaps, 0.01 * ideal)
        push_minus_pull = ideal**2 / distance**2 - linked * distance / ideal
        np.fill_diagonal(push_minus_pull, 0.0)
        # Σ_j (pos_i − pos_j) w_ij, as two matrix products rather than an (n, n, 2) array.
        moves = pos * push_minus_pull.sum(axis=1)[:, None] - push_minus_pull @ pos
        moves -= GRAVITY * n * ideal * (pos - pos.mean(axis=0))
        length = np.maximum(np.sqrt((moves**2).sum(axis=1)), 1e-9)
        pos += moves * (np.minimum(length, step) / length)[:, None]
        step -= cooling
    return _fill(pos, width, height)


def _fill(pos: np.ndarray, width: float, height: float) -> np.ndarray:
    """Stretched to touch the box's four sides (an axis with no spread: its middle)."""
    low, high = pos.min(axis=0), pos.max(axis=0)
    span = high - low
    flat = span <= 0
    scaled = (pos - low) / np.where(flat, 1.0, span)
    scaled[:, flat] = 0.5
    return scaled * [width, height]


def radii(counts: np.ndarray, smallest: float, largest: float) -> np.ndarray:
    """A circle's area grows with its count: `smallest` for 0, `largest` for the most."""
    values = np.asarray(counts, dtype=float)
    top = values.max() if values.size else 0.0
    share = np.sqrt(values / top) if top > 0 else np.zeros_like(values)
    return smallest + (largest - smallest) * share


def arrows(pos: np.ndarray, links: np.ndarray, radius: np.ndarray, gap: float) -> np.ndarray:
    """(m, 4) segments x1, y1, x2, y2 of each link, from the edge of its first circle to `gap`
    short of its second's (where an arrowhead ends); circles that touch leave a point."""
    pairs = np.asarray(links, dtype=np.int64).reshape(-1, 2)
    start, end = pos[pairs[:, 0]], pos[pairs[:, 1]]
    delta = end - start
    length = np.sqrt((delta**2).sum(axis=1))
    unit = delta / np.maximum(length, 1e-9)[:, None]
    cut_start = np.minimum(radius[pairs[:, 0]], length / 2)
    cut_end = np.minimum(radius[pairs[:, 1]] + gap, length - cut_start)
    return np.hstack([start + unit * cut_start[:, None], end - unit * cut_end[:, None]])
