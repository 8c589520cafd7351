from datetime import date

import pytest

from tremplin.compute.consolidation import RatingFact, consolidate

counter = iter(range(1, 10_000))


def fact(source, level, day, month=1, year=2026):
    return RatingFact(next(counter), source, level, date(year, month, day), next(counter))


def test_nothing_to_consolidate():
    assert consolidate([]) is None


def test_objective_evidence_outranks_manager_and_self():
    ratings = [fact("self", 4, 20), fact("manager", 3, 15), fact("quiz", 2, 1)]
    assert consolidate(ratings).level == 2
    ratings.append(fact("evidence", 3, 2))
    result = consolidate(ratings)
    assert (result.level, result.source) == (3, "evidence")


def test_manager_outranks_self_and_the_most_recent_wins_within_a_rank():
    ratings = [fact("self", 1, 1), fact("manager", 2, 2), fact("interview", 3, 10)]
    result = consolidate(ratings)
    assert (result.level, result.source) == (3, "interview")


def test_same_day_ratings_follow_the_order_they_were_recorded():
    first = fact("manager", 1, 5)
    second = fact("manager", 3, 5)
    assert consolidate([second, first]).level == 3


def test_old_evidence_gives_way_to_recent_ratings():
    ratings = [fact("evidence", 1, 1, year=2023), fact("manager", 3, 1, year=2026)]
    assert consolidate(ratings, today=date(2026, 6, 1), max_age_days=730).level == 3
    only_old = [fact("evidence", 1, 1, year=2023)]
    assert consolidate(only_old, today=date(2026, 6, 1), max_age_days=730).level == 1


def test_disagreements_are_flagged_at_two_levels():
    result = consolidate([fact("self", 4, 1), fact("manager", 2, 2), fact("quiz", 3, 3)])
    assert result.self_manager_disagree and not result.self_quiz_disagree
    result = consolidate([fact("self", 1, 1), fact("manager", 2, 2), fact("quiz", 3, 3)])
    assert not result.self_manager_disagree and result.self_quiz_disagree
    assert (result.self_level, result.manager_level, result.quiz_level) == (1, 2, 3)


def test_only_the_latest_self_rating_counts_for_the_flag():
    ratings = [fact("self", 4, 1), fact("manager", 1, 2), fact("self", 2, 3)]
    assert not consolidate(ratings).self_manager_disagree


def test_unknown_source_is_refused():
    with pytest.raises(ValueError):
        consolidate([fact("gossip", 2, 1)])
