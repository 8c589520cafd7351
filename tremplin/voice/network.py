"""A named survey's help network for the lead: who names whom, each person's in-degree,
PageRank and betweenness, teams with nobody to turn to. The scores are stored with the survey's
result, so they outlive the named answers deleted after the retention period."""

from __future__ import annotations

from typing import Any

import numpy as np

from tremplin.compute import surveys as rules
from tremplin.compute.network import adjacency, analyse, betweenness, pagerank
from tremplin.people.models import Person
from tremplin.voice.models import Result, Survey

EXACT_UP_TO = 2_000  # people; beyond, betweenness is estimated from SAMPLES sources
SAMPLES = 500


def _named(survey: Survey) -> dict[int, list[int]]:
    keys = list(survey.questions.filter(kind=rules.COLLEAGUES).values_list("key", flat=True))
    return {
        int(person): [int(c) for key in keys for c in (answers.get(key) or [])]
        for person, answers in survey.responses.values_list("person_id", "answers")
        if person is not None
    }


def scores(survey: Survey) -> dict[str, Any]:
    """Computed from the answers and stored with the survey's result."""
    named = _named(survey)
    ids = sorted({*named, *(c for cs in named.values() for c in cs)})
    unit_of = dict(Person.objects.filter(pk__in=ids).values_list("pk", "org_unit_id"))
    drawn = analyse(named, unit_of)
    index = {pk: i for i, pk in enumerate(ids)}
    pairs = [(index[p], index[c]) for p, cs in named.items() for c in cs if c in index]
    src = np.array([a for a, _b in pairs], dtype=np.int64)
    dst = np.array([b for _a, b in pairs], dtype=np.int64)
    graph = adjacency(src, dst, len(ids))
    rank = pagerank(graph) if ids else np.zeros(0)
    sampled = len(ids) > EXACT_UP_TO
    sources = (np.random.default_rng(survey.pk).choice(len(ids), SAMPLES, replace=False)
               if sampled else None)  # fmt: skip
    between = betweenness(graph, sources) if ids else np.zeros(0)
    counts = dict(drawn.asked)
    rows = sorted(({"person": pk, "named_by": counts.get(pk, 0), "pagerank": float(rank[i]),
                    "betweenness": float(between[i])} for pk, i in index.items()),
                  key=lambda r: (-r["named_by"], -r["pagerank"], r["person"]))  # fmt: skip
    by_unit: dict[int | None, list[bool]] = {}
    for person, colleagues in named.items():
        by_unit.setdefault(unit_of.get(person), []).append(not colleagues)
    found = {
        "rows": rows, "respondents": drawn.respondents, "alone": drawn.alone,
        "requests": drawn.requests, "across": drawn.across_units, "sampled": sampled,
        "teams_alone": [u for u, alone in by_unit.items() if u is not None and all(alone)],
    }  # fmt: skip
    Result.objects.update_or_create(
        survey=survey, defaults={"data": {"network": found}, "respondents": len(named)}
    )
    return found


def current(survey: Survey) -> dict[str, Any]:
    """The scores from the answers while they are kept, else the ones stored."""
    if survey.responses.exists():
        return scores(survey)
    stored = Result.objects.filter(survey=survey).first()
    return dict(stored.data.get("network", {})) if stored else {}
