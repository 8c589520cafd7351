"""Benchmark: the dashboards of a 100,000-person company with three years of ratings.

On a throwaway PostgreSQL (started here unless DATABASE_URL already points to one):

1. a generated company is written with COPY: an org tree of about 1,500 units over 5 levels,
   each with a head, about 20 sites, the demo's job families with the default framework's
   targets, reporting lines (team leads beyond 12 direct reports), about ten million ratings
   over three years (self, manager, quiz, evidence, interview, training) and the current levels
   they consolidate to, development plans in every state, a pilot and three waves of whole
   units, and four accounts: programme lead,
   executive, works-council representative, and the manager of a unit of 50 to 500 people;
2. the dashboards' snapshot is built as the background task builds it, in a child process so
   that its peak memory is its own;
3. the app is served by `tremplin serve` (waitress) and every dashboard of `insights/` (the
   argument-free pages that carry the filter form, found at run time) is fetched, unfiltered
   and with each filter, as the lead and as the manager, by four concurrent clients after a
   warm-up; the full HTML response is timed (median and 95th percentile);
4. the PDF report, when the app has one (`insights:report`), is timed for both audiences.

Progress goes to stderr; the last line is one JSON object. Its "pages" are keyed
page[?filter][[manager]]: "overview", "heatmap?unit", "progression?period[manager]"...;
"cold_ms" is the first request of each reader (it loads the snapshot and builds the privacy
cube of their scope); "cpu_pct" is how busy the machine and the server were while pages were
timed (100 = both cores), as other work on the machine skews the figures.
Run: .venv/bin/python bench/dashboards.py [--people N] [--ratings-per-person N] [--requests N]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.company import (  # noqa: E402  (after the path to the project)
    PASSWORD,
    Company,
    Generated,
    free_port,
    generate,
    log,
    peak_mb,
    reporting_paths,
)

SKIPPED_PAGES = {"refresh", "report"}  # a POST action, and the PDF measured on its own
FILTERS = ("unit", "family", "site", "wave", "period")

# --- PostgreSQL and Django -------------------------------------------------------------------


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """The given PostgreSQL URL, or a throwaway server started for the run and stopped after."""
    if url and url.startswith(("postgres://", "postgresql://")):
        yield url
        return
    script = ROOT / "scripts/postgres.sh"
    env = {
        **os.environ,
        "TREMPLIN_PG_PORT": str(free_port()),
        "TREMPLIN_PG_DIR": f"/tmp/tremplin-bench-dashboards-{os.getpid()}",
    }
    started = subprocess.run(
        [str(script), "start"], env=env, capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        raise SystemExit(f"PostgreSQL could not be started: {started.stderr.strip()}")
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(script), "stop"], env=env, check=False)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    import django

    django.setup()


# --- Snapshot (in a child process) ---------------------------------------------------------


def build_snapshot() -> None:
    """Runs in a child: the snapshot as the background task builds it; prints one JSON line."""
    from tremplin.insights.models import Snapshot
    from tremplin.insights.snapshot import refresh

    started = time.perf_counter()
    snapshot = refresh(Snapshot.objects.create())
    figures = {
        "snapshot_s": round(time.perf_counter() - started, 1),
        "state": snapshot.state,
        "peak_mb": round(peak_mb()),
        "stored_mb": round(len(snapshot.data) / 2**20, 1),
    }
    print(json.dumps(figures))


def run_snapshot(url: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--snapshot-only"],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"snapshot failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# --- HTTP -------------------------------------------------------------------------------------


@contextmanager
def server(url: str, data_dir: str) -> Iterator[tuple[int, int]]:
    """`tremplin serve` (waitress, no background worker) on a free port, until the block ends;
    yields the port and the server's process id."""
    port = free_port()
    log_path = Path(data_dir) / "serve.log"
    with open(log_path, "w") as logfile:
        process = subprocess.Popen(
            [sys.executable, "-m", "tremplin.cli", "serve", "--port", str(port), "--no-worker"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, "TREMPLIN_DATA_DIR": data_dir},
            stdout=logfile,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"server did not start:\n{log_path.read_text()}") from None
                    time.sleep(0.2)
            yield port, process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)


def machine_cpu() -> tuple[int, int]:
    """Clock ticks of all cores since boot, (busy, total), from /proc/stat."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)  # idle and iowait are not busy


def process_cpu(pid: int) -> int:
    """Clock ticks a process has run (user + system), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    ms: float


def fetch(
    connection: http.client.HTTPConnection, path: str, cookie: str, method: str = "GET", **kw: Any
) -> tuple[Response, list[str]]:
    """One request, timed to the last byte of the body; also returns the Set-Cookie headers."""
    headers = {"Cookie": cookie, **kw.pop("headers", {})}
    started = time.perf_counter()
    connection.request(method, path, headers=headers, **kw)
    answer = connection.getresponse()
    body = answer.read()
    ms = 1000 * (time.perf_counter() - started)
    content_type = answer.getheader("Content-Type", "")
    return Response(answer.status, content_type, body, ms), answer.headers.get_all(
        "Set-Cookie"
    ) or []


def login(port: int, username: str) -> str:
    """Sign in through the login form; returns the Cookie header of the session."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    jar: dict[str, str] = {}

    def keep(headers: list[str]) -> None:
        for header in headers:
            jar.update({k: m.value for k, m in SimpleCookie(header).items()})

    page, headers = fetch(connection, "/login/", "")
    keep(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    assert token, "no CSRF token on the login page"
    form = urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1].decode()}
    )
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    answer, headers = fetch(
        connection,
        "/login/",
        cookie,
        "POST",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    keep(headers)
    if answer.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login of {username} failed ({answer.status})")
    connection.close()
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def dashboard_pages() -> dict[str, str]:
    """Every argument-free URL of insights/, found at run time so that new pages are measured."""
    from django.urls import URLPattern, reverse

    from tremplin.insights import urls

    return {
        p.name: reverse(f"insights:{p.name}")
        for p in urls.urlpatterns
        if isinstance(p, URLPattern)
        and p.name
        and p.name not in SKIPPED_PAGES
        and p.pattern.regex.groups == 0
    }


def filter_values(generated: Generated, unit: int, scope: np.ndarray) -> dict[str, int]:
    """A value for each filter, one that holds many people of the reader's scope."""
    from django.utils import timezone

    from tremplin.insights.snapshot import quarter_ends

    company = generated.company
    family = int(np.bincount(company.family[scope]).argmax())
    site = int(np.bincount(company.site[scope]).argmax())
    wave = int(np.bincount(generated.wave[scope]).argmax())
    periods = len(quarter_ends(generated.first_day, timezone.localdate())) + 1
    return {
        "unit": unit + 1,
        "family": generated.family_ids[family],
        "site": generated.site_ids[site],
        "wave": generated.wave_ids[wave],
        "period": max(periods - 5, 0),  # a year before today
    }


def headcounts(company: Company) -> np.ndarray:
    """People in each unit and its sub-units (units are in BFS order: children after parents)."""
    count = np.bincount(company.unit, minlength=company.unit_parent.size)
    for u in range(company.unit_parent.size - 1, 0, -1):
        count[company.unit_parent[u]] += count[u]
    return count


def readers(generated: Generated) -> dict[str, tuple[str, dict[str, int]]]:
    """The lead (filtered on a department of median size) and the manager (on their largest
    sub-unit): reader suffix -> (username, filter values)."""
    company = generated.company
    parent = company.unit_parent
    sizes = headcounts(company)
    departments = np.flatnonzero(company.unit_depth == min(2, company.unit_depth.max()))
    department = int(departments[np.argsort(sizes[departments])[departments.size // 2]])
    everyone = np.ones(company.people, dtype=bool)
    managed = generated.accounts.manager_unit
    head = company.unit_head[managed]
    line = np.array([f"/{head + 1}/" in path for path in reporting_paths(company.manager)])
    children = np.flatnonzero(parent == managed)
    sub_unit = int(children[np.argmax(sizes[children])]) if children.size else managed
    return {
        "": ("lead", filter_values(generated, department, everyone)),
        "[manager]": ("manager", filter_values(generated, sub_unit, line)),
    }


def measure(
    port: int, targets: dict[str, tuple[str, str]], requests: int, warmup: int, clients: int
) -> dict[str, dict[str, float]]:
    """Warm every target up, then fetch each `requests` times in random order from `clients`
    threads at once; median and 95th percentile of the full response time per target."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    for key, (path, cookie) in list(targets.items()):
        for _ in range(warmup):
            answer, _headers = fetch(connection, path, cookie)
            if answer.status == 403:  # a page this reader may not open
                log(f"  skipped {key}: 403")
                del targets[key]
                break
            if answer.status != 200:
                raise SystemExit(f"{key}: {path} answered {answer.status}")
    connection.close()
    work: queue.Queue[str] = queue.Queue()
    order = [key for key in targets for _ in range(requests)]
    random.Random(3).shuffle(order)
    for key in order:
        work.put(key)
    times: dict[str, list[float]] = {key: [] for key in targets}
    failures: list[str] = []

    def client() -> None:
        own = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            try:
                key = work.get_nowait()
            except queue.Empty:
                return
            path, cookie = targets[key]
            answer, _headers = fetch(own, path, cookie)
            if answer.status != 200:
                failures.append(f"{key}: {answer.status}")
            times[key].append(answer.ms)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"failed requests: {failures[:5]}")
    return {
        key: {
            "median_ms": round(float(np.median(ms)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1),
        }
        for key, ms in times.items()
    }


def measure_pdf(port: int, cookies: dict[str, str]) -> dict[str, dict[str, float]]:
    """GET the report for each audience as the lead (or the audience's own account if the lead
    may not); a warm server, one request each."""
    from django.urls import reverse

    path = reverse("insights:report")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    found = {}
    for audience in ("executive", "works_council"):
        url = f"{path}?audience={audience}"
        answer, _headers = fetch(connection, url, cookies["lead"])
        if answer.status == 403:
            answer, _headers = fetch(connection, url, cookies[audience])
        if answer.status != 200 or not answer.body.startswith(b"%PDF"):
            raise SystemExit(f"report for {audience}: {answer.status} {answer.content_type}")
        found[audience] = {"s": round(answer.ms / 1000, 2), "kb": round(len(answer.body) / 1024)}
    return found


def find_dashboards(
    port: int, cookies: dict[str, str]
) -> tuple[dict[str, tuple[str, str]], dict[str, float]]:
    """The pages that carry the filter form: name -> (path, prefix of the filter fields; the
    comparison page has two populations, a_ and b_: the filters go to A, B stays everyone).
    Also the time of the first request of each reader, which loads the snapshot into the
    server and builds the reader's privacy cube."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    pages: dict[str, tuple[str, str]] = {}
    cold: dict[str, float] = {}
    for name, path in dashboard_pages().items():
        answer, _headers = fetch(connection, path, cookies["lead"])
        cold.setdefault("lead", round(answer.ms))
        field = re.search(rb'<select name="(\w*)unit"', answer.body)
        if answer.status == 200 and field:
            pages[name] = (path, field[1].decode())
        else:
            log(f"  skipped {name}: {answer.status} {answer.content_type}, no filters")
    first, _prefix = next(iter(pages.values()))
    cold["manager"] = round(fetch(connection, first, cookies["manager"])[0].ms)
    connection.close()
    log(f"  pages: {', '.join(pages)}; first requests (ms): {cold}")
    return pages, cold


def measure_pages(
    port: int, server_pid: int, generated: Generated, requests: int, warmup: int, clients: int
) -> dict[str, Any]:
    from django.urls import NoReverseMatch

    cookies = {name: login(port, name) for name in generated.accounts.usernames}
    pages, cold = find_dashboards(port, cookies)
    targets: dict[str, tuple[str, str]] = {}
    for suffix, (username, values) in readers(generated).items():
        for name, (path, prefix) in pages.items():
            targets[f"{name}{suffix}"] = (path, cookies[username])
            for dimension in FILTERS:
                field = dimension if dimension == "period" else prefix + dimension
                query = f"{field}={values[dimension]}"
                targets[f"{name}?{dimension}{suffix}"] = (f"{path}?{query}", cookies[username])
    # Other work on this 2-core machine skews the figures: say how busy it was meanwhile.
    machine, served = machine_cpu(), process_cpu(server_pid)
    results = measure(port, targets, requests, warmup, clients)
    busy, total = (after - before for after, before in zip(machine_cpu(), machine, strict=True))
    cpu = {
        "machine": round(100 * busy / total),
        "server": round(100 * (process_cpu(server_pid) - served) / total),
    }
    try:
        pdf = measure_pdf(port, cookies)
    except NoReverseMatch:
        pdf = {}
        log("  no insights:report URL yet: PDF not measured")
    slowest = max(pdf.values(), key=lambda found: found["s"], default=None)
    return {
        "pages": results,
        "cold_ms": cold,
        "cpu_pct": cpu,
        "pdf": pdf,
        "pdf_s": slowest["s"] if slowest else None,
        "pdf_kb": slowest["kb"] if slowest else None,
    }


# --- Main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ratings-per-person", type=int, default=100)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--snapshot-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.snapshot_only:
        setup_django(os.environ["DATABASE_URL"])
        build_snapshot()
        return
    with postgres(os.environ.get("DATABASE_URL")) as url, tempfile.TemporaryDirectory() as tmp:
        setup_django(url)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        log(f"generating {options.people} people, ~{options.ratings_per_person} ratings each")
        started = time.perf_counter()
        generated = generate(options.people, options.ratings_per_person)
        generate_s = time.perf_counter() - started
        log(f"generated in {generate_s:.1f} s (peak {peak_mb():.0f} MB); building the snapshot")
        connection.close()
        snapshot = run_snapshot(url)
        log(f"snapshot: {snapshot}")
        with server(url, tmp) as (port, pid):
            found = measure_pages(
                port, pid, generated, options.requests, options.warmup, options.clients
            )
    figures = {
        "people": options.people,
        "ratings": generated.ratings,
        "units": int(generated.company.unit_parent.size),
        "manager_line": generated.accounts.manager_line,
        "generate_s": round(generate_s, 1),
        "snapshot_s": snapshot["snapshot_s"],
        "snapshot_peak_mb": snapshot["peak_mb"],
        "snapshot_stored_mb": snapshot["stored_mb"],
        "pages": found["pages"],
        "cold_ms": found["cold_ms"],
        "cpu_pct": found["cpu_pct"],
        "pdf": found["pdf"],
        "pdf_s": found["pdf_s"],
        "pdf_kb": found["pdf_kb"],
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
