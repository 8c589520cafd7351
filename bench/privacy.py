"""Benchmark of the audience publications at scale: build, protect and audit.

Generates the company of bench/company.py (100,000 people, 1,489 units, 10 job families, 20
sites, a pilot and three waves) with three years of ratings (13 periods: 12 quarter ends and
today), no database. Builds the works council's publication with the default plan (by
department and one level down, job family, persona, site, wave and cohort, per tier, KPI and
level share; the company total per competence; every period) and the publications of 100
managers (by direct report, job family, cohort), then audits each protected publication again
from scratch (it must find nothing). Prints time, peak memory, figures shown and withheld, and
leaks closed and found again after; leaks of the same tables unprotected (figures at 0.01, only
groups under k hidden) on the 150-person company;
then the same on a 150-person company shaped like the demo, and the works council's stored
publication of the real demo (`tremplin demo`). Last line: one JSON object.

    .venv/bin/python bench/privacy.py [--people 100000] [--managers 100]
"""

from __future__ import annotations

import argparse
import copy
import json
import time

import numpy as np
from company import (
    HISTORY_DAYS,
    SOURCES,
    Company,
    generate_company,
    generate_ratings,
    log,
    peak_mb,
    unit_waves,
)

from tremplin.compute import consolidation
from tremplin.compute.audiences import Split, assemble, cohort_split
from tremplin.compute.disclosure import protect
from tremplin.compute.hierarchy import ancestor_at, depths
from tremplin.compute.publication import VISIBLE, Publication
from tremplin.compute.variables import PersonData

FAMILIES = 10
TIERS = {"T1": range(0, 8), "T2": range(8, 16), "T3": range(16, 24), "T4": range(24, 30)}
PERIODS = 13


def targets(rng: np.random.Generator) -> np.ndarray:
    """(families, 30) target levels: tier 1 for everyone, the rest by family."""
    target = np.zeros((FAMILIES, 30), dtype=np.int64)
    target[:, 0:8] = 2
    for family in range(FAMILIES):
        chosen = rng.choice(np.arange(8, 30), 8, replace=False)
        target[family, chosen] = rng.integers(1, 4, 8)
    return target


def person_data(rng: np.random.Generator, company: Company, target: np.ndarray) -> PersonData:
    ratings = generate_ratings(rng, company, target, per_person=12)
    n = company.people
    as_of = HISTORY_DAYS - 90 * np.arange(PERIODS - 1, -1, -1)  # days since the start
    code = np.array([consolidation.CODE[s] for s in SOURCES])
    levels = consolidation.levels_over_time(
        consolidation.Ratings.of(
            ratings.person * 30 + ratings.competence,
            code[ratings.source],
            HISTORY_DAYS - ratings.day,
            ratings.level,
        ),
        n * 30,
        as_of,
    ).reshape(PERIODS, n, 30)
    planned = rng.poisson(4, n).astype(float)
    done = np.minimum(planned, rng.poisson(2, n)).astype(float)
    return PersonData(
        levels=levels,
        target=target[company.family],
        codes=[f"C{j:02d}" for j in range(30)],
        tiers={tier: list(cols) for tier, cols in TIERS.items()},
        plan_agreed=rng.random(n) < 0.6,
        engaged=rng.random(n) < 0.7,
        disagree=rng.random((n, 30)) < 0.05,
        modules_done=done,
        modules_planned=planned,
        cost_done=done * 350.0,
        hours_done=done * 7.0,
    )


def company_splits(company: Company, data: PersonData, people: np.ndarray) -> list[Split]:
    parent = company.unit_parent
    unit = company.unit[people]
    names = [f"U{u}" for u in range(parent.size)]
    family = company.family[people]
    return [
        Split("department", ancestor_at(parent, unit, 1), names),
        Split("department-2", ancestor_at(parent, unit, 2), names,
              ancestor_at(parent, np.arange(parent.size), 1).tolist()),
        Split("family", family, [f"F{f}" for f in range(FAMILIES)]),
        Split("persona", family % 4, ["leaders", "experts", "operational", "support"]),
        Split("site", company.site[people], [f"S{s}" for s in range(20)]),
        Split("wave", unit_waves(company)[unit], ["pilot", "wave 1", "wave 2", "wave 3"]),
        cohort_split(data, [f"P{p}" for p in range(PERIODS)]),
    ]  # fmt: skip


def subset(data: PersonData, people: np.ndarray) -> PersonData:
    return PersonData(
        levels=data.levels[:, people], target=data.target[people], codes=data.codes,
        tiers=data.tiers, plan_agreed=data.plan_agreed[people], engaged=data.engaged[people],
        disagree=data.disagree[people], modules_done=data.modules_done[people],
        modules_planned=data.modules_planned[people], cost_done=data.cost_done[people],
        hours_done=data.hours_done[people],
    )  # fmt: skip


def line_of(company: Company, head: int) -> np.ndarray:
    """People in `head`'s reporting line (themselves excluded)."""
    inside = np.zeros(company.people, dtype=bool)
    inside[head] = True
    for _ in range(int(depths(company.manager).max()) + 1):
        grown = inside | ((company.manager >= 0) & inside[np.maximum(company.manager, 0)])
        if (grown == inside).all():
            break
        inside = grown
    inside[head] = False
    return np.flatnonzero(inside)


def team_split(company: Company, people: np.ndarray, head: int) -> Split:
    """Each person by the direct report of `head` whose line holds them."""
    top = people.copy()
    for _ in range(int(depths(company.manager).max()) + 1):
        climb = company.manager[top] != head
        if not climb.any():
            break
        top[climb] = company.manager[top[climb]]
    heads = np.unique(top)
    return Split("team", np.searchsorted(heads, top), [f"P{h}" for h in heads.tolist()])


def reaudit(pub: Publication, data: PersonData) -> int:
    """Leaks a fresh audit of the protected publication finds (it closes them again)."""
    from tremplin.compute.variables import variables_of

    _variables, value = variables_of(data)
    again = copy.deepcopy(pub)
    return protect(again, value).leaks_found


def unprotected_leaks(pub: Publication, data: PersonData) -> int:
    """Leaks the audit finds in one attack of each system of the same tables published
    unprotected: every figure at 0.01, only groups under k hidden (a lower bound: closing them
    would uncover more)."""
    from tremplin.compute.variables import variables_of

    _variables, value = variables_of(data)
    raw = copy.deepcopy(pub)
    raw.coarse = False
    raw.widened = {}
    for reason in raw.reason.values():
        reason[:] = 0
    return protect(raw, value, contributors=1, rounds=1).leaks_found


def figures_of(pub: Publication) -> tuple[int, int]:
    total = pub.figure_count()
    return total, sum(pub.withheld().values())


def run(company: Company, data: PersonData, k: int, label: str) -> dict[str, object]:
    people = np.arange(company.people)
    started = time.perf_counter()
    pub, report = assemble("cse", k, company_splits(company, data, people), data, range(PERIODS))
    seconds = time.perf_counter() - started
    total, withheld = figures_of(pub)
    log(f"{label}: {seconds:.1f} s, {total} figures, {withheld} withheld, {report}")
    started = time.perf_counter()
    after = reaudit(pub, data)
    reaudit_s = time.perf_counter() - started
    return {
        "s": round(seconds, 1),
        "figures": total,
        "withheld": withheld,
        "shown_pct": round(100 * (total - withheld) / total, 1),
        "bounded": pub.bounded_count(),
        "widened": pub.widened_count(),
        # The unprotected publication's leaks are counted on the 150-person company only: at
        # this scale its exact small groups make every atom a linear program (minutes).
        "leaks_closed": report.leaks_found,
        "leaks_after": after,
        "reaudit_s": round(reaudit_s, 1),
        "linear_programs": report.linear_programs,
        "integer_programs": report.integer_programs,
        "peak_mb": round(peak_mb()),
    }


def fully_visible(pub: Publication, dimension: str) -> tuple[int, int]:
    """Groups of at least k people of a table, and how many show every figure (exactly, or as
    a bound or a range)."""
    t = next(i for i, table in enumerate(pub.tables) if table.dimension == dimension)
    table = pub.tables[t]
    big = table.sizes() >= pub.k
    whole = big.copy()
    for measure in table.measures:
        for period in table.periods_of(measure):
            whole &= ~np.isnan(pub.values(t, measure, period)) | (
                pub.why(t, measure, period) == VISIBLE
            )
    return int(big.sum()), int(whole.sum())


def the_demo() -> dict[str, object]:
    """The works council's stored publication of the real demo (`tremplin demo`'s company and
    default plan) in a throwaway SQLite database: figures shown, and the job families and
    top-level departments of at least k people showing every figure (exactly, as a bound or
    as a range), and how many show every figure exactly at their group's step."""
    import os
    import tempfile

    os.environ["TREMPLIN_DATA_DIR"] = tempfile.mkdtemp(prefix="tremplin-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from tremplin.insights.published import shown
    from tremplin.insights.snapshot import latest

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", verbosity=0)
    log(f"demo loaded in {time.perf_counter() - started:.1f} s")
    figures = latest()
    assert figures is not None
    pub = shown(figures, "cse")
    assert pub is not None
    found: dict[str, object] = {
        "figures": pub.figures,
        "shown_pct": round(100 * (pub.figures - sum(pub.withheld.values())) / pub.figures, 1),
        "withheld_by_reason": {str(k): n for k, n in sorted(pub.withheld.items())},
    }
    found["bounded"] = pub.bounded
    found["widened"] = pub.widened
    for key in ("by-department", "by-family"):
        table = pub.table(key)
        assert table is not None
        every = [(table.values(m, p), table.reasons(m, p))
                 for m in table.measures for p in table.periods_of(m)]  # fmt: skip
        sizes = table.values("people", len(pub.periods) - 1)
        big = [g for g, n in enumerate(sizes) if n is not None and n >= pub.k]
        shown_all = sum(all(v[g] is not None or r[g] == VISIBLE for v, r in every) for g in big)
        exact = sum(all(r[g] == VISIBLE for _v, r in every) for g in big)
        found[key] = {"groups_of_k": len(big), "fully_visible": shown_all,
                      "all_exact": exact}  # fmt: skip
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--managers", type=int, default=100)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    target = targets(rng)
    started = time.perf_counter()
    company = generate_company(rng, args.people, FAMILIES)
    data = person_data(rng, company, target)
    log(f"generated {company.people} people, {PERIODS} periods in "
        f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    result: dict[str, object] = {"people": company.people, "periods": PERIODS}
    result["company"] = run(company, data, args.k, "works council")

    line_sizes = company.line_size
    candidates = np.flatnonzero((line_sizes >= 20) & (line_sizes <= 3000))
    heads = rng.choice(candidates, min(args.managers, candidates.size), replace=False)
    times, leaks_closed, leaks_after, shown = [], 0, 0, []
    for head in heads.tolist():
        people = line_of(company, head)
        mine = subset(data, people)
        splits = [team_split(company, people, head),
                  Split("family", company.family[people], [f"F{f}" for f in range(FAMILIES)]),
                  cohort_split(mine, [f"P{p}" for p in range(PERIODS)])]  # fmt: skip
        started = time.perf_counter()
        pub, report = assemble(f"manager:{head}", args.k, splits, mine, range(PERIODS))
        times.append(time.perf_counter() - started)
        leaks_closed += report.leaks_found
        leaks_after += reaudit(pub, mine)
        total, withheld = figures_of(pub)
        shown.append((total - withheld) / max(total, 1))
    result["managers"] = {
        "count": len(times),
        "line_median": int(np.median(line_sizes[heads])),
        "line_max": int(line_sizes[heads].max()),
        "median_s": round(float(np.median(times)), 2),
        "max_s": round(float(np.max(times)), 2),
        "shown_pct_median": round(100 * float(np.median(shown)), 1),
        "leaks_closed": leaks_closed,
        "leaks_after": leaks_after,
    }
    log(f"managers: {result['managers']}")

    small = generate_company(np.random.default_rng(11), 150, FAMILIES)
    small_data = person_data(np.random.default_rng(11), small, target)
    people = np.arange(small.people)
    pub, _report = assemble("cse", args.k, company_splits(small, small_data, people), small_data,
                           range(PERIODS))  # fmt: skip
    total, withheld = figures_of(pub)
    visible = {d: fully_visible(pub, d) for d in ("department", "family")}
    result["sme_150"] = {
        "figures": total,
        "shown_pct": round(100 * (total - withheld) / total, 1),
        "bounded": pub.bounded_count(),
        "widened": pub.widened_count(),
        "groups_of_k_fully_visible": {d: f"{w}/{b}" for d, (b, w) in visible.items()},
        "leaks_before": unprotected_leaks(pub, small_data),
        "leaks_after": reaudit(pub, small_data),
    }
    result["demo"] = the_demo()
    log(f"demo: {result['demo']}")
    result["peak_mb"] = round(peak_mb())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
