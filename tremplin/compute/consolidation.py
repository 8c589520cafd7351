"""The consolidated current level of a person in a competence, from all their ratings.

The rule, shown to users on the assessment pages:

1. Objective evidence first: a certification or practical case, then the adaptive quiz.
2. Then the judgement of the manager, alone or in the career interview held with the person,
   and the completion of a training module (at the level the module brings).
3. Then the person's own self-assessment.
4. Within the same rank, the most recent rating wins (latest assessment date, then latest
   recorded).

Ratings older than `max_age_days` (when given) are ignored unless nothing newer exists, so an old
certificate does not hide two years of progress reported by the manager.

Disagreement flags compare the latest self-assessment with the latest manager rating and with the
latest quiz result: a difference of `gap` levels or more raises the flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

SELF = "self"
MANAGER = "manager"
QUIZ = "quiz"
EVIDENCE = "evidence"
INTERVIEW = "interview"
TRAINING = "training"

RANK = {EVIDENCE: 4, QUIZ: 3, MANAGER: 2, INTERVIEW: 2, TRAINING: 2, SELF: 1}
DISAGREEMENT_GAP = 2


@dataclass(frozen=True)
class RatingFact:
    rating_id: int
    source: str
    level: int
    assessed_on: date
    recorded_order: int  # increases with each recorded rating (the id serves)


@dataclass(frozen=True)
class Consolidated:
    level: int
    source: str
    rating_id: int
    self_level: int | None
    manager_level: int | None
    quiz_level: int | None
    self_manager_disagree: bool
    self_quiz_disagree: bool


def _latest(ratings: Iterable[RatingFact]) -> RatingFact | None:
    return max(ratings, key=lambda r: (r.assessed_on, r.recorded_order), default=None)


def consolidate(
    ratings: list[RatingFact],
    today: date | None = None,
    max_age_days: int | None = None,
    gap: int = DISAGREEMENT_GAP,
) -> Consolidated | None:
    """The current level from one person's ratings of one competence (None if there are none)."""
    if not ratings:
        return None
    unknown = {r.source for r in ratings} - RANK.keys()
    if unknown:
        raise ValueError(f"unknown rating source: {sorted(unknown)}")
    pool = ratings
    if max_age_days is not None and today is not None:
        recent = [r for r in ratings if (today - r.assessed_on).days <= max_age_days]
        pool = recent or ratings
    best_rank = max(RANK[r.source] for r in pool)
    chosen = _latest(r for r in pool if RANK[r.source] == best_rank)
    assert chosen is not None
    latest_self = _latest(r for r in ratings if r.source == SELF)
    latest_manager = _latest(r for r in ratings if r.source in (MANAGER, INTERVIEW))
    latest_quiz = _latest(r for r in ratings if r.source == QUIZ)

    def apart(one: RatingFact | None, other: RatingFact | None) -> bool:
        return one is not None and other is not None and abs(one.level - other.level) >= gap

    return Consolidated(
        level=chosen.level,
        source=chosen.source,
        rating_id=chosen.rating_id,
        self_level=latest_self.level if latest_self else None,
        manager_level=latest_manager.level if latest_manager else None,
        quiz_level=latest_quiz.level if latest_quiz else None,
        self_manager_disagree=apart(latest_self, latest_manager),
        self_quiz_disagree=apart(latest_self, latest_quiz),
    )
