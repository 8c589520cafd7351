"""Benchmark of the company dashboards audited across releases (`compute.across`): the works
council's publication of bench/privacy.py's company (10,000 people by default; 13 periods: 12
quarter ends and the day), then the next quarter's, a quarter later: 1 % of the people left,
1 % hired (in units, families and sites drawn like everyone's; 30 % of them assessed by the
quarter end, 50 % by the day), 1 % moved to another unit, a few more assessed. The second
publication's new dates (the quarter end and the day; the 11 earlier quarter ends frozen) are
audited with the 13 releases of the first. The first publication's own dates are audited
first (together, each variable alone, and each date with the ties: `compute.across`). Prints
each audit's time, how many figures it widened or hid, and the peak memory; last line one
JSON object.

    .venv/bin/python bench/releases_across.py [--people 10000]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import time
from dataclasses import replace

import numpy as np
from company import generate_company, log, peak_mb
from privacy import FAMILIES, PERIODS, company_splits, person_data, subset, targets

from tremplin.compute import across
from tremplin.compute.audiences import assemble
from tremplin.compute.publication import Publication
from tremplin.compute.variables import PersonData, ties_of, variables_of


def _dates() -> list[dt.date]:
    """13 quarter ends, 2024-03-31 to 2027-03-31."""
    ends = []
    year, month = 2023, 12
    for _ in range(13):
        month += 3
        if month > 12:
            year, month = year + 1, month - 12
        ends.append((dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1))
    return ends


def shown_at(pub: Publication, periods: list[int]) -> dict[tuple[int, str, int], np.ndarray]:
    """Each figure's (shown, step) at `periods`, to count what the audit changed."""
    found = {}
    for t, table in enumerate(pub.tables):
        for measure in table.measures:
            for p in table.periods_of(measure):
                if p in periods:
                    shown = pub.shown(t, measure, p)
                    found[(t, measure.key, p)] = np.where(shown, pub.steps(t, measure, p), -1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument(
        "--no-ties",
        action="store_true",
        help="each variable alone, not the ties between them (compute.tied)",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    company = generate_company(rng, args.people, FAMILIES)
    data = person_data(rng, company, targets(rng))
    n = company.people
    ends = _dates()
    days = [*ends[:12], ends[11] + dt.timedelta(days=5)]  # 12 quarter ends, then the day
    started = time.perf_counter()
    first, _report = assemble("cse", args.k, company_splits(company, data, np.arange(n)), data,
                              range(PERIODS))  # fmt: skip
    first_s = time.perf_counter() - started
    names = across.linked(first)
    value, ids = variables_of(data)[1], np.arange(n, dtype=np.int64)
    started = time.perf_counter()
    every = list(range(PERIODS))
    first_before = shown_at(first, every)
    first_ties = None if args.no_ties else ties_of(data)
    earlier = across.audit(first, dict(enumerate(days)), value, ids, names, [], args.k,
                           ties=first_ties)  # fmt: skip
    releases_s = time.perf_counter() - started
    first_after = shown_at(first, every)
    first_hidden = sum(int(((first_before[key] >= 0) & (first_after[key] < 0)).sum())
                       for key in first_before)  # fmt: skip
    log(f"first publication {first_s:.1f} s, its {len(earlier)} releases audited "
        f"{releases_s:.1f} s ({first_hidden} figures hidden)")  # fmt: skip

    # A quarter later: leavers, newcomers (drawn like existing people), movers.
    hired = max(1, n // 100)
    stay = np.sort(rng.choice(n, n - n // 100, replace=False))
    like = rng.choice(n, hired)
    moved = rng.choice(stay.size, n // 100, replace=False)
    unit = np.concatenate([company.unit, company.unit[like]])
    unit[stay[moved]] = company.unit[rng.choice(n, moved.size)]
    family = np.concatenate([company.family, company.family[like]])
    grown = replace(company, unit=unit, family=family,
                    site=np.concatenate([company.site, company.site[like]]))  # fmt: skip
    people = np.concatenate([stay, np.arange(n, n + hired)])
    old = subset(data, stay)
    later = old.levels[-1].copy()  # the day: a few more assessed since the quarter end
    late = (later < 0) & (rng.random(later.shape) < 0.02)
    later[late] = rng.integers(0, 5, int(late.sum()))
    # q2…q12, the new quarter end (as the first publication's day), the new day.
    kept = np.concatenate([old.levels[1:], later[None]], axis=0)
    fresh = np.full((PERIODS, hired, kept.shape[2]), -1, dtype=kept.dtype)
    for share, period in ((0.3, PERIODS - 2), (0.5, PERIODS - 1)):
        some = np.flatnonzero(rng.random(hired) < share)
        fresh[period:, some] = rng.integers(0, 5, (1, some.size, kept.shape[2]))
    levels = np.concatenate([kept, fresh], axis=1)
    second_data = PersonData(
        levels=levels, target=np.concatenate([old.target, data.target[like]]), codes=data.codes,
        tiers=data.tiers, plan_agreed=np.concatenate([old.plan_agreed, data.plan_agreed[like]]),
        engaged=np.concatenate([old.engaged, data.engaged[like]]),
        disagree=np.concatenate([old.disagree, data.disagree[like]]),
        modules_done=np.concatenate([old.modules_done, np.zeros(hired)]),
        modules_planned=np.concatenate([old.modules_planned, np.zeros(hired)]),
        cost_done=np.concatenate([old.cost_done, np.zeros(hired)]),
        hours_done=np.concatenate([old.hours_done, np.zeros(hired)]),
    )  # fmt: skip
    second_days = [*ends[1:13], ends[12] + dt.timedelta(days=5)]
    second, _report = assemble("cse", args.k, company_splits(grown, second_data, people),
                               second_data, range(PERIODS))  # fmt: skip
    new = {PERIODS - 2: second_days[-2], PERIODS - 1: second_days[-1]}
    before = shown_at(second, list(new))
    untouched = copy.deepcopy(second)
    started = time.perf_counter()
    ties = None if args.no_ties else ties_of(second_data)
    across.audit(second, new, variables_of(second_data)[1], people.astype(np.int64), names,
                 earlier, args.k, ties=ties)  # fmt: skip
    audit_s = time.perf_counter() - started
    after = shown_at(second, list(new))
    figures = sum(int((b >= 0).sum()) for b in before.values())
    changed = sum(int((before[key] != after[key]).sum()) for key in before)
    hidden = sum(int(((before[key] >= 0) & (after[key] < 0)).sum()) for key in before)
    del untouched
    result = {"people": n, "left": n - stay.size, "hired": hired, "moved": int(moved.size),
              "linked_variables": len(names), "ties": ties is not None,
              "earlier_releases": len(earlier),
              "first_publication_s": round(first_s, 1), "first_releases_s": round(releases_s, 1),
              "first_hidden_by_audit": first_hidden,
              "audit_s": round(audit_s, 1), "new_dates_figures_shown": figures,
              "changed_by_audit": changed, "hidden_by_audit": hidden,
              "peak_mb": round(peak_mb())}  # fmt: skip
    log(f"audit across releases: {result}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
