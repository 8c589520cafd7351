"""The programme's indicators fed by surveys, read from their stored (protected) results:
the satisfaction with sessions and the four-statement sentiment."""

from __future__ import annotations

import math

from django.core.cache import cache

from tremplin.compute import surveys as rules
from tremplin.compute.survey_results import Item, build
from tremplin.insights.snapshot import min_group_size
from tremplin.voice.models import Question, Response

SENTIMENT = ("sentiment_quality", "sentiment_effort", "sentiment_speed", "sentiment_productivity")


def _agreeing(question: Question) -> tuple[float, float] | None:
    """(answers, share at the top two points) of a scale question in its survey's total, or
    None when a figure is hidden or the results are not built."""
    limits = rules.bounds(question.kind)
    result = getattr(question.survey, "result", None)
    if limits is None or result is None:
        return None
    total = result.data["tables"][0]["groups"][0]["figures"]
    answered = total.get(f"{question.key}/answered", {}).get("value")
    top = [total.get(f"{question.key}/{p}", {}).get("value") for p in (limits[1] - 1, limits[1])]
    if answered is None or any(v is None for v in top):
        return None
    return float(answered), float(sum(v for v in top if v is not None))


def satisfaction() -> float | None:
    """Share of answers at the top two points to the questions feeding "satisfaction", every
    post-session survey's responses pooled (one session alone is often under the minimum group
    size) into a protected publication of their total. Kept until a response is added."""
    asked = list(
        Question.objects.filter(
            kpi="satisfaction", kind=rules.LIKERT5, survey__sent_at__isnull=False
        )
    )
    surveys = [q.survey_id for q in asked]
    count = Response.objects.filter(survey_id__in=surveys).count()
    key = f"tremplin:satisfaction:{count}:{sum(surveys)}"
    found = cache.get(key, "missing")
    if found == "missing":
        found = _pooled(asked)
        cache.set(key, found, 3600)
    return found


def _pooled(asked: list[Question]) -> float | None:
    answers: list[dict[str, object]] = []
    for question in asked:
        given = Response.objects.filter(survey_id=question.survey_id)
        for found in given.values_list("answers", flat=True):  # top two points, or not
            point = found.get(question.key)
            answers.append({"q": "" if point is None else "top" if int(point) >= 4 else "rest"})
    if not answers:
        return None
    item = Item("q", rules.SINGLE, ("top", "rest"))
    publication, _report, _values = build("satisfaction", [item], answers, [], min_group_size())
    top = next(m for m in publication.tables[0].measures if m.key == "q/top")
    share = float(publication.values(0, top, 0)[0])
    return None if math.isnan(share) else share


def sentiment() -> float | None:
    """Mean share agreeing with the four statements (quality, effort, speed, productivity) in
    the latest survey that asked them and has results."""
    latest = (Question.objects.filter(kpi__in=SENTIMENT, survey__result__isnull=False)
              .order_by("-survey__closes_at", "-survey__pk").values_list("survey_id", flat=True)
              .first())  # fmt: skip
    if latest is None:
        return None
    shares = []
    for question in Question.objects.filter(survey_id=latest, kpi__in=SENTIMENT).select_related(
        "survey__result"
    ):
        found = _agreeing(question)
        if found is None:
            return None
        shares.append(found[1])
    return sum(shares) / len(shares) if shares else None
