"""Benchmark: a 10,000-person wave composed into mixed training groups, and 100,000 e-mails.

Groups. A generated wave: 10,000 people in 40 departments of uneven size spread over 6 sites,
each declaring an appetite for AI (30% enthusiastic, 25% sceptical, the rest neutral or silent,
the shares varying by department as they do in a real company); each department needs 4 of the
20 modules and each person 2 of their department's. Each module runs 30 sessions (600 in all)
over eight weeks, 40% of them in a room at one site (only that site's people can come), the
others by video; seats are the module's demand plus 20%, spread unevenly over its sessions;
half of the people are away for one week. Three compositions of the same wave, on the same
measures (`compute.groups.summary`, over all 600 groups):

- Tremplin's (`compute.groups.compose`);
- greedy: each person in turn (in a random order) to the session they can attend, with a seat
  left, where they add most to the mix: a department not there yet, then a site not there yet,
  then the fewest people of their appetite for its size;
- random: each person in turn to a random session they can attend with a seat left.

Run over several seeds (a new wave each); the figures are the means, with 95% intervals.

E-mails. 100,000 session invitations written to the outbox by `notifications.outbox.queue` (each
rendered in its recipient's language, text and HTML) on a throwaway PostgreSQL, then sent by
`send_due` to a local SMTP server (aiosmtpd, in another process) that counts what it receives:
the rate of writing, of sending, and of both one after the other (`emails_per_s`).

Last line: one JSON object.
Run: .venv/bin/python bench/sessions.py [--people N] [--seeds N] [--emails N]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tremplin.compute.groups import (
    ENTHUSIAST,
    NEUTRAL,
    SCEPTIC,
    Composition,
    Group,
    Member,
    compose,
    mix,
    summary,
)

DEPARTMENTS = 40
SITES = 6
MODULES = 20
SESSIONS_PER_MODULE = 30
WEEKS = 8


@dataclass
class Wave:
    people: dict[int, list[Member]]  # module -> the people who need it
    groups: dict[int, list[Group]]  # module -> its sessions


def generate(people: int, seed: int) -> Wave:
    rng = random.Random(seed)
    sizes = [rng.lognormvariate(0, 0.8) for _ in range(DEPARTMENTS)]
    department_of = rng.choices(range(DEPARTMENTS), weights=sizes, k=people)
    enthusiasm = [min(0.7, max(0.05, rng.gauss(0.3, 0.15))) for _ in range(DEPARTMENTS)]
    scepticism = [min(0.9 - e, max(0.05, rng.gauss(0.25, 0.12))) for e in enthusiasm]
    department_sites = [rng.sample(range(SITES), rng.randint(1, 3)) for _ in range(DEPARTMENTS)]
    popularity = [1 / (1 + m) ** 0.7 for m in range(MODULES)]  # a few modules everyone needs
    needs = [
        sorted(range(MODULES), key=lambda m: -(rng.random() ** (1 / popularity[m])))[:6]
        for _ in range(DEPARTMENTS)
    ]
    wanted: dict[int, list[tuple[int, int, int, int, int | None]]] = {m: [] for m in range(MODULES)}
    for key in range(people):
        d = department_of[key]
        roll = rng.random()
        appetite = (
            ENTHUSIAST if roll < enthusiasm[d] else
            SCEPTIC if roll < enthusiasm[d] + scepticism[d] else NEUTRAL
        )  # fmt: skip
        site = rng.choice(department_sites[d])
        away = rng.randrange(WEEKS) if rng.random() < 0.5 else None
        for m in rng.sample(needs[d], 2):
            wanted[m].append((key, appetite, d, site, away))
    wave = Wave({}, {})
    for m in range(MODULES):
        demand = len(wanted[m])
        # Sessions: a week, and for those in a room its site, where the module's people are
        # (None: by video).
        at = Counter(site for _key, _a, _d, site, _away in wanted[m])
        sessions = [
            (rng.randrange(WEEKS),
             rng.choices(list(at), weights=list(at.values()))[0] if rng.random() < 0.4 else None)
            for _ in range(SESSIONS_PER_MODULE)
        ]  # fmt: skip
        weights = [rng.uniform(0.6, 1.4) for _ in sessions]
        seats = [max(4, math.ceil(1.2 * demand * w / sum(weights))) for w in weights]
        wave.groups[m] = [Group(key=m * 1000 + i, seats=s) for i, s in enumerate(seats)]
        wave.people[m] = [
            Member(
                key,
                appetite,
                d,
                site,
                tuple(
                    i
                    for i, (week, room) in enumerate(sessions)
                    if week != away and room in (None, site)
                ),
            )
            for key, appetite, d, site, away in wanted[m]
        ]
    return wave


Choice = Callable[[Member, list[int], list[list[Member]]], int]


def one_by_one(people: Sequence[Member], groups: Sequence[Group], seed: int,
               choose: Choice) -> Composition:  # fmt: skip
    """Each person in turn, in a random order, to the group `choose` picks among those they can
    attend with a seat left."""
    rng = random.Random(seed)
    members: list[list[Member]] = [[] for _ in groups]
    placed, unplaced = {}, []
    for p in rng.sample(list(people), len(people)):
        open_ = [g for g in p.groups if len(members[g]) < groups[g].seats]
        if not open_:
            unplaced.append(p.key)
            continue
        g = choose(p, open_, members)
        members[g].append(p)
        placed[p.key] = groups[g].key
    return Composition(placed, unplaced, [mix(m) for m in members])


def greedy(people: Sequence[Member], groups: Sequence[Group], seed: int) -> Composition:
    departments: list[Counter[int]] = [Counter() for _ in groups]
    sites: list[Counter[int]] = [Counter() for _ in groups]
    appetite: list[Counter[int]] = [Counter() for _ in groups]

    def most_added(p: Member, open_: list[int], members: list[list[Member]]) -> int:
        g = min(open_, key=lambda g: (
            departments[g][p.department] > 0, sites[g][p.site] > 0,
            appetite[g][p.appetite] / groups[g].seats, len(members[g]) / groups[g].seats,
        ))  # fmt: skip
        departments[g][p.department] += 1
        sites[g][p.site] += 1
        appetite[g][p.appetite] += 1
        return g

    return one_by_one(people, groups, seed, most_added)


def at_random(people: Sequence[Member], groups: Sequence[Group], seed: int) -> Composition:
    rng = random.Random(seed + 1)
    return one_by_one(people, groups, seed, lambda _p, open_, _members: rng.choice(open_))


def check(wave: Wave, module: int, composition: Composition) -> int:
    """Capacity overruns and placements in a session the person cannot attend (both must be 0),
    counted from the placements alone, not from what the method says of itself."""
    groups = wave.groups[module]
    index = {g.key: i for i, g in enumerate(groups)}
    taken = Counter(composition.placed.values())
    overruns = sum(taken[g.key] > g.seats for g in groups)
    for p in wave.people[module]:
        if p.key in composition.placed and index[composition.placed[p.key]] not in p.groups:
            overruns += 1
    return overruns


METHODS = {
    "tremplin": lambda people, groups, seed: compose(people, groups, seed=seed),
    "greedy": greedy,
    "random": at_random,
}


def run_groups(people: int, seed: int) -> dict[str, Any]:
    wave = generate(people, seed)
    found: dict[str, Any] = {}
    for name, method in METHODS.items():
        started = time.perf_counter()
        results = {m: method(wave.people[m], wave.groups[m], seed) for m in wave.groups}
        elapsed = time.perf_counter() - started
        mixes = [x for r in results.values() for x in r.mixes]
        found[name] = {
            **summary(mixes),
            "seconds": elapsed,
            "unplaced": sum(len(r.unplaced) for r in results.values()),
            "overruns": sum(check(wave, m, r) for m, r in results.items()),
        }
    found["sessions"] = sum(len(g) for g in wave.groups.values())
    found["placements"] = sum(len(p) for p in wave.people.values())
    return found


def interval(values: list[float]) -> list[float]:
    """Mean ± 1.96 standard errors (t would be wider for few seeds: read it as indicative)."""
    mean = statistics.fmean(values)
    half = 1.96 * statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return [round(mean - half, 4), round(mean + half, 4)]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--emails", type=int, default=100_000)
    options = parser.parse_args()
    runs = []
    for seed in range(options.seeds):
        runs.append(run_groups(options.people, seed))
        log(json.dumps(runs[-1]))
    figures: dict[str, Any] = {"people": options.people, "sessions": runs[0]["sessions"]}
    figures["compose_s"] = round(max(r["tremplin"]["seconds"] for r in runs), 2)
    for measure in ("enthusiast_share_sd", "sceptic_share_sd", "departments_per_group",
                    "sites_per_group", "unplaced"):  # fmt: skip
        figures[measure] = {
            name: round(statistics.fmean(r[name][measure] for r in runs), 4) for name in METHODS
        }
        figures[f"{measure}_ci95"] = {
            name: interval([r[name][measure] for r in runs]) for name in METHODS
        }
    figures["tremplin_not_worse_than_greedy_in_every_seed"] = all(
        r["tremplin"]["enthusiast_share_sd"] <= r["greedy"]["enthusiast_share_sd"]
        and r["tremplin"]["departments_per_group"] >= r["greedy"]["departments_per_group"]
        for r in runs
    )
    figures["capacity_overruns"] = sum(r["tremplin"]["overruns"] for r in runs)
    figures["seeds"] = options.seeds
    if options.emails:
        from bench.session_emails import run_emails

        figures.update(run_emails(options.emails))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
