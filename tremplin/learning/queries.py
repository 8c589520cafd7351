"""Read models for the gap pages: one person, a manager's reporting line, the whole company."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tremplin.assessments.models import CurrentLevel
from tremplin.compute.gaps import group_gaps, priority_skills, step_effort
from tremplin.learning.catalogue import catalogue_arrays
from tremplin.learning.gaps import population_gaps
from tremplin.people.models import JobFamily, OrgUnit, Person, Site
from tremplin.skills.models import Competence, Framework
from tremplin.skills.queries import effective_targets


@dataclass
class GapRow:
    competence: Competence
    current: int | None
    target: int
    gap: int


def person_gap_rows(person: Person, framework: Framework) -> list[GapRow]:
    """Every competence with a target for the person's job, in framework order."""
    if person.job_family is None:
        return []
    levels = dict(CurrentLevel.objects.filter(person=person).values_list("competence_id", "level"))
    rows = []
    for target in effective_targets(framework, person.job_family):
        current = levels.get(target.competence.pk)
        if target.level == 0 and current is None:
            continue
        rows.append(
            GapRow(target.competence, current, target.level, max(target.level - (current or 0), 0))
        )
    return rows


def _shade(value: float, top: float) -> int:
    """0–4: how dark a heatmap cell is."""
    if not np.isfinite(value) or value <= 0 or top <= 0:
        return 0
    return int(min(4, 1 + 3 * value / top))


def team_heatmap(manager: Person, framework: Framework) -> dict[str, Any]:
    """People of the reporting line × competences with a target for any of them."""
    team = Person.objects.reporting_line_of(manager).filter(active=True)
    gaps = population_gaps(team, framework)
    shown = np.flatnonzero((gaps.matrix.target > 0).any(axis=0))
    gap = gaps.matrix.gap
    rows = [
        {
            "person": person,
            "cells": [
                {
                    "gap": int(gap[i, j]),
                    "current": int(gaps.matrix.current[i, j]),
                    "target": int(gaps.matrix.target[i, j]),
                    "shade": min(int(gap[i, j]), 4),
                }
                for j in shown
            ],
            "total": int(gap[i].sum()),
        }
        for i, person in enumerate(gaps.people)
    ]
    return {
        "competences": [gaps.competences[j] for j in shown],
        "preserve": [bool(gaps.preserve[j]) for j in shown],
        "rows": rows,
    }


GROUPINGS = ("unit", "family", "site")


def company_gaps(framework: Framework, by: str) -> dict[str, Any]:
    """Mean gap per group × competence, and the priority skills of the year with their effort."""
    by = by if by in GROUPINGS else "unit"
    gaps = population_gaps(Person.objects.filter(active=True), framework)
    groups: list[Any]
    if by == "family":
        groups = list(JobFamily.objects.all())
        key = [p.job_family_id for p in gaps.people]
    elif by == "site":
        groups = list(Site.objects.all())
        key = [p.site_id for p in gaps.people]
    else:
        groups = list(OrgUnit.objects.all())
        key = [p.org_unit_id for p in gaps.people]
    index = {g.pk: i for i, g in enumerate(groups)}
    group = np.array([index.get(k, -1) if k else -1 for k in key], dtype=np.int64)
    summary = group_gaps(gaps.matrix, group, len(groups))
    shown = np.flatnonzero((gaps.matrix.target > 0).any(axis=0))
    top = float(np.nanmax(summary.mean_gap[:, shown])) if len(groups) and len(shown) else 0.0
    rows = [
        {
            "group": g,
            "people": int(summary.people[i]),
            "cells": [
                {
                    "mean": float(summary.mean_gap[i, j]),
                    "below": int(summary.below_target[i, j]),
                    "shade": _shade(float(summary.mean_gap[i, j]), top),
                }
                for j in shown
            ],
        }
        for i, g in enumerate(groups)
        if summary.people[i] > 0
    ]
    arrays = catalogue_arrays(framework)
    raises = [
        (m, c, low, high)
        for m, mod in enumerate(arrays.catalogue.modules)
        for c, low, high in mod.raises
    ]
    hours = np.array([m.hours for m in arrays.catalogue.modules])
    euros = np.array([m.cost for m in arrays.catalogue.modules])
    step_hours, step_euros = step_effort(len(gaps.competences), hours, euros, raises)
    priorities = [
        {
            "competence": gaps.competences[p.competence],
            "skill": p,
            "preserve": bool(gaps.preserve[p.competence]),
        }
        for p in priority_skills(gaps.matrix, step_hours, step_euros)
    ]
    return {
        "by": by,
        "groupings": GROUPINGS,
        "competences": [gaps.competences[j] for j in shown],
        "rows": rows,
        "priorities": priorities,
        "people": len(gaps.people),
    }
