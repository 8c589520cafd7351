"""The one consolidation rule, against a plain reference written from the rule's statement."""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.compute import consolidation as rule
from tremplin.compute.consolidation import NOT_ASSESSED, Ratings, current, levels_over_time


@dataclass(frozen=True)
class Row:
    source: str
    level: int
    day: int
    weak: bool = False


def reference_rank(row: Row) -> int:
    """The rule as users read it: certification, precise quiz, manager / interview / confirmed
    training, imprecise quiz, self / declared training."""
    if row.source == "evidence":
        return 5
    if row.source == "quiz":
        return 2 if row.weak else 4
    if row.source in ("manager", "interview"):
        return 3
    if row.source == "training":
        return 1 if row.weak else 3
    return 1


def reference_level(rows: list[Row], today: int, max_age: int | None) -> int | None:
    known = [(i, r) for i, r in enumerate(rows) if r.day <= today]
    if not known:
        return None
    recent = [(i, r) for i, r in known if max_age is None or today - r.day <= max_age]
    pool = recent or known
    best = max(reference_rank(r) for _, r in pool)
    _, chosen = max(((i, r) for i, r in pool if reference_rank(r) == best),
                    key=lambda t: (t[1].day, t[0]))  # fmt: skip
    return chosen.level


def reference_latest(rows: list[Row], today: int, sources: set[str], strong: bool) -> int | None:
    picked = [(r.day, i, r.level) for i, r in enumerate(rows)
              if r.source in sources and r.day <= today and not (strong and r.weak)]  # fmt: skip
    return max(picked)[2] if picked else None


def arrays(by_pair: list[list[Row]]) -> Ratings:
    """The pairs' rows interleaved in recording order (pair 0's first row, pair 1's first…)."""
    entries = []
    for pair, rows in enumerate(by_pair):
        entries += [(i, pair, row) for i, row in enumerate(rows)]
    entries.sort(key=lambda e: (e[0], e[1]))
    return Ratings.of(
        [pair for _, pair, _ in entries],
        [rule.CODE[row.source] for _, _, row in entries],
        [row.day for _, _, row in entries],
        [row.level for _, _, row in entries],
        [row.weak for _, _, row in entries],
    )


rows = st.builds(
    Row, st.sampled_from(rule.SOURCES), st.integers(0, 4), st.integers(0, 60), st.booleans()
)
pairs = st.lists(st.lists(rows, max_size=8), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(pairs, st.lists(st.integers(-5, 70), min_size=1, max_size=4), st.sampled_from([None, 20]))
def test_levels_over_time_follow_the_stated_rule(by_pair, as_of, max_age):
    got = levels_over_time(arrays(by_pair), len(by_pair), np.array(as_of), max_age)
    for t, today in enumerate(as_of):
        for p, rows_of_pair in enumerate(by_pair):
            expected = reference_level(rows_of_pair, today, max_age)
            assert got[t, p] == (NOT_ASSESSED if expected is None else expected)


@settings(max_examples=300, deadline=None)
@given(pairs, st.integers(0, 70))
def test_current_levels_and_flags_follow_the_stated_rule(by_pair, today):
    ratings = arrays(by_pair)
    found = current(ratings, today, max_age_days=20)
    expected_pairs = [p for p, r in enumerate(by_pair) if reference_level(r, today, 20) is not None]
    assert found.pair.tolist() == expected_pairs
    for n, p in enumerate(expected_pairs):
        rows_of_pair = by_pair[p]
        assert found.level[n] == reference_level(rows_of_pair, today, 20)
        chosen = found.rating[n]
        assert ratings.pair[chosen] == p and ratings.level[chosen] == found.level[n]
        own = reference_latest(rows_of_pair, today, {"self"}, strong=False)
        manager = reference_latest(rows_of_pair, today, {"manager", "interview"}, strong=False)
        quiz = reference_latest(rows_of_pair, today, {"quiz"}, strong=True)

        def apart(a, b):
            return a is not None and b is not None and abs(a - b) >= 2

        def shown(value):
            return NOT_ASSESSED if value is None else value

        assert (found.self_level[n], found.manager_level[n], found.quiz_level[n]) == (
            shown(own), shown(manager), shown(quiz))  # fmt: skip
        assert found.self_manager_disagree[n] == apart(own, manager)
        assert found.self_quiz_disagree[n] == apart(own, quiz)
        assert found.manager_quiz_disagree[n] == apart(manager, quiz)


def one_pair(*rows_of_pair: Row, today: int = 100):
    return current(arrays([list(rows_of_pair)]), today)


def test_a_precise_quiz_replaces_the_manager_and_an_imprecise_one_does_not():
    found = one_pair(Row("manager", 4, 10), Row("quiz", 1, 20))
    assert found.level[0] == 1 and rule.SOURCES[found.source[0]] == "quiz"
    found = one_pair(Row("manager", 4, 10), Row("quiz", 1, 20, weak=True))
    assert found.level[0] == 4 and rule.SOURCES[found.source[0]] == "manager"


def test_a_random_retake_raises_a_flag_for_the_manager_and_the_person():
    """Thirteen manager-confirmed 4s, then a precise retake at 1: the flag is raised."""
    by_pair = [[Row("manager", 4, 10), Row("quiz", 1, 50)] for _ in range(13)]
    found = current(arrays(by_pair), 60)
    assert found.manager_quiz_disagree.all() and not found.self_quiz_disagree.any()
    imprecise = [[Row("manager", 4, 10), Row("quiz", 1, 50, weak=True)] for _ in range(13)]
    found = current(arrays(imprecise), 60)
    assert (found.level == 4).all() and not found.manager_quiz_disagree.any()


def test_a_declared_completion_counts_as_self_until_confirmed():
    declared = Row("training", 3, 30, weak=True)
    found = one_pair(Row("manager", 1, 10), declared)
    assert found.level[0] == 1  # the manager's rating stands
    found = one_pair(Row("self", 0, 10), declared)
    assert found.level[0] == 3  # as recent as a self-assessment: the latest wins
    found = one_pair(Row("manager", 1, 10), declared, Row("training", 3, 30))
    assert found.level[0] == 3 and rule.SOURCES[found.source[0]] == "training"


def test_evidence_dated_after_the_day_does_not_exist_yet():
    found = one_pair(Row("manager", 2, 10), Row("evidence", 4, 200), today=100)
    assert found.level[0] == 2
    assert one_pair(Row("evidence", 4, 200), today=100).pair.size == 0


def test_old_evidence_gives_way_to_recent_ratings_unless_nothing_newer_exists():
    old, recent = Row("evidence", 1, 0), Row("manager", 3, 1000)
    assert one_pair(old, recent, today=1100).level[0] == 3
    assert one_pair(old, today=1100).level[0] == 1
    assert one_pair(old, recent, today=500).level[0] == 1  # the manager's is not there yet


def test_same_day_ratings_follow_the_order_they_were_recorded():
    assert one_pair(Row("manager", 1, 5), Row("manager", 3, 5)).level[0] == 3
    assert one_pair(Row("manager", 3, 5), Row("manager", 1, 5)).level[0] == 1


def test_dates_work_as_ordinals():
    day = date(2026, 3, 1).toordinal()
    found = current(Ratings.of([0], [rule.CODE["self"]], [day], [2]), date(2026, 3, 2).toordinal())
    assert found.level.tolist() == [2]


@pytest.mark.parametrize(
    "bad",
    [
        {"source": [9]},
        {"level": [5]},
        {"level": [-1]},
        {"day": [1, 2]},
    ],
)
def test_malformed_ratings_are_refused(bad):
    fields = {"pair": [0], "source": [0], "day": [1], "level": [2]}
    fields.update(bad)
    with pytest.raises(ValueError):
        Ratings.of(**fields)
