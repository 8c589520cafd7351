"""The programme's indicators fed by surveys, read from their stored (protected) results:
the satisfaction with sessions and the four-statement sentiment."""

from __future__ import annotations

from tremplin.compute import surveys as rules
from tremplin.voice.models import Question

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
    """Share of answers at the top two points to the questions feeding "satisfaction" (the
    post-session surveys), over every survey whose results are built."""
    agree = answered = 0.0
    for question in Question.objects.filter(kpi="satisfaction").select_related("survey__result"):
        found = _agreeing(question)
        if found is not None:
            answered += found[0]
            agree += found[0] * found[1]
    return agree / answered if answered else None


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
