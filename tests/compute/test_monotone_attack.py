"""The tests' attacker across releases (`monotone_attack.pinned`) on the case of
`test_temporal`'s worked-out group fact: it grants a fact the figures together state about a
whole group, and no part of one."""

from __future__ import annotations

from tests.compute.monotone_attack import pinned

K = 10
PEOPLE = [f"P{i:02}" for i in range(20)]


def _figure(members: range, value: float, precision: float, period: str) -> dict[str, object]:
    return {"numerator": "quiz", "denominator": "one", "value": value, "precision": precision,
            "members": [PEOPLE[i] for i in members], "period": period}  # fmt: skip


def _reading(second: tuple[float, float], periods: tuple[str, ...]) -> dict[str, object]:
    """20 people, the first 10 of whom took the quiz: their family shown as 9 or 10, two teams
    (5 of them and 5 others each) as 5 and as `second` (value, precision), the 10 others' site
    as none."""
    figures = []
    for q in periods:
        figures += [_figure(range(10), 0.95, 0.1, q),
                    _figure([*range(5), *range(10, 15)], 0.5, 0.01, q),  # type: ignore[list-item]
                    _figure([*range(5, 10), *range(15, 20)], *second, q),  # type: ignore[list-item]
                    _figure(range(10, 20), 0.0, 0.01, q)]  # fmt: skip
    return {"figures": figures}


def test_a_fact_worked_out_about_a_whole_group_is_granted_and_a_part_of_one_is_not():
    periods = ("q1", "q2")
    assert pinned([_reading((0.5, 0.01), periods)], ["quiz"], K) == []
    found = pinned([_reading((0.45, 0.1), periods)], ["quiz"], K)
    assert sorted(found) == [(PEOPLE[i], "quiz", q, 1) for i in range(5) for q in periods]
