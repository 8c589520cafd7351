"""Benchmark: ten million rows of AI-tool usage through `upsert_usage`, on PostgreSQL.

On a throwaway PostgreSQL (started here unless DATABASE_URL already points to one):

1. a company of 100,000 people (each with an e-mail) in 1,000 org units is written;
2. `upsert_usage` receives the rows as the REST API would hand them over: one dict per person,
   tool and day ({"email", "tool", "day" as "yyyy-mm-dd", "actions"}), 3 tools over the last
   days, plus a few team rows ({"unit": code}), produced one at a time by a generator (their
   making is timed on its own, "rows_make_s", and is part of every figure below);
3. timed: the first import (every row created), the same rows again (every row unchanged,
   nothing rewritten), and the same rows with one unknown person in the last one (everything
   checked, nothing kept). The usage table has no foreign keys: `upsert_usage` locks the people
   and teams of each batch at once (checking each row's person with a query of its own took
   half of the database's time).

Each import also gives the CPU time of the database's process and of Python's: they work at
the same time, so on an idle machine the import takes about the larger of the two.

Progress goes to stderr; the last line is one JSON object. "cpu_pct" is how busy the machine
was meanwhile (100 = every core), as other work on the machine skews the figures.
Run: .venv/bin/python bench/usage_import.py [--rows N] [--people N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.company import log  # noqa: E402  (after the path to the project)
from bench.dashboards import machine_cpu, postgres, setup_django  # noqa: E402

TOOLS = ("Microsoft 365 Copilot", "ChatGPT Enterprise", "Le Chat Pro")
UNITS = 1_000
TEAM_SHARE = 0.01  # of the rows: teams' (a vendor reporting per team)


def company(people: int) -> None:
    """People with e-mails in flat org units; bulk_create keeps up with the model's columns."""
    from tremplin.people.models import OrgUnit, Person
    from tremplin.people.services import refresh_unit_paths

    if Person.objects.exists():
        raise SystemExit("The database already holds people: give an empty one.")
    units = OrgUnit.objects.bulk_create(
        [OrgUnit(code=f"U{u:04d}", name=f"Unité {u}") for u in range(UNITS)]
    )
    refresh_unit_paths()
    Person.objects.bulk_create(
        [
            Person(employee_id=f"B{i:07d}", first_name="Camille", last_name=f"Bench {i}",
                   email=f"Camille.Bench{i}@bench.example", org_unit=units[i % UNITS])
            for i in range(people)
        ],
        batch_size=5_000,
    )  # fmt: skip


def rows(total: int, people: int, bad_last: bool = False) -> Iterator[dict[str, Any]]:
    """`total` rows, people's then teams', each key (person or team, tool, day) once; e-mails
    in another case than stored (matching ignores case)."""
    teams = int(total * TEAM_SHARE)
    mine = total - teams
    days_needed = -(-mine // (people * len(TOOLS)))
    today = dt.date.today() - dt.timedelta(days=1)
    days = [(today - dt.timedelta(days=d)).isoformat() for d in range(max(days_needed, 1))]
    emails = [f"camille.bench{i}@bench.example" for i in range(people)]
    made = 0
    for day in days:
        for tool in TOOLS:
            for i, email in enumerate(emails):
                if made == mine:
                    break
                made += 1
                if bad_last and made == mine:
                    email = "nobody@bench.example"
                yield {"email": email, "tool": tool, "day": day, "actions": (i * 7 + made) % 40}
    team_days = -(-teams // (UNITS * len(TOOLS)))
    made = 0
    for day in days[: max(team_days, 1)]:
        for tool in TOOLS:
            for u in range(UNITS):
                if made == teams:
                    return
                made += 1
                yield {"unit": f"U{u:04d}", "tool": tool, "day": day, "active": 12,
                       "actions": 100 + u % 50}  # fmt: skip


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, total: int, people: int, bad_last: bool = False) -> dict[str, Any]:
    from django.db import connection

    from tremplin.insights.usage import upsert_usage

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    machine = machine_cpu()
    database, python = cpu_seconds(backend), time.process_time()
    started = time.perf_counter()
    report = upsert_usage(rows(total, people, bad_last))
    seconds = time.perf_counter() - started
    busy, all_ticks = (after - before for after, before in zip(machine_cpu(), machine,
                                                               strict=True))  # fmt: skip
    found = {
        "s": round(seconds, 1),
        "rows_per_s": round(report.rows / seconds),
        # The database's work and Python's: they overlap, so on an idle machine with two cores
        # the import takes about the larger of the two.
        "db_cpu_s": round(cpu_seconds(backend) - database, 1),
        "python_cpu_s": round(time.process_time() - python, 1),
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "problems": len(report.problems) + report.more_problems,
        "written": report.written,
        "cpu_pct": round(100 * busy / all_ticks),
    }
    log(f"  {label}: {found}")
    return found


def three_imports(options: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    found = {"first": timed("first import", options.rows, options.people)}
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE insights_usageday")  # as autovacuum would
    found["again"] = timed("same rows again", options.rows, options.people)
    found["refused"] = timed("one bad row, last", options.rows, options.people, bad_last=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--people", type=int, default=100_000)
    options = parser.parse_args()
    with postgres(os.environ.get("DATABASE_URL")) as url:
        setup_django(url)
        from django.core.management import call_command

        from tremplin.insights.usage_models import UsageDay

        call_command("migrate", verbosity=0)
        log(f"writing {options.people} people")
        company(options.people)
        started = time.perf_counter()
        made = sum(1 for _row in rows(options.rows, options.people))
        make_s = time.perf_counter() - started
        log(f"{made} rows made in {make_s:.1f} s (the generator alone)")
        run = three_imports(options)
        stored = UsageDay.objects.count()
    figures = {
        "rows": made,
        "people": options.people,
        "tools": len(TOOLS),
        "rows_make_s": round(make_s, 1),
        "first_import_s": run["first"]["s"],
        "again_s": run["again"]["s"],
        "refused_s": run["refused"]["s"],
        "run": run,
        "stored_rows": stored,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "target_s": 120,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
