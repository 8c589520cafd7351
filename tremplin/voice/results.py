"""A survey's results, built as a protected publication (`compute.survey_results`) and stored
for its page: an anonymous survey shows its total only (its responses carry nothing else);
a confidential one is also split by department, site, job family and wave, small groups pooled
and figures that would give someone away hidden."""

from __future__ import annotations

import random
import time
from typing import Any

import numpy as np

from tremplin.compute import surveys as rules
from tremplin.compute.audiences import Split
from tremplin.compute.publication import VISIBLE
from tremplin.compute.survey_results import Item, build
from tremplin.insights.snapshot import min_group_size
from tremplin.people.models import JobFamily, OrgUnit, Person, Site
from tremplin.rollout.models import Wave
from tremplin.rollout.queries import wave_of_people
from tremplin.voice.models import Anonymity, Result, Survey

COMMENTS_AT_LEAST = 10
AUDIENCE = "company"


def items_of(survey: Survey) -> list[Item]:
    return [
        Item(q.key, q.kind, tuple(str(o["key"]) for o in q.options))
        for q in survey.questions.all()
        if q.kind != rules.COLLEAGUES
    ]


def splits_of(person_ids: list[int]) -> list[Split]:
    """The respondents by department (their unit's top level below the root), site, job
    family and wave."""
    people = {
        p["pk"]: p
        for p in Person.objects.filter(pk__in=person_ids).values(
            "pk", "org_unit__path", "site_id", "job_family_id"
        )
    }
    unit_codes = dict(OrgUnit.objects.values_list("pk", "code"))

    def department(path: str | None) -> str:
        parts = [p for p in (path or "").split("/") if p]
        return unit_codes.get(int(parts[min(1, len(parts) - 1)]), "—") if parts else "—"

    waves = wave_of_people()
    wave_names = dict(Wave.objects.values_list("pk", "name"))
    found = {
        "department": [department(people[p]["org_unit__path"]) for p in person_ids],
        "site": [
            str(dict(Site.objects.values_list("pk", "code")).get(people[p]["site_id"], "—"))
            for p in person_ids
        ],
        "family": [
            str(
                dict(JobFamily.objects.values_list("pk", "code")).get(
                    people[p]["job_family_id"], "—"
                )
            )
            for p in person_ids
        ],
        "wave": [str(wave_names.get(waves.get(p, 0), "—")) for p in person_ids],
    }
    splits = []
    for key, labels in found.items():
        names = sorted(set(labels))
        index = {name: i for i, name in enumerate(names)}
        splits.append(Split(key, np.array([index[v] for v in labels], dtype=np.int64), names))
    return splits


def build_result(survey: Survey) -> Result:
    """Build and store the survey's results for the company's audiences."""
    started = time.perf_counter()
    rows = list(survey.responses.values_list("person_id", "answers"))
    answers = [a for _p, a in rows]
    items = items_of(survey)
    splits: list[Split] = []
    if survey.anonymity == Anonymity.CONFIDENTIAL and rows:
        splits = splits_of([int(p) for p, _a in rows])
    k = min_group_size()
    publication, report, _values = build(AUDIENCE, items, answers, splits, k)
    tables = []
    for t, table in enumerate(publication.tables):
        sizes = table.sizes()
        groups: list[dict[str, Any]] = [
            {"names": names, "size": int(sizes[g]), "pooled": bool(table.pooled[g]), "figures": {}}
            for g, names in enumerate(table.names)
        ]
        for measure in table.measures:
            values = publication.values(t, measure, 0)
            why = publication.why(t, measure, 0)
            for g, group in enumerate(groups):
                shown = not np.isnan(values[g])
                group["figures"][measure.key] = {
                    "value": float(values[g]) if shown else None,
                    "why": int(why[g]) if not shown else VISIBLE,
                }
        tables.append({"key": table.key, "dimension": table.dimension, "groups": groups})
    data: dict[str, Any] = {
        "k": k,
        "tables": tables,
        "comments": _comments(survey, answers),
        "report": {
            "figures": report.figures,
            "hidden": report.hidden,
            "leaks_found": report.leaks_found,
        },
    }
    result, _created = Result.objects.update_or_create(
        survey=survey,
        defaults={"respondents": len(rows), "data": data, "seconds": time.perf_counter() - started},
    )
    return result


def _comments(survey: Survey, answers: list[dict[str, Any]]) -> dict[str, Any]:
    """Per free-text question, the comments in random order when there are at least
    COMMENTS_AT_LEAST, else only how many."""
    found: dict[str, Any] = {}
    for question in survey.questions.filter(kind=rules.TEXT):
        texts = [str(a[question.key]) for a in answers if a.get(question.key)]
        random.SystemRandom().shuffle(texts)
        found[question.key] = texts if len(texts) >= COMMENTS_AT_LEAST else len(texts)
    return found
