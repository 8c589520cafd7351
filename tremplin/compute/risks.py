"""The risk self-diagnostic's arithmetic: each statement of the questionnaire answered on a
four-point scale (how much the AI system changes this part of work for the worse), a score per
dimension of work with its level, the answers that signal a risk, and a risk line's criticity
(severity × likelihood) with its priority.

Codes in and out; the pages translate them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SCALE = (1, 2, 3, 4)  # not at all, a little, rather, strongly
SIGNALS_FROM = 3  # an answer from which a statement signals a risk and proposes a risk line
VIGILANCE_FROM = 2.0  # a dimension's mean score from which it is a point of vigilance
HIGH_FROM = 3.0  # a dimension's mean score from which it is exposed
GRADES = (1, 2, 3, 4)  # severity and likelihood of a risk line
HIGH_PRIORITY_FROM = 9  # criticity (severity × likelihood) from which a line comes first
MEDIUM_PRIORITY_FROM = 5


@dataclass(frozen=True)
class Statement:
    key: str
    dimension: str
    severity: int  # the severity proposed for its risk line


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    answered: int
    total: int
    mean: float | None  # None until one of its statements is answered
    level: str  # "unanswered", "low", "vigilance" or "high"
    signals: tuple[str, ...]  # the keys of its statements that signal a risk

    @property
    def is_vigilance_point(self) -> bool:
        return self.level in ("vigilance", "high")


@dataclass(frozen=True)
class Proposal:
    """A risk line proposed by an answer that signals a risk."""

    statement: str
    dimension: str
    severity: int
    likelihood: int


def valid_answer(value: object) -> bool:
    return type(value) is int and value in SCALE


def clean_answers(statements: Sequence[Statement], answers: Mapping[str, object]) -> dict[str, int]:
    """The answers to the questionnaire's statements that are on the scale; anything else (a
    statement no longer asked, a value off the scale) is left out."""
    keys = {s.key for s in statements}
    return {k: v for k, v in answers.items() if k in keys and valid_answer(v)}  # type: ignore[misc]


def unanswered(statements: Sequence[Statement], answers: Mapping[str, object]) -> list[str]:
    given = clean_answers(statements, answers)
    return [s.key for s in statements if s.key not in given]


def signals(statements: Sequence[Statement], answers: Mapping[str, object]) -> list[str]:
    """The statements whose answer signals a risk, in the questionnaire's order."""
    given = clean_answers(statements, answers)
    return [s.key for s in statements if given.get(s.key, 0) >= SIGNALS_FROM]


def level(mean: float | None, signalled: bool) -> str:
    if mean is None:
        return "unanswered"
    if mean >= HIGH_FROM:
        return "high"
    if mean >= VIGILANCE_FROM or signalled:
        return "vigilance"
    return "low"


def dimension_scores(
    dimensions: Sequence[str], statements: Sequence[Statement], answers: Mapping[str, object]
) -> list[DimensionScore]:
    """One score per dimension, in the order given: the mean of its answered statements and
    its level (a dimension with one answer that signals a risk is at least a point of
    vigilance, whatever its mean)."""
    given = clean_answers(statements, answers)
    out = []
    for dimension in dimensions:
        mine = [s for s in statements if s.dimension == dimension]
        values = [given[s.key] for s in mine if s.key in given]
        mean = sum(values) / len(values) if values else None
        signalled = tuple(s.key for s in mine if given.get(s.key, 0) >= SIGNALS_FROM)
        shown = None if mean is None else round(mean, 2)
        out.append(DimensionScore(dimension, len(values), len(mine), shown,
                                  level(mean, bool(signalled)), signalled))  # fmt: skip
    return out


def proposals(statements: Sequence[Statement], answers: Mapping[str, object]) -> list[Proposal]:
    """A risk line for each answer that signals a risk: the statement's severity, and the
    answer itself as the likelihood (rather: 3, strongly: 4), for the lead to review."""
    given = clean_answers(statements, answers)
    return [Proposal(s.key, s.dimension, s.severity, given[s.key])
            for s in statements if given.get(s.key, 0) >= SIGNALS_FROM]  # fmt: skip


def criticity(severity: int, likelihood: int) -> int:
    """Severity × likelihood, each graded 1 to 4: from 1 to 16."""
    if severity not in GRADES or likelihood not in GRADES:
        raise ValueError(f"severity and likelihood are graded 1 to 4, not {severity}, {likelihood}")
    return severity * likelihood


def priority(value: int) -> str:
    """A criticity's priority: "high" from 9 (both grades at 3 or more), "medium" from 5,
    else "low"."""
    if value >= HIGH_PRIORITY_FROM:
        return "high"
    if value >= MEDIUM_PRIORITY_FROM:
        return "medium"
    return "low"
