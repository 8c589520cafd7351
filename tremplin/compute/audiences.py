"""One audience's publication assembled from its splits of the population, then protected.

A split is one way to divide the people (by department, job family, site, wave, cohort…);
each becomes a table, small groups pooled. A total table comes first. The cohort split shows
the mean level only; every other table shows the measures of `compute.variables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tremplin.compute.disclosure import Report, protect
from tremplin.compute.publication import Publication, Table, compute_sums, pool
from tremplin.compute.variables import COHORT_MEASURES, PersonData, measures_of, variables_of

TOTAL = "total"
COHORT = "cohort"


@dataclass(frozen=True)
class Split:
    key: str  # the dimension: "department", "family", "cohort"…
    group: np.ndarray  # (people,) index into `names`
    names: list[str]  # codes of the values
    parents: list[int] | None = None  # pool only values sharing a parent (a department's)
    competences: bool = False  # figures per competence as well as per tier


def cross(first: Split, second: Split) -> Split:
    """A cross-table (department × site, say): one group per pair of values, small pairs
    pooled within each value of `first`."""
    width = len(second.names)
    group = np.where(
        (first.group >= 0) & (second.group >= 0), first.group * width + second.group, -1
    )
    names = [f"{a}/{b}" for a in first.names for b in second.names]
    parents = [a for a in range(len(first.names)) for _b in range(width)]
    return Split(f"{first.key}-x-{second.key}", group, names, parents, first.competences)


def assemble(
    audience: str, k: int, splits: Sequence[Split], data: PersonData, periods: Sequence[int]
) -> tuple[Publication, Report]:
    """The publication of `audience`, with its sums computed and its cells protected. The
    total shows every competence; another table when its split asks for them."""
    variables, value = variables_of(data)
    today = int(data.levels.shape[0]) - 1
    every = measures_of(data, today)
    tiers = measures_of(data, today, competences=False)
    n = int(data.levels.shape[1])
    chosen = list(periods)
    tables = [Table(f"by-{TOTAL}", TOTAL, np.zeros(n, dtype=np.int64), [["all"]], every,
                    chosen, [False])]  # fmt: skip
    for split in splits:
        group, names, pooled = pool(split.group, split.names, k, split.parents)
        shown = every if split.competences else tiers
        if split.key == COHORT:
            shown = COHORT_MEASURES
        tables.append(Table(f"by-{split.key}", split.key, group, names, shown, chosen, pooled))
    publication = Publication(audience, k, variables, tables)
    compute_sums(publication, value)
    return publication, protect(publication, value)


def cohort_split(data: PersonData, period_names: Sequence[str]) -> Split:
    """People by the first period they had a level at; "never" for the others."""
    first = data.first_assessed()
    n_periods = len(period_names)
    return Split(COHORT, np.where(first >= 0, first, n_periods), [*period_names, "never"])
