"""Gap matrices, group summaries and the priority skills of the year."""

from __future__ import annotations

import numpy as np

from tremplin.compute.gaps import (
    NOT_ASSESSED,
    gap_matrix,
    group_gaps,
    priority_skills,
    step_effort,
)


def three_people():  # type: ignore[no-untyped-def]
    # Two competences; family 0 targets (2, 3) with weights (1, 3); family 1 targets (1, 0).
    return gap_matrix(
        n_people=3,
        n_competences=2,
        level_person=np.array([0, 0, 1]),
        level_competence=np.array([0, 1, 0]),
        level_value=np.array([1, 3, 0]),
        person_family=np.array([0, 0, 1]),
        family_target=np.array([[2, 3], [1, 0]]),
        family_weight=np.array([[1.0, 3.0], [2.0, 1.0]]),
    )


def test_gap_is_target_minus_current_and_never_negative() -> None:
    matrix = three_people()
    assert matrix.current.tolist() == [[1, 3], [0, NOT_ASSESSED], [NOT_ASSESSED, NOT_ASSESSED]]
    # person 1 is not assessed in competence 1 and counts as level 0 there
    assert matrix.gap.tolist() == [[1, 0], [2, 3], [1, 0]]


def test_people_without_a_job_family_have_no_target() -> None:
    matrix = gap_matrix(1, 2, np.array([0]), np.array([0]), np.array([1]), np.array([-1]),
                        np.array([[4, 4]]), np.array([[1.0, 1.0]]))  # fmt: skip
    assert matrix.gap.tolist() == [[0, 0]]


def test_group_summary_counts_people_below_target_and_not_assessed() -> None:
    matrix = three_people()
    groups = group_gaps(matrix, np.array([0, 0, 1]), 3)
    assert groups.people.tolist() == [2, 1, 0]
    assert groups.below_target[0].tolist() == [2, 1]
    assert groups.not_assessed[0].tolist() == [0, 1]
    assert groups.mean_gap[0].tolist() == [1.5, 1.5]
    assert groups.mean_level[0].tolist() == [0.5, 3.0]
    assert np.isnan(groups.mean_gap[2]).all()


def test_priority_skills_rank_by_gap_times_weight_with_effort() -> None:
    # 100 people of one family: competence 0 gap 1 weight 1; competence 1 gap 2 weight 1.5.
    people = 100
    matrix = gap_matrix(
        people,
        3,
        np.repeat(np.arange(people), 3),
        np.tile(np.arange(3), people),
        np.tile([1, 0, 0], people),
        np.zeros(people, dtype=int),
        np.array([[2, 2, 1]]),
        np.array([[1.0, 1.5, 1.0]]),
    )
    # module 0: comp 0 from 1 to 2 in 4 h / 100 €; module 1: comp 1 from 0 to 2 in 6 h / 300 €
    step_hours, step_euros = step_effort(
        3, np.array([4.0, 6.0]), np.array([100.0, 300.0]), [(0, 0, 1, 2), (1, 1, 0, 2)]
    )
    ranked = priority_skills(matrix, step_hours, step_euros)
    assert [p.competence for p in ranked] == [1, 0, 2]
    first = ranked[0]
    assert first.score == 300.0 and first.people_with_gap == 100 and first.mean_gap == 2.0
    assert first.hours == 600.0 and first.euros == 30000.0
    assert ranked[1].hours == 400.0
    # no module covers competence 2: no effort counted, the people out of reach are reported
    assert ranked[2].hours == 0.0 and ranked[2].people_out_of_reach == 100
