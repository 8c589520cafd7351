"""The audit of tied variables across releases (`compute.tied`) on a case worked out by
hand: a newcomer's tier count could be 1 or 2 (no variable alone gives it away), but not 0,
so they have been assessed."""

from __future__ import annotations

import numpy as np

from tremplin.compute import tied
from tremplin.compute.temporal import Cell, Release, leaks
from tremplin.compute.tied import Ties
from tremplin.compute.tied import leaks as tied_leaks

K = 5
TIES = Ties("assessed", ("C1", "C2"), {"T": ("C1", "C2")})
LINKED = [set(), {"assessed", "C1", "C2", "T"}]


def _releases(low: float) -> list[Release]:
    """10 people assessed in C1 (not C2), the tier T counting 9 or 10 of them; a quarter
    later a newcomer, also assessed in C1: the 11 count `low` to 12 in T, the 10 who stayed
    9 or 10 (a second table holds them alone)."""
    values = {"assessed": np.ones(11), "C1": np.ones(11), "C2": np.zeros(11), "T": np.ones(11)}
    before = Release(np.arange(10, dtype=np.int64),
                     {"d": np.zeros(10, np.int64), "e": np.zeros(10, np.int64)},
                     {name: v[:10] for name, v in values.items()},
                     [Cell("d", 0, "T", 9, 10)])  # fmt: skip
    stayed = np.zeros(11, np.int64)
    stayed[10] = -1
    after = Release(np.arange(11, dtype=np.int64), {"d": np.zeros(11, np.int64), "e": stayed},
                    values, [Cell("d", 0, "T", low, 12), Cell("e", 0, "T", 9, 10)])  # fmt: skip
    return [before, after]


def test_a_tier_count_that_cannot_be_zero_gives_the_newcomer_away():
    """The 11 count 11 or 12 and the 10 who stayed at most 10: the newcomer counts 1 or 2
    in T. No variable alone is determined (the planted failure: the audit of each alone finds
    nothing); with the ties, "assessed" is, through every tied variable's figures."""
    releases = _releases(11)
    assert leaks(releases, LINKED, K, widths={"T": 2}) == []
    found = tied_leaks(releases, LINKED, K, {"T": 2}, TIES)
    assert [(leak.release, leak.variable, leak.people.tolist(), leak.value)
            for leak in found] == [(1, "assessed", [10], 1)]  # fmt: skip
    assert found[0].through == ("assessed", "C1", "C2", "T")


def test_with_room_for_none_nobody_is_given_away():
    """The 11 count 10 to 12: the newcomer may count 0."""
    assert tied_leaks(_releases(10), LINKED, K, {"T": 2}, TIES) == []


def test_ties_missing_a_part_are_not_audited():
    assert TIES.within(["assessed", "C1", "T"]) is None
    assert TIES.within(["assessed", "C1", "C2"]) == Ties("assessed", ("C1", "C2"), {})


def test_past_the_size_limit_a_count_that_cannot_be_zero_is_still_found(monkeypatch):
    """Above `tied.PEOPLE` people the ties are not audited together; `compute.nonzero` still
    finds the newcomer whose count in T cannot be 0, and nobody when it can."""
    monkeypatch.setattr(tied, "PEOPLE", 0)
    found = tied_leaks(_releases(11), LINKED, K, {"T": 2}, TIES)
    assert [(leak.release, leak.variable, leak.people.tolist(), leak.value, leak.through)
            for leak in found] == [(1, "assessed", [10], 1, ("T", "assessed"))]  # fmt: skip
    assert tied_leaks(_releases(10), LINKED, K, {"T": 2}, TIES) == []


def test_the_same_question_is_answered_from_memory_and_any_change_asks_again(monkeypatch):
    """The works council's and the executive sponsor's audits ask the same: the second is
    answered as the first, without auditing again; a release changed by one bound, a limit of
    work or the ties changed, is audited afresh (each would give another answer)."""
    asked: list[int] = []
    real = tied._leaks

    def counted(releases, *rest):
        asked.append(len(releases))
        return real(releases, *rest)

    monkeypatch.setattr(tied, "_leaks", counted)
    first = tied_leaks(_releases(11), LINKED, K, {"T": 2}, TIES)
    again = tied_leaks(_releases(11), LINKED, K, {"T": 2}, TIES)
    assert len(asked) == 1 and again == first
    assert tied_leaks(_releases(10), LINKED, K, {"T": 2}, TIES) == []  # one bound moved
    untied = TIES.within(["assessed", "C1", "C2"])  # no tier: nothing to give the newcomer away
    assert tied_leaks(_releases(11), LINKED, K, {"T": 2}, untied) == []
    monkeypatch.setattr(tied, "PEOPLE", 0)  # another limit: compute.nonzero answers
    assert tied_leaks(_releases(11), LINKED, K, {"T": 2}, TIES)[0].through == ("T", "assessed")
    assert len(asked) == 4
