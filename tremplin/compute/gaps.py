"""Gaps between current levels and targets, as arrays: people × competences.

A person's gap in a competence is `max(target − current, 0)`; a competence never assessed counts
as level 0 (and is reported as not assessed). Groups (org unit, job family, site, wave) are
summarised with `np.bincount` over the flattened matrix, never person by person.

Priority skills of the year. For each competence:

    score = Σ over people of gap × weight of the competence for the person's job

which is the mean gap × the number of people concerned × the weight, as the method asks, and
adds up fairly over jobs with different weights. The estimated effort to close the gaps uses the
catalogue: each level step costs the hours (and euros) per level of the cheapest module that
covers it; the exact figures come from the plans.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NOT_ASSESSED = -1
LEVELS = 5


@dataclass(frozen=True)
class GapMatrix:
    current: np.ndarray  # (people, competences) int8, NOT_ASSESSED where no level exists
    target: np.ndarray  # (people, competences) int8
    weight: np.ndarray  # (people, competences) float32

    @property
    def known(self) -> np.ndarray:
        return np.maximum(self.current, 0)

    @property
    def gap(self) -> np.ndarray:
        return np.maximum(self.target.astype(np.int16) - self.known, 0).astype(np.int8)

    @property
    def assessed(self) -> np.ndarray:
        return self.current != NOT_ASSESSED


def gap_matrix(
    n_people: int,
    n_competences: int,
    level_person: np.ndarray,
    level_competence: np.ndarray,
    level_value: np.ndarray,
    person_family: np.ndarray,
    family_target: np.ndarray,
    family_weight: np.ndarray,
) -> GapMatrix:
    """Build the matrix from current-level rows (person index, competence index, level) and the
    targets and weights of each job family (families × competences); people without a family
    (index -1) get no target."""
    current = np.full((n_people, n_competences), NOT_ASSESSED, dtype=np.int8)
    current[level_person, level_competence] = level_value
    padded_target = np.vstack([family_target, np.zeros((1, n_competences))]).astype(np.int8)
    padded_weight = np.vstack([family_weight, np.zeros((1, n_competences))]).astype(np.float32)
    family = np.where(person_family < 0, len(family_target), person_family)
    return GapMatrix(current, padded_target[family], padded_weight[family])


@dataclass(frozen=True)
class GroupGaps:
    """Per group × competence; groups with no one have zero people and NaN means."""

    people: np.ndarray  # (groups,) headcount
    mean_gap: np.ndarray  # (groups, competences)
    below_target: np.ndarray  # (groups, competences) people under their target
    not_assessed: np.ndarray  # (groups, competences)
    mean_level: np.ndarray  # (groups, competences), over assessed people only


def group_gaps(matrix: GapMatrix, group: np.ndarray, n_groups: int) -> GroupGaps:
    """Summaries per group; `group[p]` is the group of person p, or -1 for none."""
    keep = group >= 0
    g = group[keep]
    gap = matrix.gap[keep].astype(np.float64)
    assessed = matrix.assessed[keep]
    known = matrix.known[keep].astype(np.float64)
    n_comp = gap.shape[1]
    cells = (g[:, None] * n_comp + np.arange(n_comp)[None, :]).ravel()
    size = n_groups * n_comp

    def per_cell(values: np.ndarray) -> np.ndarray:
        return np.bincount(cells, weights=values.ravel(), minlength=size).reshape(n_groups, n_comp)

    people = np.bincount(g, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_gap = per_cell(gap) / people[:, None]
        assessed_count = per_cell(assessed.astype(np.float64))
        mean_level = per_cell(known * assessed) / assessed_count
    return GroupGaps(
        people=people,
        mean_gap=mean_gap,
        below_target=per_cell((gap > 0).astype(np.float64)).astype(np.int64),
        not_assessed=(people[:, None] - assessed_count).astype(np.int64),
        mean_level=mean_level,
    )


def step_effort(
    n_competences: int,
    module_hours: np.ndarray,
    module_cost: np.ndarray,
    raises: list[tuple[int, int, int, int]],
) -> tuple[np.ndarray, np.ndarray]:
    """Hours and euros of each level step (competences × 5; column l is reaching level l), from
    the cheapest module per level covering it; infinity where no module does. `raises` lists
    (module, competence, from, to)."""
    hours = np.full((n_competences, LEVELS), np.inf)
    euros = np.full((n_competences, LEVELS), np.inf)
    for module, competence, low, high in raises:
        span = high - low
        for level in range(low + 1, high + 1):
            hours[competence, level] = min(hours[competence, level], module_hours[module] / span)
            euros[competence, level] = min(euros[competence, level], module_cost[module] / span)
    hours[:, 0] = 0.0
    euros[:, 0] = 0.0
    return hours, euros


@dataclass(frozen=True)
class PrioritySkill:
    competence: int
    score: float
    people_with_gap: int
    mean_gap: float  # over the people with a gap
    hours: float  # estimated effort to close every gap the catalogue can close
    euros: float
    people_out_of_reach: int  # people with a step no module covers


def priority_skills(
    matrix: GapMatrix, step_hours: np.ndarray, step_euros: np.ndarray
) -> list[PrioritySkill]:
    """Competences ranked by score (highest first), with the effort to close them."""
    gap = matrix.gap
    score = (gap * matrix.weight).sum(axis=0, dtype=np.float64)
    with_gap = (gap > 0).sum(axis=0)
    missing = ~np.isfinite(step_hours)
    cum_hours = np.cumsum(np.where(missing, 0.0, step_hours), axis=1)
    cum_euros = np.cumsum(np.where(missing, 0.0, step_euros), axis=1)
    cum_missing = np.cumsum(missing, axis=1)
    known = matrix.known.astype(np.int64)
    reach = np.maximum(matrix.target.astype(np.int64), known)
    columns = np.arange(gap.shape[1])[None, :]
    total_hours = (cum_hours[columns, reach] - cum_hours[columns, known]).sum(axis=0)
    total_euros = (cum_euros[columns, reach] - cum_euros[columns, known]).sum(axis=0)
    out_of_reach = ((cum_missing[columns, reach] - cum_missing[columns, known]) > 0).sum(axis=0)
    order = np.lexsort((np.arange(gap.shape[1]), -score))
    return [
        PrioritySkill(
            competence=int(c),
            score=float(score[c]),
            people_with_gap=int(with_gap[c]),
            mean_gap=float(gap[:, c].sum() / with_gap[c]) if with_gap[c] else 0.0,
            hours=float(total_hours[c]),
            euros=float(total_euros[c]),
            people_out_of_reach=int(out_of_reach[c]),
        )
        for c in order
        if score[c] > 0
    ]
