"""Ambassadors proposed from the help network: a small set of people who together cover every
team and every site, central people preferred.

A person covers their own team and site, and every team whose members name them for help.
The choice is a weighted set cover, solved as an integer program (HiGHS) over candidates (each
team's most central members and the most central people overall); each person costs 1 plus a
preference, smaller the more central they are, that all together stay under 1: the fewest
people first and, among covers of that size, the most central. The solver's bound is
reported: `gap` 0 means proven optimal over the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

PER_TEAM = 3  # candidates from each team, by centrality
OVERALL = 200  # and the most central people of the company


@dataclass(frozen=True)
class Cover:
    chosen: np.ndarray  # person indices
    teams_uncovered: int
    sites_uncovered: int
    cost: float
    gap: float  # relative distance to the solver's bound (0: optimal over the candidates)


def candidates(team: np.ndarray, centrality: np.ndarray) -> np.ndarray:
    order = np.lexsort((-centrality, team))  # by team, most central first
    sorted_team = team[order]
    first = np.r_[0, np.flatnonzero(np.diff(sorted_team)) + 1]
    rank = np.arange(team.size) - np.repeat(first, np.diff(np.r_[first, team.size]))
    picked = order[rank < PER_TEAM]
    best = np.argsort(-centrality)[:OVERALL]
    return np.unique(np.r_[picked, best])


def propose(team: np.ndarray, site: np.ndarray, sources: np.ndarray, targets: np.ndarray,
            centrality: np.ndarray, *, fixed: np.ndarray | None = None,
            excluded: np.ndarray | None = None, time_limit: float = 20.0) -> Cover:  # fmt: skip
    """`team`, `site`: each person's (−1: none); help links `sources[i]` named `targets[i]`.
    `fixed`: people already serving, kept in the cover; `excluded`: people never proposed
    (they declined, or left)."""
    centrality = centrality.astype(float)
    if excluded is not None and excluded.size:
        centrality[excluded] = -1.0  # last among the candidates, and barred below
    kept = np.zeros(0, dtype=np.int64) if fixed is None else np.asarray(fixed, dtype=np.int64)
    pool = np.unique(np.r_[candidates(team, centrality), kept])
    if excluded is not None and excluded.size:
        pool = np.setdiff1d(pool, np.setdiff1d(excluded, kept))
    slot = np.full(team.size, -1)
    slot[pool] = np.arange(pool.size)
    n_teams = int(team.max()) + 1
    has_site = site[pool] >= 0
    reached = slot[targets] >= 0  # a candidate named by someone covers that person's team
    r = np.concatenate([team[pool], n_teams + site[pool][has_site], team[sources[reached]]])
    c = np.concatenate([np.arange(pool.size), np.arange(pool.size)[has_site],
                        slot[targets[reached]]])  # fmt: skip
    keep = r >= 0
    shape = (n_teams + max(int(site.max()) + 1, 0), pool.size)
    matrix = sparse.csr_matrix((np.ones(int(keep.sum())), (r[keep], c[keep])), shape=shape)
    matrix.data[:] = 1.0
    needed = np.zeros(matrix.shape[0], dtype=bool)
    needed[np.unique(team[team >= 0])] = True
    needed[n_teams + np.unique(site[site >= 0])] = True
    coverable = np.asarray(matrix.sum(axis=1)).ravel() > 0
    wanted = needed & coverable
    spread = np.clip(centrality[pool], 0, None) / max(float(centrality[pool].max()), 1e-12)
    cost = 1.0 + (1.0 - spread) / (pool.size + 1)  # the preferences never outweigh a person
    serving = np.isin(pool, kept).astype(float)  # held at 1
    found = milp(cost, constraints=LinearConstraint(matrix[wanted], lb=1, ub=np.inf),
                 integrality=np.ones(pool.size), bounds=Bounds(serving, 1),
                 options={"time_limit": time_limit})  # fmt: skip
    if found.x is None:
        raise RuntimeError(f"no cover found: {found.message}")
    chosen_slots = np.flatnonzero(found.x > 0.5)
    covered = np.asarray(matrix[:, chosen_slots].sum(axis=1)).ravel() > 0
    gap = float(getattr(found, "mip_gap", 0.0) or 0.0)
    return Cover(
        pool[chosen_slots],
        int((needed[:n_teams] & ~covered[:n_teams]).sum()),
        int((needed[n_teams:] & ~covered[n_teams:]).sum()),
        float(found.fun),
        gap,
    )
