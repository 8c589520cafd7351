"""Which figure the audit across releases closes for a leak of an earlier date about someone
who has left since (`compute.across.carried`): a figure of a group carrying on one of theirs,
not of the smallest group holding one of their colleagues (as until 2026-12-06: on the
500-person bench's next quarter, closing those round after round left the leak open and hid
160 figures out of rounds)."""

from __future__ import annotations

import numpy as np

from tremplin.compute import across
from tremplin.compute.audiences import Split, assemble
from tremplin.compute.publication import VISIBLE, Publication
from tremplin.compute.variables import PersonData, variables_of

K = 10


def _publication(people: np.ndarray) -> tuple[Publication, PersonData]:
    """Of 61 people, `people`: departments D0 (0–29, and 60) and D1 (30–59); families F0
    (25–40: 5 of D0, 11 of D1) and F1 (the others, 60 among them). Every other person
    assessed in every competence."""
    n = 61
    everyone = np.arange(n)
    dept = ((everyone >= 30) & (everyone < 60)).astype(int)
    fam = np.where((everyone >= 25) & (everyone <= 40), 0, 1)
    levels = np.full((1, n, 2), -1, np.int8)
    levels[0, ::2] = 3
    m = people.size
    no = np.zeros(m, bool)
    data = PersonData(levels=levels[:, people], target=np.full((m, 2), 3), codes=["C1", "C2"],
                      tiers={"T1": [0, 1]}, plan_agreed=no, engaged=no,
                      disagree=np.zeros((m, 2), bool), modules_done=np.zeros(m),
                      modules_planned=np.zeros(m), cost_done=np.zeros(m),
                      hours_done=np.zeros(m))  # fmt: skip
    splits = [Split("department", dept[people], ["D0", "D1"]),
              Split("family", fam[people], ["F0", "F1"])]  # fmt: skip
    pub, _report = assemble("cse", K, splits, data, range(1))
    return pub, data


def _changed(pub: Publication, name: str) -> set[tuple[str, int]]:
    found = set()
    for t, table in enumerate(pub.tables):
        if (t, name, 0) in pub.reason:
            moved = pub.reason[(t, name, 0)] != VISIBLE
            moved |= pub.widened.get((t, name, 0), np.zeros(table.n_groups)) != 0
            found |= {(table.key, g) for g in np.flatnonzero(moved).tolist()}
    return found


def test_a_leavers_groups_carried_on_are_closed_not_their_colleagues_smallest():
    """Person 60 (D0, 31 people then; F1) has left. D0's colleagues include 5 of F0, the
    smallest group (16) holding one of them: not the leaver's, so closing it does nothing
    for them. The groups carrying theirs on are D0 (30 now) and F1 (34 now): D0 is closed."""
    then, data = _publication(np.arange(61))
    earlier = across.release(then, 0, variables_of(data)[1], np.arange(61), ["assessed"])
    now, _data = _publication(np.arange(60))
    held = across.carried(now, np.arange(60), earlier, np.array([60]))
    assert {key: np.flatnonzero(mask).tolist() for key, mask in held.items()} == {
        "by-total": [0], "by-department": [0], "by-family": [1]}  # fmt: skip
    untouched = _changed(now, "assessed")
    assert across.close(now, "assessed", held, 0)
    assert _changed(now, "assessed") - untouched == {("by-department", 0)}
    planted, _data = _publication(np.arange(60))  # the colleagues' groups, as until then
    assert across.close(planted, "assessed", across.holding(planted, np.arange(30)), 0)
    assert _changed(planted, "assessed") - untouched == {("by-family", 0)}


def test_one_person_here_has_the_smallest_group_holding_them_closed():
    pub, _data = _publication(np.arange(61))
    untouched = _changed(pub, "assessed")
    assert across.close(pub, "assessed", across.holding(pub, np.array([30])), 0)  # D1, F0
    assert _changed(pub, "assessed") - untouched == {("by-family", 0)}
