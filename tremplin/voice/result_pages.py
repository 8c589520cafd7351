"""What a survey's results page shows, read from its stored result: per question its mean,
its points or options as bars (a scale's as diverging bars around its middle), a 0–10
question's net score, the comments; then a table per dimension of each scale's mean."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tremplin.compute import surveys as rules
from tremplin.insights.published_pages import REASONS
from tremplin.spreadsheets import Cell, Sheet
from tremplin.voice.models import Question, Result, Survey


@dataclass
class Bar:
    label: str
    share: float | None  # 0–1, None when hidden
    side: int = 0  # −1 disagree, 0 middle, +1 agree (a scale's diverging bar)


@dataclass
class Shown:
    question: Question
    answered: int | None
    mean: float | None = None
    net: float | None = None  # promoters minus detractors, in points (a 0–10 question)
    bars: list[Bar] = field(default_factory=list)
    comments: dict[str, Any] | None = None  # {"count": n, "shown": [texts]}
    hidden: str = ""


def _figure(group: dict[str, Any], key: str) -> tuple[float | None, str]:
    found = group["figures"].get(key, {"value": None, "why": 0})
    return found["value"], str(REASONS.get(found["why"], "")) if found["value"] is None else ""


def questions(result: Result, asked: list[Question]) -> list[Shown]:
    total = result.data["tables"][0]["groups"][0]
    shown = []
    for question in asked:
        if question.kind == rules.COLLEAGUES:
            continue
        answered, why = _figure(total, f"{question.key}/answered")
        item = Shown(question, None if answered is None else round(answered), hidden=why)
        limits = rules.bounds(question.kind)
        labels = dict(question.choices())
        points = [str(v) for v in range(limits[0], limits[1] + 1)] if limits else list(labels)
        for point in points:
            share, _why = _figure(total, f"{question.key}/{point}")
            side = 0
            if limits and question.kind != rules.SCALE10:
                middle = (limits[0] + limits[1]) / 2
                side = (int(point) > middle) - (int(point) < middle)
            item.bars.append(Bar(labels.get(point, point), share, side))
        if limits:
            mean, _why = _figure(total, f"{question.key}/mean")
            item.mean = None if mean is None else limits[0] + mean
        if question.kind == rules.SCALE10 and all(b.share is not None for b in item.bars):
            shares = [b.share or 0.0 for b in item.bars]
            item.net = round(100 * (sum(shares[9:]) - sum(shares[:7])))
        if question.kind == rules.TEXT:
            item.comments = result.data["comments"].get(question.key)
        shown.append(item)
    return shown


def dimensions(result: Result, asked: list[Question]) -> list[dict[str, Any]]:
    """Per dimension table, each group's mean on every scale question (None: hidden)."""
    scales = [q for q in asked if rules.bounds(q.kind) is not None]
    tables = []
    for table in result.data["tables"][1:]:
        rows = []
        for group in table["groups"]:
            means = []
            for question in scales:
                value, why = _figure(group, f"{question.key}/mean")
                low = (rules.bounds(question.kind) or (0, 0))[0]
                means.append((None if value is None else low + value, why))
            rows.append(
                {
                    "names": ", ".join(group["names"]),
                    "size": group["size"],
                    "pooled": group["pooled"],
                    "means": means,
                }
            )
        tables.append({"dimension": table["dimension"], "rows": rows})
    return [{"scales": scales, **t} for t in tables]


def sheets(result: Result, asked: list[Question]) -> list[Sheet]:
    """The results page as a workbook: every figure by question, each dimension's means, the
    comments shown. A hidden figure is left empty with why."""
    rows: list[list[Cell]] = []
    for item in questions(result, asked):
        text = item.question.text
        rows.append([text, str(_("answers")), item.answered, item.hidden])
        if item.mean is not None:
            rows.append([text, str(_("mean")), round(item.mean, 2), ""])
        if item.net is not None:
            rows.append([text, str(_("net score")), item.net, ""])
        for bar in item.bars:
            share = None if bar.share is None else round(100 * bar.share)
            rows.append([text, bar.label, share, "" if share is not None else str(_("hidden"))])
    found = [
        Sheet(
            str(_("Results")),
            [
                str(_("Question")),
                pgettext("results column", "Answer"),
                str(_("Value")),
                str(_("Note")),
            ],
            rows,
        )
    ]
    for table in dimensions(result, asked):
        header = [
            str(table["dimension"]),
            str(_("Respondents")),
            *[q.text for q in table["scales"]],
        ]
        found.append(
            Sheet(
                str(table["dimension"]),
                header,
                [
                    [
                        row["names"],
                        row["size"],
                        *[None if m is None else round(m, 2) for m, _why in row["means"]],
                    ]
                    for row in table["rows"]
                ],
            )
        )
    comments = [
        [q.text, c]
        for q in asked
        for c in (result.data["comments"].get(q.key) or {}).get("shown", [])
    ]
    header = [str(_("Question")), pgettext("results column", "Comment")]
    found.append(Sheet(str(_("Comments")), header, comments))
    return found


def trend(survey: Survey, asked: list[Question]) -> dict[str, Any] | None:
    """The scale questions' means across the surveys of the same template (a series sent
    again each wave or period), oldest first, from each one's stored results."""
    if not survey.template:
        return None
    series = list(Survey.objects.filter(template=survey.template, result__isnull=False)
                  .select_related("result").prefetch_related("waves")
                  .order_by("closes_at", "pk"))  # fmt: skip
    if len(series) < 2:
        return None
    scales = [q for q in asked if rules.bounds(q.kind) is not None]
    rows = []
    for question in scales:
        low = (rules.bounds(question.kind) or (0, 0))[0]
        means = []
        for other in series:
            total = other.result.data["tables"][0]["groups"][0]["figures"]
            value = total.get(f"{question.key}/mean", {}).get("value")
            means.append(None if value is None else low + value)
        rows.append({"question": question, "means": means})
    return {"surveys": series, "rows": rows}
