"""Load benchmark: a real server on PostgreSQL under simulated users (locust, on loopback).

Starts a throwaway PostgreSQL (scripts/postgres.sh), writes the company of bench/company.py at
--people (an org tree, three years of ratings, plans; with --company demo, the demo company,
slower to build: about 40 s per 150 people), loads the item bank, computes the dashboards'
figures, opens a campaign for everyone (self, manager, quiz), gives logins to employees,
managers and the lead, serves with `tremplin serve --processes P`, then runs bench/locustfile.py
headless: employees take the quiz and self-assess, managers rate, read their team and move plans
on (discussed, signed), the lead reads dashboards and exports. Everyone arrives signed in (a
session made beforehand, as people mostly are); sign-in, a deliberately slow password hash, is
timed apart on the idle server (20 one after the other). First the floor, on the same server: the
same users, think time and number of requests per action, every request the cheapest signed-in
page (bench/locustfile.py); then, once the server is idle again, the application's run. Before
serving, bench/scans.py runs each page's queries under EXPLAIN ANALYZE on the company. Prints
each action's p95, the p95 of every request and the throughput, the floor's too, and the most
rows one query of each page reads; last line one JSON object.

    .venv/bin/python bench/load.py [--people 10000] [--users 200] [--seconds 120]
        [--processes 4] [--threads 4] [--company generated|demo] [--think 1,3] [--no-floor]

Needs the bench extras (`pip install -e ".[bench]"`: locust) and PostgreSQL's server binaries.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG = {"TREMPLIN_PG_DIR": "/tmp/tremplin-load-pg", "TREMPLIN_PG_PORT": "54351"}
PORT = 8199
SETUP = """
import datetime, json, random
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils import timezone
from tremplin.assessments.models import Campaign
from tremplin.people.models import Person, Role, RoleAssignment
today = timezone.localdate()
Campaign.objects.create(name="Load", self_assessment=True, manager_assessment=True, quiz=True,
                        opens_on=today, closes_on=today + datetime.timedelta(days=30))
heads = set(Person.objects.exclude(manager=None).values_list("manager_id", flat=True))
free = list(Person.objects.filter(user=None, active=True).order_by("?")
            .values_list("pk", flat=True))
managers = [pk for pk in free if pk in heads][:{managers}]
employees = [pk for pk in free if pk not in heads][:{employees}]
hashed = make_password("{password}")
made = {{}}
for role, ids in (("manager", managers), ("employee", employees)):
    users = User.objects.bulk_create([User(username=f"load-{{role}}-{{pk}}", password=hashed)
                                      for pk in ids])
    for user, pk in zip(users, ids):
        Person.objects.filter(pk=pk).update(user=user)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=r) for u in users
         for r in ([Role.MANAGER, Role.EMPLOYEE] if role == "manager" else [Role.EMPLOYEE])])
    made[role] = [u.username for u in users]
lead = User.objects.get(username="lead"); lead.password = hashed; lead.save()
made["lead"] = ["lead"]; made["password"] = "{password}"
# Everyone arrives signed in, as people mostly are (sessions last two weeks): sign-in is timed
# on its own, unloaded, since each costs a deliberately slow password hash.
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
made["sessions"] = {{}}
for user in User.objects.filter(username__in=made["manager"] + made["employee"] + ["lead"]):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    made["sessions"][user.username] = store.session_key
print(json.dumps(made))
"""


def build_company(people: int) -> None:
    """Runs in a child (DATABASE_URL set): the generated company, the item bank, the figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from bench.company import generate
    from tremplin.assessments.bank import load_default_bank
    from tremplin.insights.models import Snapshot
    from tremplin.insights.snapshot import refresh

    generate(people, per_person=60)
    load_default_bank()
    refresh(Snapshot.objects.create())


def run(command: list[str], env: dict[str, str], failing: bool = False) -> str:
    """The command's output; it must succeed unless `failing` (locust exits 1 on failures)."""
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode and not (failing and "[" in done.stdout):
        sys.exit(f"{' '.join(command[:3])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def sign_ins(accounts: dict[str, Any], count: int = 20) -> list[float]:
    """Milliseconds of `count` sign-ins one after the other on the idle server."""
    import requests

    times = []
    for username in accounts["employee"][:count]:
        with requests.Session() as browser:
            page = browser.get(f"http://127.0.0.1:{PORT}/login/").text
            token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
            started = time.perf_counter()
            answer = browser.post(f"http://127.0.0.1:{PORT}/login/", allow_redirects=False,
                                  data={"username": username, "password": accounts["password"],
                                        "csrfmiddlewaretoken": token})  # fmt: skip
            times.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 302:
                sys.exit(f"sign-in of {username} failed: {answer.status_code}")
    return sorted(times)


def p95(histogram: dict[str, int]) -> float:
    """The 95th percentile of locust's histogram of response times (ms → count)."""
    total = sum(histogram.values())
    seen = 0
    for ms, n in sorted((float(k), v) for k, v in histogram.items()):
        seen += n
        if seen >= 0.95 * total:
            return ms
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=120)
    # Two processes per core, four threads each: of 2×8, 3×4, 4×4, 4×2 and 8×2 at 200 users on
    # this 2-core machine, the best floor and within the noise of the best for the pages (README).
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--company", choices=("generated", "demo"), default="generated")
    parser.add_argument("--think", default="1,3", help="seconds between a user's actions: min,max")
    parser.add_argument(
        "--no-floor",
        dest="floor",
        action="store_false",
        help="skip the floor (every request the cheapest signed-in page)",
    )
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.build_only:
        build_company(options.people)
        return
    env = {**os.environ, **PG}
    url = run(["scripts/postgres.sh", "start"], env).strip()
    env = {**env, "DATABASE_URL": url, "TREMPLIN_LOGIN_ATTEMPTS": "1000"}
    server = None
    try:
        started = time.perf_counter()
        run([str(BIN / "tremplin"), "migrate", "-v0"], env)
        if options.company == "demo":
            run([str(BIN / "tremplin"), "load_demo", "--size", str(options.people)], env)
        else:
            run([sys.executable, __file__, "--build-only", "--people", str(options.people)], env)
        print(f"{options.company} company of {options.people:,} people in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        script = SETUP.format(managers=options.users // 4, employees=options.users,
                              password="load-bench-pass")  # fmt: skip
        accounts = run([str(BIN / "tremplin"), "shell", "-c", script], env).strip()
        work = Path(tempfile.mkdtemp())
        users_file = work / "users.json"
        server_log = (work / "server.log").open("w")  # read it when a request fails
        users_file.write_text(accounts.splitlines()[-1], encoding="utf-8")
        # The rows each page's queries read, on this company (bench/scans.py).
        scans = json.loads(run([sys.executable, "bench/scans.py", str(users_file)], env)
                           .strip().splitlines()[-1])  # fmt: skip
        server = subprocess.Popen(
            [str(BIN / "tremplin"), "serve", "--port", str(PORT), "--no-worker",
             "--processes", str(options.processes), "--threads", str(options.threads)],
            env=env, cwd=ROOT, stdout=server_log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        signing = sign_ins(json.loads(users_file.read_text(encoding="utf-8")))
        # The floor first, on the same server: what the machine serves when every request is
        # the cheapest signed-in page. Each run starts on an idle server (the one before may
        # leave requests queued).
        floor = swarm(options, env, users_file, work / "floor", floor=True) if options.floor else []
        idle()
        report = swarm(options, env, users_file, work / "locust", floor=False)
    finally:
        if server is not None:  # a loaded server may finish its requests for a while
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        run(["scripts/postgres.sh", "stop"], {**os.environ, **PG})
    actions = {s["name"]: round(p95(s["response_times"])) for s in report}
    overall = summary(report)
    print(f"server log: {work / 'server.log'}")
    with (work / "locust_failures.csv").open(encoding="utf-8") as failed:  # what went wrong
        for row in csv.DictReader(failed):
            print(f"  failed {row['Occurrences']}×: {row['Method']} {row['Name']}: {row['Error']}")
    for name, ms in sorted(actions.items()):
        print(f"  {name:<36} p95 {ms:>6} ms")
    if floor:
        print(f"  floor (every request the cheapest signed-in page): {summary(floor)}")
    for page, scan in scans.items():  # the heaviest query of each page
        print(f"  {page:<36} {scan['queries']:>3} queries, at most {scan['rows_read_max']:>6} "
              f"rows read by one: {scan['query']}")  # fmt: skip
    print(json.dumps({
        "users": options.users, "people": options.people, "requests": overall["requests"],
        "failures": overall["failures"], "rps": overall["rps"],
        "p95_ms": actions, "p95_ms_all": overall["p95_ms_all"],
        "sign_in_ms_unloaded": {"median": round(signing[len(signing) // 2]),
                                "max": round(signing[-1])},
        "server_processes": options.processes, "server_threads": options.threads,
        "think_s": options.think, "floor": summary(floor) if floor else None,
        "rows_read_max": {page: scan["rows_read_max"] for page, scan in scans.items()},
    }))  # fmt: skip


def idle(seconds: float = 120) -> None:
    """Returns once the server answers the sign-in page within 50 ms (its queue drained)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{PORT}/login/", timeout=30).read()
        if time.perf_counter() - started < 0.05:
            return
        time.sleep(1)


def swarm(options: argparse.Namespace, env: dict[str, str], users_file: Path, csv_prefix: Path,
          floor: bool) -> list[dict[str, Any]]:  # fmt: skip
    """Locust's statistics of one run of the simulated users (LOAD_FLOOR: the floor's)."""
    report = run(
        [str(BIN / "python"), "-m", "locust", "-f", "bench/locustfile.py", "--headless",
         "-u", str(options.users), "-r", str(max(1, options.users // 10)),
         "-t", f"{options.seconds}s", "--host", f"http://127.0.0.1:{PORT}", "--json",
         "--only-summary", "--csv", str(csv_prefix)],
        {**env, "LOAD_USERS": str(users_file), "LOAD_THINK": options.think,
         "LOAD_FLOOR": "1" if floor else ""},
        failing=True,
    )  # fmt: skip
    stats: list[dict[str, Any]] = json.loads(report[report.index("[") :])
    return stats


def summary(stats: list[dict[str, Any]]) -> dict[str, float]:
    """Requests, failures, requests per second and the p95 of every request of a run."""
    seconds = max(s["last_request_timestamp"] for s in stats) - min(s["start_time"] for s in stats)
    every: dict[str, int] = {}
    for s in stats:
        for ms, n in s["response_times"].items():
            every[ms] = every.get(ms, 0) + n
    requests = sum(s["num_requests"] for s in stats)
    failures = sum(s["num_failures"] for s in stats)
    rps = round(requests / max(seconds, 1e-9), 1)
    return {"requests": requests, "failures": failures, "rps": rps, "p95_ms_all": round(p95(every))}


if __name__ == "__main__":
    main()
