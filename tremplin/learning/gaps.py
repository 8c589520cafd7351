"""Read models for gaps: the gap matrix of a population, built from a few array queries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from tremplin.assessments.models import CurrentLevel
from tremplin.compute.gaps import GapMatrix, gap_matrix
from tremplin.people.models import JobFamily, Person
from tremplin.skills.models import Competence, Framework
from tremplin.skills.queries import targets_by_family


@dataclass
class PopulationGaps:
    matrix: GapMatrix
    people: list[Person]  # row order
    competences: list[Competence]  # column order (framework order)
    preserve: np.ndarray  # (competences,) bool: a human skill to preserve


def population_gaps(people: QuerySet[Person], framework: Framework) -> PopulationGaps:
    """Current levels, targets and weights of `people` against the framework."""
    persons = list(people.select_related("org_unit", "job_family", "site").order_by("pk"))
    competences = list(framework.competences.order_by("order", "code"))
    column = {c.pk: j for j, c in enumerate(competences)}
    families = list(JobFamily.objects.filter(pk__in={p.job_family_id for p in persons}))
    family_index = {f.pk: k for k, f in enumerate(families)}
    target = np.zeros((len(families), len(competences)), dtype=np.int8)
    weight = np.zeros((len(families), len(competences)), dtype=np.float32)
    targets = targets_by_family(framework, families)
    for k, family in enumerate(families):
        for t in targets[family.pk]:
            target[k, column[t.competence.pk]] = t.level
            weight[k, column[t.competence.pk]] = float(t.weight)
    levels = np.array(
        list(
            CurrentLevel.objects.filter(
                person__in=people, competence__framework=framework
            ).values_list("person_id", "competence_id", "level")
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    # Rows and columns by lookup in sorted keys: no Python loop over the level rows.
    person_keys = np.array([p.pk for p in persons], dtype=np.int64)  # sorted by the query
    competence_keys = np.array(list(column), dtype=np.int64)
    competence_order = np.argsort(competence_keys)
    person_row = np.searchsorted(person_keys, levels[:, 0])
    competence_col = competence_order[
        np.searchsorted(competence_keys[competence_order], levels[:, 1])
    ]
    person_family = np.array(
        [family_index.get(p.job_family_id, -1) if p.job_family_id else -1 for p in persons],
        dtype=np.int64,
    )
    matrix = gap_matrix(
        len(persons),
        len(competences),
        person_row,
        competence_col,
        levels[:, 2].astype(np.int8),
        person_family,
        target,
        weight,
    )
    preserve = np.array([c.is_preserve for c in competences], dtype=bool)
    return PopulationGaps(matrix, persons, competences, preserve)
