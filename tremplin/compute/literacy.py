"""The AI Act Article 4 register: the AI-literacy measures in place for each person on a given
day, rebuilt from dated events (no state is read, so any past day gives what was true then),
and their coverage for the people concerned by each system and in each job family.

Measures, never results: a session attended, a module completed, the charter in force
acknowledged, the quiz taken — each with its latest date on or before the day. The register
states what was done, not whether anyone "passed".

Events are arrays: `person` (row index) and `day` (proleptic ordinal, `date.toordinal()`);
modules completed also carry the module's index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NONE = 0  # no date: the measure is not in place
MEASURES = ("sessions", "modules", "charter", "quiz")


@dataclass(frozen=True)
class Events:
    person: np.ndarray  # int64 row indices
    day: np.ndarray  # int64 ordinals
    module: np.ndarray | None = None  # int64 module indices, for modules completed


@dataclass(frozen=True)
class State:
    """Per person, on the day: latest date of each measure (NONE if none) and counts."""

    latest: dict[str, np.ndarray]  # measure -> (people,) int64 ordinal or NONE
    sessions: np.ndarray  # (people,) sessions attended so far
    modules: np.ndarray  # (people,) modules completed so far
    done: np.ndarray  # (people, modules) bool: each module completed by the day

    @property
    def any(self) -> np.ndarray:
        return np.logical_or.reduce([self.latest[m] != NONE for m in MEASURES])


@dataclass(frozen=True)
class Coverage:
    people: int
    with_any: int
    counts: dict[str, int]  # measure -> people with it
    required: int | None  # people who completed every module the system requires (None: none)


def state(n_people: int, n_modules: int, day: int, *, sessions: Events, modules: Events,
          charter: Events, quiz: Events) -> State:  # fmt: skip
    """What was in place on `day` (events after it are ignored). `charter` holds only
    acknowledgements of the version in force on the day."""
    latest = {}
    counts = {}
    for name, events in (("sessions", sessions), ("modules", modules), ("charter", charter),
                         ("quiz", quiz)):  # fmt: skip
        keep = events.day <= day
        last = np.full(n_people, NONE, dtype=np.int64)
        np.maximum.at(last, events.person[keep], events.day[keep])
        latest[name] = last
        counts[name] = np.bincount(events.person[keep], minlength=n_people)
    done = np.zeros((n_people, n_modules), dtype=bool)
    if modules.module is not None:
        keep = modules.day <= day
        done[modules.person[keep], modules.module[keep]] = True
    return State(latest, counts["sessions"], done.sum(axis=1), done)


def coverage(found: State, concerned: np.ndarray, required: np.ndarray) -> Coverage:
    """For the people at `concerned` (row indices) and the modules at `required`."""
    rows = np.unique(concerned)
    counts = {m: int((found.latest[m][rows] != NONE).sum()) for m in MEASURES}
    complete = (int(found.done[np.ix_(rows, required)].all(axis=1).sum())
                if required.size else None)  # fmt: skip
    return Coverage(int(rows.size), int(found.any[rows].sum()), counts, complete)
