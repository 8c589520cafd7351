"""The one consolidation rule: a person's level in a competence, from all their ratings.

Used by the application (the current level kept for each person), the dashboards' snapshot
(levels at every quarter end) and the benchmarks, always through the functions below, on arrays
of ratings, so there is one rule and it is the same at 10 ratings or 10 million.

Evidence ranks by what it proves and how precise it is (the rule shown to users):

1. A certification or a practical case.
2. A quiz level that is **precise** (its standard error small enough, which the application
   decides and marks: a rating is *weak* when it does not carry what its source promises).
3. The manager's judgement, alone or in the career interview, and a training completion
   **confirmed** by the manager, the trainer or recorded attendance.
4. A quiz level that is not precise.
5. The person's own self-assessment, and a completion only the person declared.

Within the same rank the most recent rating wins (latest assessment date, then the latest
recorded: ratings are given in recording order). Ratings older than `max_age_days` at the date
considered are set aside unless nothing newer exists, so an old certificate does not hide two
years of progress reported by the manager. Ratings dated after the date considered do not
exist yet: the application refuses them in the first place.

Flags (the latest rating of each kind, any age): self against manager, self against a precise
quiz, manager against a precise quiz; a difference of `gap` levels or more raises the flag, shown
to the person and to their manager.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SELF = "self"
MANAGER = "manager"
QUIZ = "quiz"
EVIDENCE = "evidence"
INTERVIEW = "interview"
TRAINING = "training"

SOURCES = (SELF, MANAGER, INTERVIEW, TRAINING, QUIZ, EVIDENCE)  # a source's code is its index
CODE = {source: code for code, source in enumerate(SOURCES)}
STRONG_RANK = {EVIDENCE: 5, QUIZ: 4, MANAGER: 3, INTERVIEW: 3, TRAINING: 3, SELF: 1}
WEAK_RANK = {EVIDENCE: 5, QUIZ: 2, MANAGER: 3, INTERVIEW: 3, TRAINING: 1, SELF: 1}
RANKS = 6  # ranks are below this

MAX_AGE_DAYS = 3 * 365
DISAGREEMENT_GAP = 2
NOT_ASSESSED = -1

_STRONG = np.array([STRONG_RANK[s] for s in SOURCES], dtype=np.int64)
_WEAK = np.array([WEAK_RANK[s] for s in SOURCES], dtype=np.int64)


@dataclass(frozen=True)
class Ratings:
    """Ratings as arrays, one entry each, **in recording order** (which breaks ties of date).

    `pair` numbers the (person, competence) pair, `source` is a code of SOURCES, `day` any day
    number (date ordinals in the application), `weak` marks a quiz level that is not precise or
    a completion only the person declared."""

    pair: np.ndarray
    source: np.ndarray
    day: np.ndarray
    level: np.ndarray
    weak: np.ndarray

    @classmethod
    def of(
        cls,
        pair: object,
        source: object,
        day: object,
        level: object,
        weak: object | None = None,
    ) -> Ratings:
        arrays = [np.asarray(a, dtype=np.int64).ravel() for a in (pair, source, day, level)]
        flags = (
            np.zeros(arrays[0].size, dtype=bool)
            if weak is None
            else np.asarray(weak, dtype=bool).ravel()
        )
        if any(a.size != arrays[0].size for a in [*arrays, flags]):
            raise ValueError("ratings: every array needs one entry per rating")
        if arrays[1].size and (arrays[1].min() < 0 or arrays[1].max() >= len(SOURCES)):
            raise ValueError(f"ratings: a source code is not one of {len(SOURCES)} sources")
        if arrays[3].size and (arrays[3].min() < 0 or arrays[3].max() > 4):
            raise ValueError("ratings: a level is not between 0 and 4")
        return cls(arrays[0], arrays[1], arrays[2], arrays[3], flags)

    @property
    def rank(self) -> np.ndarray:
        return np.where(self.weak, _WEAK[self.source], _STRONG[self.source])


class _ByPair:
    """The ratings sorted by pair (recording order kept within a pair), for segment maxima."""

    def __init__(self, ratings: Ratings) -> None:
        self.ratings = ratings
        self.order = np.argsort(ratings.pair, kind="stable")
        pair = ratings.pair[self.order]
        self.starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if pair.size else pair
        self.pairs = pair[self.starts]
        self.day = ratings.day[self.order]
        self.rank = ratings.rank[self.order]
        self.source = ratings.source[self.order]
        self.n = max(ratings.pair.size, 1)
        self.first_day = int(self.day.min()) if self.day.size else 0
        self.span = (int(self.day.max()) - self.first_day + 1) if self.day.size else 1

    def best(self, key: np.ndarray) -> np.ndarray:
        """Per pair, the index (into the ratings) of the largest non-negative key, or −1."""
        if key.size == 0:
            return np.zeros(0, dtype=np.int64)
        top = np.maximum.reduceat(key, self.starts)
        return np.where(top >= 0, top % self.n, -1)

    def chosen(self, limit: int, max_age_days: int | None) -> np.ndarray:
        """Per pair, the rating the rule picks at day `limit` (−1: none yet)."""
        known = self.day <= limit
        recent = known if max_age_days is None else known & (limit - self.day <= max_age_days)
        key = (recent * RANKS + self.rank) * self.span + (self.day - self.first_day)
        return self.best(np.where(known, key * self.n + self.order, -1))

    def latest(self, limit: int, sources: tuple[str, ...], strong_only: bool = False) -> np.ndarray:
        """Per pair, the latest rating of these sources on or before `limit` (−1: none)."""
        wanted = np.isin(self.source, [CODE[s] for s in sources]) & (self.day <= limit)
        if strong_only:
            wanted &= ~self.ratings.weak[self.order]
        key = (self.day - self.first_day) * self.n + self.order
        return self.best(np.where(wanted, key, -1))


def levels_over_time(
    ratings: Ratings, n_pairs: int, as_of: np.ndarray, max_age_days: int | None = MAX_AGE_DAYS
) -> np.ndarray:
    """The consolidated level of every pair at each day of `as_of`: (days, n_pairs) int8,
    NOT_ASSESSED where no rating exists yet."""
    out = np.full((len(as_of), n_pairs), NOT_ASSESSED, dtype=np.int8)
    if ratings.pair.size == 0:
        return out
    by_pair = _ByPair(ratings)
    for t, limit in enumerate(np.asarray(as_of).tolist()):
        chosen = by_pair.chosen(int(limit), max_age_days)
        known = chosen >= 0
        out[t, by_pair.pairs[known]] = ratings.level[chosen[known]]
    return out


@dataclass(frozen=True)
class Current:
    """The consolidated level of each pair rated on or before the day, with the flags."""

    pair: np.ndarray
    level: np.ndarray
    source: np.ndarray  # code of the chosen rating's source
    rating: np.ndarray  # index of the chosen rating
    self_level: np.ndarray  # NOT_ASSESSED for none
    manager_level: np.ndarray
    quiz_level: np.ndarray  # the latest precise quiz level
    self_manager_disagree: np.ndarray
    self_quiz_disagree: np.ndarray
    manager_quiz_disagree: np.ndarray


def current(
    ratings: Ratings,
    today: int,
    max_age_days: int | None = MAX_AGE_DAYS,
    gap: int = DISAGREEMENT_GAP,
) -> Current:
    """The rule at day `today` for every pair with a rating dated on or before it."""
    by_pair = _ByPair(ratings)
    chosen = by_pair.chosen(today, max_age_days)
    keep = chosen >= 0
    chosen = chosen[keep]

    def level_of(index: np.ndarray) -> np.ndarray:
        index = index[keep]
        return np.where(index >= 0, ratings.level[np.maximum(index, 0)], NOT_ASSESSED)

    own = level_of(by_pair.latest(today, (SELF,)))
    manager = level_of(by_pair.latest(today, (MANAGER, INTERVIEW)))
    quiz = level_of(by_pair.latest(today, (QUIZ,), strong_only=True))

    def apart(one: np.ndarray, other: np.ndarray) -> np.ndarray:
        both = (one != NOT_ASSESSED) & (other != NOT_ASSESSED)
        return both & (np.abs(one - other) >= gap)

    return Current(
        pair=by_pair.pairs[keep],
        level=ratings.level[chosen],
        source=ratings.source[chosen],
        rating=chosen,
        self_level=own,
        manager_level=manager,
        quiz_level=quiz,
        self_manager_disagree=apart(own, manager),
        self_quiz_disagree=apart(own, quiz),
        manager_quiz_disagree=apart(manager, quiz),
    )
