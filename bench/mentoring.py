"""Mentoring pairs at scale: a company of 100,000 people (a reporting tree, 12 departments,
15 sites, French, English and German, 13 competences), of whom 20,000 opt in as mentees and
5,000 as mentors (capacities 1–6; a few hundred people are both), then, in one run:

- Tremplin's optimal assignment (`compute.mentoring.optimal`: eligible pairs, then column
  generation proven optimal by LP duality);
- the greedy peer (`compute.mentoring.greedy`: the best remaining pair first);

each timed, both checked against the reporting tree itself (walking up the managers, not the
paths the module reads): no pair within one reporting line, nobody their own mentor, no mentor
over capacity, languages and sites respected.

    .venv/bin/python bench/mentoring.py                                # 20,000 × 5,000
    .venv/bin/python bench/mentoring.py --mentees 2000 --mentors 500   # a quick run
    .venv/bin/python bench/mentoring.py --seed 2

Last line: {"mentees", "mentors", "optimal_s", "optimal_score", "greedy_score",
"greedy_shortfall_pct", "greedy_s", "matched_optimal", "matched_greedy", "same_line_pairs",
"capacity_overruns", "peak_mb", …}.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tremplin.compute.hierarchy import encode_path, tree_paths  # noqa: E402
from tremplin.compute.mentoring import (  # noqa: E402
    Matching,
    Mentees,
    Mentors,
    eligible_pairs,
    greedy,
    optimal,
    same_line,
)

COMPETENCES = 13
DEPARTMENTS = 12
SITES = 15
SPAN = 8  # direct reports per manager, on average
BOTH = 300  # people who are mentee and mentor at once


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def company(people: int, n_mentees: int, n_mentors: int, seed: int
            ) -> tuple[np.ndarray, Mentees, Mentors]:  # fmt: skip
    """The reporting tree (`parent` index, −1 for the top) and the two sides. Person ids are
    index + 1."""
    rng = np.random.default_rng(seed)
    heap = (np.arange(1, people) - 1) // SPAN  # spans vary a little around SPAN
    parent = np.r_[-1, np.maximum(heap - rng.integers(0, 3, people - 1), 0)]
    # Departments are the subtrees under the top's reports; a team mostly sits on one site.
    department = np.zeros(people, dtype=np.int64)
    site = rng.integers(0, SITES, people)
    for k in range(1, people):
        department[k] = (k - 1) % DEPARTMENTS if parent[k] == 0 else department[parent[k]]
        if rng.random() < 0.8 and parent[k] > 0:
            site[k] = site[parent[k]]
    paths = tree_paths({k + 1: (int(parent[k]) + 1 if parent[k] >= 0 else None)
                        for k in range(people)}).paths  # fmt: skip
    chosen = rng.choice(people, n_mentees + n_mentors - BOTH, replace=False)
    mentee_rows = chosen[:n_mentees]
    mentor_rows = np.r_[chosen[n_mentees:], chosen[:BOTH]]

    def languages(count: int) -> np.ndarray:
        spoken = (rng.random((count, 3)) < [0.85, 0.6, 0.15]) * np.array([1, 2, 4])
        found = spoken.sum(axis=1)
        return np.where(found == 0, 1, found)

    current = rng.integers(0, 4, (n_mentees, COMPETENCES))
    current[rng.random(current.shape) < 0.1] = -1  # not assessed
    goal = rng.random(current.shape) < 4 / COMPETENCES
    target = np.where(goal, np.minimum(np.maximum(current, 0) + rng.integers(1, 3, current.shape),
                                       4), 0)  # fmt: skip
    mentees = Mentees(
        person=mentee_rows + 1,
        reporting_path=[encode_path(paths[int(k) + 1]) for k in mentee_rows],
        current=current,
        target=target,
        languages=languages(n_mentees),
        site=site[mentee_rows],
        remote=rng.random(n_mentees) < 0.5,
        department=department[mentee_rows],
    )
    level = rng.integers(0, 3, (n_mentors, COMPETENCES))
    strong = rng.random(level.shape) < 3.5 / COMPETENCES
    level[strong] = rng.integers(3, 5, int(strong.sum()))
    mentors = Mentors(
        person=mentor_rows + 1,
        reporting_path=[encode_path(paths[int(k) + 1]) for k in mentor_rows],
        level=level,
        capacity=rng.integers(1, 7, n_mentors),
        languages=languages(n_mentors),
        site=site[mentor_rows],
        remote=rng.random(n_mentors) < 0.5,
        department=department[mentor_rows],
    )
    return parent, mentees, mentors


def check(found: Matching, parent: np.ndarray, mentees: Mentees, mentors: Mentors
          ) -> dict[str, int]:  # fmt: skip
    """Rule breaches of an assignment, read from the tree and the raw fields."""
    i = np.flatnonzero(found.mentor_of >= 0)
    j = found.mentor_of[i]
    below, above = mentees.person[i] - 1, mentors.person[j] - 1
    same_line = below == above
    for start, other in ((below, above), (above, below)):  # walk up both ways
        up = parent[start]
        while (up >= 0).any():
            same_line |= up == other
            up = np.where(up >= 0, parent[np.maximum(up, 0)], -1)
    load = np.bincount(j, minlength=len(mentors.person))
    site_ok = ((mentees.site[i] == mentors.site[j]) |
               (mentees.remote[i] & mentors.remote[j]))  # fmt: skip
    return {
        "same_line_pairs": int(same_line.sum()),
        "capacity_overruns": int((load > mentors.capacity).sum()),
        "language_breaches": int(((mentees.languages[i] & mentors.languages[j]) == 0).sum()),
        "site_breaches": int((~site_ok).sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--mentees", type=int, default=20_000)
    parser.add_argument("--mentors", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    parent, mentees, mentors = company(options.people, options.mentees, options.mentors,
                                          options.seed)  # fmt: skip
    started = time.perf_counter()
    best = optimal(mentees, mentors)
    optimal_s = time.perf_counter() - started
    optimal_peak = peak_mb()
    started = time.perf_counter()
    peer = greedy(mentees, mentors)
    greedy_s = time.perf_counter() - started
    started = time.perf_counter()
    eligible_pairs(mentees, mentors)
    pairs_s = time.perf_counter() - started
    breaches = {key: a + b for (key, a), b in zip(check(best, parent, mentees, mentors).items(),
                check(peer, parent, mentees, mentors).values(), strict=True)}  # fmt: skip
    figures: dict[str, Any] = {
        "mentees": options.mentees, "mentors": options.mentors, "seed": options.seed,
        "seats": int(mentors.capacity.sum()), "eligible_pairs": best.eligible_pairs,
        "same_line_excluded": int(same_line(mentees, mentors).size),
        "pairs_s": round(pairs_s, 2),
        "optimal_s": round(optimal_s, 2), "optimal_rounds": best.rounds,
        "optimal_bound": round(best.bound or 0.0, 3),
        "optimal_score": best.total, "greedy_score": peer.total,
        "greedy_shortfall_pct": round(100 * (best.total - peer.total) / max(best.total, 1), 3),
        "greedy_s": round(greedy_s, 2),
        "matched_optimal": int((best.mentor_of >= 0).sum()),
        "matched_greedy": int((peer.mentor_of >= 0).sum()),
        **breaches,
        "peak_mb": optimal_peak, "peak_mb_with_greedy": peak_mb(),
    }  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
