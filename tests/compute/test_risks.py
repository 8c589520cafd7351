"""The self-diagnostic's arithmetic (compute.risks): scores per dimension and their levels, the
answers that signal a risk and the lines they propose, criticity and priority; checked by hand
on small cases and against a plain recomputation on random answers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.compute import risks
from tremplin.compute.risks import Statement

STATEMENTS = [
    Statement("a1", "a", 2), Statement("a2", "a", 3),
    Statement("b1", "b", 3), Statement("b2", "b", 1), Statement("b3", "b", 4),
]  # fmt: skip


def test_a_dimension_scores_the_mean_of_its_answers_and_its_level():
    scores = risks.dimension_scores(["a", "b"], STATEMENTS, {"a1": 1, "a2": 2, "b1": 4, "b2": 3})
    a, b = scores
    assert (a.mean, a.answered, a.total, a.level, a.signals) == (1.5, 2, 2, "low", ())
    assert (b.mean, b.answered, b.total, b.level) == (3.5, 2, 3, "high")
    assert b.signals == ("b1", "b2") and b.is_vigilance_point and not a.is_vigilance_point


def test_one_answer_that_signals_a_risk_makes_its_dimension_a_point_of_vigilance():
    (a,) = risks.dimension_scores(["a"], STATEMENTS, {"a1": 1, "a2": 3})  # mean 2.0
    assert a.level == "vigilance" and a.signals == ("a2",)
    (a,) = risks.dimension_scores(["a"], STATEMENTS, {"a1": 1, "a2": 1})
    assert a.level == "low"
    (a,) = risks.dimension_scores(["a"], STATEMENTS, {"a1": 2, "a2": 2})  # no signal, mean 2
    assert a.level == "vigilance"


def test_an_unanswered_dimension_has_no_score():
    (a,) = risks.dimension_scores(["a"], STATEMENTS, {})
    assert (a.mean, a.level, a.answered) == (None, "unanswered", 0)


def test_answers_off_the_scale_or_to_unknown_statements_are_left_out():
    answers = {"a1": 5, "a2": 0, "b1": "4", "b2": True, "zz": 4, "b3": 4}
    assert risks.clean_answers(STATEMENTS, answers) == {"b3": 4}
    assert risks.unanswered(STATEMENTS, answers) == ["a1", "a2", "b1", "b2"]
    assert risks.signals(STATEMENTS, answers) == ["b3"]


def test_each_signal_proposes_a_line_with_the_statements_severity_and_the_answer_as_likelihood():
    proposed = risks.proposals(STATEMENTS, {"a1": 2, "a2": 3, "b1": 4, "b2": 1, "b3": 3})
    assert [(p.statement, p.dimension, p.severity, p.likelihood) for p in proposed] == [
        ("a2", "a", 3, 3), ("b1", "b", 3, 4), ("b3", "b", 4, 3)]  # fmt: skip


def test_criticity_is_severity_times_likelihood_graded_one_to_four():
    assert risks.criticity(3, 4) == 12 and risks.criticity(1, 1) == 1
    for bad in ((0, 2), (2, 5), (4, -1)):
        with pytest.raises(ValueError, match="graded 1 to 4"):
            risks.criticity(*bad)


def test_priority_bands():
    assert [risks.priority(risks.criticity(s, lk)) for s, lk in
            ((1, 1), (2, 2), (1, 4), (2, 3), (4, 2), (3, 3), (4, 4))] == [
        "low", "low", "low", "medium", "medium", "high", "high"]  # fmt: skip


@given(st.dictionaries(st.sampled_from([s.key for s in STATEMENTS]), st.integers(-2, 6)))
def test_scores_match_a_plain_recomputation(answers):
    scores = {s.dimension: s for s in risks.dimension_scores(["a", "b"], STATEMENTS, answers)}
    for dimension in ("a", "b"):
        values = [answers[s.key] for s in STATEMENTS
                  if s.dimension == dimension and 1 <= answers.get(s.key, 0) <= 4]  # fmt: skip
        score = scores[dimension]
        assert score.answered == len(values)
        if values:
            assert score.mean == pytest.approx(sum(values) / len(values), abs=0.005)
        assert len(score.signals) == sum(v >= 3 for v in values)
        assert (score.level in ("vigilance", "high")) == bool(
            values and (sum(values) / len(values) >= 2 or max(values) >= 3)
        )
