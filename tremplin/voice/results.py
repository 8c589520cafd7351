"""A survey's results, built as a protected publication (`compute.survey_results`) and stored
for its page: an anonymous survey shows its total only (its responses carry nothing else);
a confidential one is also split by department, site, job family and wave as far as the works
council's publication plan allows, small groups pooled and figures that would give someone away
hidden."""

from __future__ import annotations

import random
import time
from typing import Any

import numpy as np

from tremplin.compute import surveys as rules
from tremplin.compute.audiences import Split
from tremplin.compute.publication import VISIBLE
from tremplin.compute.survey_results import Item, build
from tremplin.insights.models import Audience, PublicationPlan
from tremplin.insights.snapshot import min_group_size
from tremplin.people.models import OrgUnit
from tremplin.rollout.models import Wave
from tremplin.rollout.queries import wave_of_people
from tremplin.voice.models import Anonymity, Result, Survey

COMMENTS_AT_LEAST = 10
COMMENTS_SHOWN = 60  # a sample, drawn again each time the results are built
AUDIENCE = "company"


def items_of(survey: Survey) -> list[Item]:
    return [
        Item(q.key, q.kind, tuple(str(o["key"]) for o in q.options))
        for q in survey.questions.all()
        if q.kind != rules.COLLEAGUES
    ]


def splits_of(people: list[tuple[int, str | None, str | None, str | None]]) -> list[Split]:
    """The respondents (person id, unit path, site code, job family code) by department
    (their unit's top level below the root), site, job family and wave."""
    unit_codes = dict(OrgUnit.objects.values_list("pk", "code"))

    def department(path: str | None) -> str:
        parts = [p for p in (path or "").split("/") if p]
        return unit_codes.get(int(parts[min(1, len(parts) - 1)]), "—") if parts else "—"

    waves = wave_of_people()
    wave_names = dict(Wave.objects.values_list("pk", "name"))
    found = {
        "department": [department(path) for _pk, path, _s, _f in people],
        "site": [site or "—" for _pk, _path, site, _f in people],
        "family": [family or "—" for _pk, _path, _s, family in people],
        "wave": [str(wave_names.get(waves.get(pk, 0), "—")) for pk, *_rest in people],
    }
    splits = []
    for key, labels in found.items():
        names = sorted(set(labels))
        index = {name: i for i, name in enumerate(names)}
        splits.append(Split(key, np.array([index[v] for v in labels], dtype=np.int64), names))
    return splits


def respondents(survey: Survey) -> list[tuple[int, str | None, str | None, str | None]]:
    """Who answered a confidential survey, with what its splits read, in response order."""
    return list(
        survey.responses.order_by("pk").values_list(
            "person_id", "person__org_unit__path", "person__site__code", "person__job_family__code"
        )
    )


def build_result(survey: Survey) -> Result:
    """Build and store the survey's results for the company's audiences."""
    started = time.perf_counter()
    answers = list(survey.responses.order_by("pk").values_list("answers", flat=True))
    items = items_of(survey)
    splits: list[Split] = []
    if survey.anonymity == Anonymity.CONFIDENTIAL and answers:
        allowed = set(PublicationPlan.of(Audience.WORKS_COUNCIL).tables)  # as the dashboards
        splits = [s for s in splits_of(respondents(survey)) if s.key in allowed]
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
        defaults={
            "respondents": len(answers),
            "data": data,
            "seconds": time.perf_counter() - started,
        },
    )
    return result


def _comments(survey: Survey, answers: list[dict[str, Any]]) -> dict[str, Any]:
    """Per free-text question, how many comments, and a random sample of them (at most
    COMMENTS_SHOWN) when there are at least COMMENTS_AT_LEAST. The same sample at every build
    (drawn from the sorted comments with the survey's own seed): building again shows no
    other comments."""
    found: dict[str, Any] = {}
    for question in survey.questions.filter(kind=rules.TEXT):
        texts = sorted(str(a[question.key]) for a in answers if a.get(question.key))
        shown = random.Random(survey.pk).sample(texts, min(len(texts), COMMENTS_SHOWN))
        found[question.key] = {
            "count": len(texts),
            "shown": shown if len(texts) >= COMMENTS_AT_LEAST else [],
        }
    return found
