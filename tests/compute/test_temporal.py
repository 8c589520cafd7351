"""The audit across releases on cases worked out by hand: a newcomer to a group whose count
cannot go down is given away by two rounded ranges that each protect the group alone."""

from __future__ import annotations

import numpy as np

from tremplin.compute.temporal import Cell, Release, leaks

K = 10


def _release(people: int, low: float, high: float, taken: int) -> Release:
    ids = np.arange(people, dtype=np.int64)
    values = np.zeros(people)
    values[:taken] = 1
    return Release(ids, {"family": np.zeros(people, np.int64)}, {"quiz": values},
                   [Cell("family", 0, "quiz", low, high)])  # fmt: skip


def test_a_newcomer_is_given_away_by_two_quarters_read_together():
    """12 people, 6 or 7 of whom took the quiz; a quarter later 13 people, 5 or 6: the 12 who
    stayed still count at least 6, so the newcomer has not taken it."""
    before, after = _release(12, 6, 7, 6), _release(13, 5, 6, 6)
    found = leaks([before, after], [set(), {"quiz"}], K)
    assert [(leak.release, leak.variable, leak.people.tolist(), leak.value)
            for leak in found] == [(1, "quiz", [12], 0)]  # fmt: skip


def test_without_the_link_or_with_room_in_the_ranges_nobody_is_given_away():
    before, after = _release(12, 6, 7, 6), _release(13, 5, 6, 6)
    assert leaks([before, after], [set(), set()], K) == []  # the quiz could be undone
    assert leaks([before, _release(13, 6, 8, 6)], [set(), {"quiz"}], K) == []


def test_a_group_level_fact_is_not_a_leak():
    """Everyone of 12 took it, and later everyone of 13: a fact about the group, shown as
    such; the newcomer's value is the group's."""
    before, after = _release(12, 12, 12, 12), _release(13, 13, 13, 13)
    assert leaks([before, after], [set(), {"quiz"}], K) == []


def test_a_leaver_is_given_away_too():
    """13 people with 7 or 8 takers, then the 12 who stayed with 5 or 6: they had at most 6
    before, so the one who left had taken it."""
    before = _release(13, 7, 8, 7)
    before.values["quiz"][:] = 0
    before.values["quiz"][[0, 1, 2, 3, 4, 5, 12]] = 1
    after = _release(12, 5, 6, 6)
    found = leaks([before, after], [set(), {"quiz"}], K)
    assert [(leak.release, leak.people.tolist(), leak.value) for leak in found] == [(0, [12], 1)]


def test_a_count_of_several_values_a_person_is_audited_too():
    """A tier's count of competences assessed (0 to 2 a person, never going down): 12 people
    counting 12 or 13, then 13 people counting 11 or 12. The 12 who stayed still count at
    least 12, so the newcomer has assessed none; with room in the later range, nobody is
    given away."""

    def tier(people: int, low: float, high: float) -> Release:
        found = _release(people, low, high, 0)
        found.values["quiz"][:12] = np.repeat([2, 0], 6)  # 12 in all, the newcomer none
        return found

    before, after = tier(12, 12, 13), tier(13, 11, 12)
    found = leaks([before, after], [set(), {"quiz"}], K, widths={"quiz": 2})
    assert [(leak.release, leak.people.tolist(), leak.value) for leak in found] == [(1, [12], 0)]
    assert leaks([before, tier(13, 11, 14)], [set(), {"quiz"}], K, widths={"quiz": 2}) == []


def _halves(second: tuple[float, float]) -> Release:
    """20 people: a family of the first 10, all of whom took the quiz, shown as 9 or 10; two
    teams, each 5 of them and 5 of the 10 others, shown as 5 and as `second`; a site of the
    10 others, shown as none."""
    ids = np.arange(20, dtype=np.int64)
    values = (ids < 10).astype(np.float64)
    family = np.where(ids < 10, 0, -1)
    team = np.array([0] * 5 + [1] * 5 + [0] * 5 + [1] * 5)
    site = np.where(ids < 10, -1, 0)
    cells = [Cell("family", 0, "quiz", 9, 10), Cell("team", 0, "quiz", 5, 5),
             Cell("team", 1, "quiz", *second), Cell("site", 0, "quiz", 0, 0)]  # fmt: skip
    return Release(ids, {"family": family, "team": team, "site": site}, {"quiz": values},
                   cells)  # fmt: skip


def test_a_group_level_fact_is_worked_out_from_proven_counts_only():
    """The site's none gives each team's five of the family at 5: the whole family, 10
    people, took the quiz, a fact about the group no figure states but the figures together
    do. `temporal` alone still calls both halves leaks; known proven (as `compute.tied` asks),
    they make the family a fact at both releases. With one half not known (only taken as
    determined at a limit of work), nothing is granted; with the second team's range one
    wider, only the first five are pinned."""
    from tremplin.compute import temporal

    linked = [set(), {"quiz"}]
    found = leaks([_halves((5, 5)), _halves((5, 5))], linked, K)
    assert {(leak.release, tuple(leak.people.tolist())) for leak in found} == {
        (r, tuple(range(5 * h, 5 * h + 5))) for r in (0, 1) for h in (0, 1)}  # fmt: skip
    model = temporal._model([_halves((5, 5))] * 2, linked, "quiz", 1)
    halves = {(a, r) for a in range(len(model.people)) for r in (0, 1)
              if model.people[a].max() < 10}  # fmt: skip
    later, earlier = temporal.chains(model)
    assert halves <= temporal._facts(model, K, later, earlier, halves)
    first = {(a, r) for a, r in halves if model.people[a].max() < 5}
    assert not halves & temporal._facts(model, K, later, earlier, first)
    found = leaks([_halves((4, 5)), _halves((4, 5))], linked, K)
    assert [(leak.release, leak.people.tolist(), leak.value) for leak in found] == [
        (0, [0, 1, 2, 3, 4], 5), (1, [0, 1, 2, 3, 4], 5)]  # fmt: skip
