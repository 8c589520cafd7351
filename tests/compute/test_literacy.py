"""The Article 4 measures rebuilt for a day, against a plain reading of the events, and the
coverage of the people concerned."""

from __future__ import annotations

import numpy as np
import pytest

from tremplin.compute import literacy


def _events(rng, n, count, modules=0):
    person = rng.integers(0, n, count)
    day = rng.integers(1000, 1100, count)
    module = rng.integers(0, modules, count) if modules else None
    return literacy.Events(person, day, module)


def _plain(events, n, day):
    latest = [0] * n
    for p, d in zip(events.person.tolist(), events.day.tolist(), strict=True):
        if d <= day:
            latest[p] = max(latest[p], d)
    return latest


@pytest.mark.parametrize("seed", range(20))
def test_the_state_of_a_day_is_what_the_events_up_to_it_say(seed):
    rng = np.random.default_rng(seed)
    n, m = 12, 4
    events = {name: _events(rng, n, 30, m if name == "modules" else 0)
              for name in literacy.MEASURES}  # fmt: skip
    day = int(rng.integers(1000, 1100))
    found = literacy.state(n, m, day, **events)
    for name in literacy.MEASURES:
        assert found.latest[name].tolist() == _plain(events[name], n, day), name
    sessions = events["sessions"]
    assert found.sessions.tolist() == [
        sum(1 for p, d in zip(sessions.person, sessions.day, strict=True) if p == i and d <= day)
        for i in range(n)
    ]
    modules = events["modules"]
    done = {(p, k) for p, k, d in zip(modules.person, modules.module, modules.day, strict=True)
            if d <= day}  # fmt: skip
    assert found.modules.tolist() == [len({k for p, k in done if p == i}) for i in range(n)]
    required = np.array([0, 2])
    concerned = np.arange(0, n, 2)
    cover = literacy.coverage(found, concerned, required)
    assert cover.people == len(concerned)
    assert cover.required == sum(1 for i in concerned if {(i, 0), (i, 2)} <= done)
    assert cover.with_any == sum(1 for i in concerned
                                 if any(found.latest[m][i] for m in literacy.MEASURES))  # fmt: skip


def test_nothing_after_the_day_counts():
    one = literacy.Events(np.array([0, 0]), np.array([10, 20]))
    empty = literacy.Events(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    modules = literacy.Events(np.array([0]), np.array([15]), np.array([0]))
    found = literacy.state(2, 1, 12, sessions=one, modules=modules, charter=empty, quiz=empty)
    assert found.latest["sessions"].tolist() == [10, 0] and found.sessions.tolist() == [1, 0]
    assert found.modules.tolist() == [0, 0] and not found.done.any()
    assert found.any.tolist() == [True, False]
