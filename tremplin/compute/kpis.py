"""Key figures of the programme, from arrays: levels over time, groups, distributions.

Levels are people × competences int8 arrays, NOT_ASSESSED (−1) where nobody rated the
person. Figures about a group count every person of the group: a competence not assessed
counts as level 0 in means and as "not at target", and the share assessed is given beside it,
so a figure never silently leaves people out (and privacy rules can work on headcounts).

Levels in the past are rebuilt from the dated ratings by `consolidation.levels_over_time`, the
same rule as the live level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from tremplin.compute.consolidation import NOT_ASSESSED as NOT_ASSESSED

LEVELS = 5


@dataclass(frozen=True)
class GroupFigures:
    """Figures per group (rows) and competence (columns)."""

    people: np.ndarray  # (groups,) headcount
    assessed: np.ndarray  # (groups, competences) share of people with a level
    mean_level: np.ndarray  # (groups, competences) not assessed counts as 0
    at_target: np.ndarray  # (groups, competences) share of people targeted who reach it
    targeted: np.ndarray  # (groups, competences) people whose job targets the competence


def group_figures(
    levels: np.ndarray, target: np.ndarray, group: np.ndarray, n_groups: int
) -> GroupFigures:
    """Figures for each group; `group[i]` is person i's group (−1: left out).

    One sparse product (groups × people by people × indicators) sums every indicator of every
    competence at once, rather than a bincount per competence and indicator."""
    keep = group >= 0
    levels, target, group = levels[keep], target[keep], group[keep]
    people = np.bincount(group, minlength=n_groups)
    n_comp = levels.shape[1]
    known = np.maximum(levels, 0)
    aimed = target > 0
    stacked = np.concatenate(
        [levels >= 0, known, aimed, aimed & (known >= target)], axis=1, dtype=np.float32
    )
    members = sparse.csr_matrix(
        (np.ones(group.size, dtype=np.float32), (group, np.arange(group.size))),
        shape=(n_groups, group.size),
    )
    sums = np.asarray(members @ stacked, dtype=np.float64)
    assessed, total, targeted, reached = (sums[:, k * n_comp : (k + 1) * n_comp] for k in range(4))
    with np.errstate(invalid="ignore", divide="ignore"):
        per_person = people[:, None].astype(float)
        return GroupFigures(
            people=people,
            assessed=assessed / per_person,
            mean_level=total / per_person,
            at_target=np.where(targeted > 0, reached / targeted, np.nan),
            targeted=np.rint(targeted).astype(np.int64),
        )


def group_means(
    levels: np.ndarray, group: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """(groups,) headcount and (groups, competences) mean level, not assessed counting as 0:
    the part of `group_figures` a heatmap needs, in one product over the levels alone."""
    keep = group >= 0
    members = sparse.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.float32), (group[keep], np.flatnonzero(keep))),
        shape=(n_groups, group.size),
    )
    people = np.bincount(group[keep], minlength=n_groups)
    sums = np.asarray(members @ np.maximum(levels, 0).astype(np.float32), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return people, sums / people[:, None]


def mean_levels(levels: np.ndarray) -> np.ndarray:
    """(competences,) mean level over people, a competence not assessed counting as 0."""
    if levels.shape[0] == 0:
        return np.full(levels.shape[1], np.nan)
    return np.maximum(levels, 0).sum(axis=0, dtype=np.int64) / levels.shape[0]


def level_distribution(levels: np.ndarray) -> np.ndarray:
    """(competences, 6) counts of people: not assessed, then levels 0 to 4."""
    n_comp = levels.shape[1]
    out = np.zeros((n_comp, LEVELS + 1), dtype=np.int64)
    for c in range(n_comp):
        out[c] = np.bincount(levels[:, c].astype(np.int64) + 1, minlength=LEVELS + 1)
    return out


def share(numerator: float, denominator: float) -> float | None:
    return None if denominator <= 0 else numerator / denominator
