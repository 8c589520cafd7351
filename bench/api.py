"""The REST API at scale, on a throwaway PostgreSQL, through a real server (`tremplin serve`):
100,000 people created through `POST /api/v1/people/bulk` (the people import's own validation),
then the same again unchanged; AI-tool usage rows through `POST /api/v1/usage` in batches of
100,000 sent two at a time;
then reads (people pages, a person, their levels, ratings, org units) by four clients at once.

    .venv/bin/python bench/api.py                                # 100,000 people, 10 M usage rows
    .venv/bin/python bench/api.py --people 5000 --usage 200000   # a quick run

Last line: {"people", "people_upsert_s", "people_unchanged_s", "usage_rows", "usage_s",
"reads", "reads_p95_ms", "reads_rps", …}.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.company import generate_company, log  # noqa: E402
from bench.dashboards import postgres, server, setup_django  # noqa: E402

TOOLS = (
    "Copilot Word",
    "Copilot Outlook",
    "Copilot Teams",
    "ChatGPT Enterprise",
    "Mistral Le Chat",
)
BATCH = 100_000  # rows a request (the endpoint takes at most 100,000)
SENDERS = 2  # usage requests at once, as a vendor connector would send them


def people_rows(n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    company = generate_company(rng, n, 12)
    names: list[str] = []
    for u in range(company.unit_parent.size):
        parent = int(company.unit_parent[u])
        names.append(f"{names[parent]} / Unit {u}" if parent >= 0 else f"Unit {u}")
    return [
        {
            "employee_id": f"E{i:06d}",
            "last_name": f"Name{i}",
            "first_name": f"First{i % 997}",
            "email": f"e{i:06d}@example.com",
            "org_unit": names[int(company.unit[i])],
            "job_family": f"F{int(company.family[i]):02d}",
            "site": f"S{int(company.site[i]):02d}",
            "manager": f"E{int(company.manager[i]):06d}" if company.manager[i] >= 0 else "",
            "hire_date": (
                datetime.date(2010, 1, 1) + datetime.timedelta(days=int(i % 5000))
            ).isoformat(),
        }
        for i in range(n)
    ]


def post(port: int, path: str, token: str, body: Any) -> tuple[int, Any, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    data = json.dumps(body).encode()
    started = time.perf_counter()
    connection.request(
        "POST",
        path,
        body=data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    answer = connection.getresponse()
    payload = answer.read()
    seconds = time.perf_counter() - started
    connection.close()
    return answer.status, json.loads(payload or b"null"), seconds


def usage_batches(n: int, people: int, rng: np.random.Generator) -> Iterator[list[dict[str, Any]]]:
    """`n` usage rows in requests of BATCH rows: for each day back from yesterday, a random share
    of people × tools (a request spans several days, as a connector's would)."""
    per_day = min(people * len(TOOLS), max(1, n // 400))
    day = datetime.date.today() - datetime.timedelta(days=1)
    sent = 0
    waiting: list[dict[str, Any]] = []
    while sent < n:
        take = min(per_day, n - sent)
        pairs = rng.choice(people * len(TOOLS), size=take, replace=False)
        waiting += [
            {
                "employee_id": f"E{int(p) // len(TOOLS):06d}",
                "tool": TOOLS[int(p) % len(TOOLS)],
                "day": day.isoformat(),
                "active": 1,
                "actions": int(a),
            }
            for p, a in zip(pairs, rng.poisson(6, take), strict=True)
        ]
        sent += take
        day -= datetime.timedelta(days=1)
        while len(waiting) >= BATCH or (sent >= n and waiting):
            yield waiting[:BATCH]
            waiting = waiting[BATCH:]


def together(work: Any, threads: int) -> float:
    """Seconds `threads` threads running `work` at once take to finish."""
    started = time.perf_counter()
    running = [threading.Thread(target=work) for _ in range(threads)]
    for t in running:
        t.start()
    for t in running:
        t.join()
    return time.perf_counter() - started


def send_usage(port: int, token: str, batches: Iterator[list[dict[str, Any]]]) -> dict[str, Any]:
    """The batches posted by SENDERS clients at once (while one request's rows are checked in
    Python, another's are written by the database); each answer must be a success."""
    lock = threading.Lock()
    sent, seconds = [0], []
    failures: list[str] = []

    def sender() -> None:
        while not failures:
            with lock:
                batch = next(batches, None)
            if batch is None:
                return
            status, report, took = post(port, "/api/v1/usage", token, {"rows": batch})
            with lock:
                if status != 200:
                    failures.append(f"{status} {str(report)[:500]}")
                sent[0] += len(batch)
                seconds.append(took)
                if len(seconds) % 10 == 0:
                    log(f"usage: {sent[0]:,} rows sent; this request {took:.1f} s")

    wall = together(sender, SENDERS)
    assert not failures, failures[0]
    return {
        "usage_rows": sent[0],
        "usage_s": round(wall, 1),
        "usage_request_median_s": round(float(np.median(seconds)), 2) if seconds else None,
        "usage_request_max_s": round(max(seconds), 2) if seconds else None,
    }


def reads(port: int, token: str, people: int, requests: int, clients: int) -> dict[str, Any]:
    rng = np.random.default_rng(11)
    kinds = {
        "people page": lambda: (
            f"/api/v1/people?limit=100&offset={int(rng.integers(0, people - 100))}"
        ),
        "person": lambda: f"/api/v1/people/E{int(rng.integers(0, people)):06d}",
        "levels": lambda: f"/api/v1/people/E{int(rng.integers(0, people)):06d}/levels",
        "ratings": lambda: f"/api/v1/ratings?limit=50&person=E{int(rng.integers(0, people)):06d}",
        "org units": lambda: f"/api/v1/org-units?limit=100&offset={int(rng.integers(0, 1000))}",
    }
    plan = [(k, make()) for _ in range(requests // len(kinds)) for k, make in kinds.items()]
    times: dict[str, list[float]] = {k: [] for k in kinds}
    failures = [0]
    lock = threading.Lock()
    queue = list(plan)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                if not queue:
                    break
                kind, path = queue.pop()
            started = time.perf_counter()
            connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
            answer = connection.getresponse()
            answer.read()
            ms = 1000 * (time.perf_counter() - started)
            with lock:
                times[kind].append(ms)
                failures[0] += answer.status != 200
        connection.close()

    wall = together(client, clients)
    every = [ms for v in times.values() for ms in v]
    return {
        "reads": len(every),
        "read_failures": failures[0],
        "reads_rps": round(len(every) / wall, 1),
        "reads_p95_ms": round(float(np.percentile(every, 95)), 1),
        "reads_p95_ms_by_kind": {
            k: round(float(np.percentile(v, 95)), 1) for k, v in times.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--usage", type=int, default=10_000_000)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database", default=None, help="a PostgreSQL URL (else a throwaway)")
    options = parser.parse_args()
    rng = np.random.default_rng(7)
    rows = people_rows(options.people, rng)
    with postgres(options.database) as url:
        setup_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from tremplin.api import tokens
        from tremplin.api.models import SCOPES
        from tremplin.skills.services import load_default_framework

        load_default_framework()
        token = tokens.create(name="bench", kind="service", scopes=list(SCOPES))[1]
        os.environ["TREMPLIN_API_RATE_PER_MINUTE"] = "1000000"
        found: dict[str, Any] = {"people": options.people}
        with tempfile.TemporaryDirectory() as data_dir, server(url, data_dir) as (port, _pid):
            # Sent twice: every person created, then every one unchanged.
            for outcome, figure in (("created", "people_upsert_s"),
                                    ("unchanged", "people_unchanged_s")):  # fmt: skip
                status, report, seconds = post(port, "/api/v1/people/bulk", token,
                                               {"people": rows})  # fmt: skip
                assert status == 200 and report[outcome] == options.people, (
                    status,
                    str(report)[:500],
                )
                found[figure] = round(seconds, 1)
                log(f"people {outcome}: {seconds:.1f} s")
            found |= send_usage(port, token, usage_batches(options.usage, options.people, rng))
            log(f"usage: {found['usage_rows']} rows in {found['usage_s']} s")
            found |= reads(port, token, options.people, options.reads, options.clients)
        print(json.dumps(found))


if __name__ == "__main__":
    main()
