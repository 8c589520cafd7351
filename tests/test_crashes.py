"""Crashes: a process killed with SIGKILL in the middle of a people import leaves nothing
half-written and the same import then works; runs of the background worker cut off by a crash
are marked failed with a message when the worker starts again, and run again cleanly."""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.schema import copy_sqlite
from tremplin.governance.models import RegisterRelease
from tremplin.insights.models import Snapshot
from tremplin.learning.models import PlanRun
from tremplin.recovery import INTERRUPTED, mark_interrupted

ROOT = Path(__file__).resolve().parent.parent
TREMPLIN = str(Path(sys.executable).parent / "tremplin")


def _people(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(connection.execute("SELECT count(*) FROM people_person").fetchone()[0])


def test_an_import_killed_midway_writes_nothing_and_runs_again(tmp_path, migrated):
    db = tmp_path / "crash.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    copy_sqlite(migrated[0], db)  # the real migrations, run once a test run
    rows = ["Matricule;Nom;Prénom;Service;Matricule du manager"]
    rows += [f"{i};Nom{i};Prénom{i};Service {i % 40};{i // 10 if i >= 10 else ''}"
             for i in range(1, 40_001)]  # fmt: skip
    people = tmp_path / "people.csv"
    people.write_text("\r\n".join(rows), encoding="utf-8")
    job = subprocess.Popen([TREMPLIN, "import-people", str(people)], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    journal = [db.with_name(db.name + suffix) for suffix in ("-journal", "-wal")]
    deadline = time.monotonic() + 120
    while not any(j.exists() for j in journal) and job.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)  # well inside the writing
    assert job.poll() is None, "the import ended before it could be killed"
    os.kill(job.pid, signal.SIGKILL)
    job.wait()
    assert _people(db) == 0  # nothing half-written
    again = subprocess.run([TREMPLIN, "import-people", str(people)], env=env, cwd=ROOT,
                           capture_output=True, text=True)  # fmt: skip
    assert again.returncode == 0, again.stderr[-2000:]
    assert _people(db) == 40_000


@pytest.mark.django_db
def test_runs_cut_off_by_a_crash_are_marked_failed_at_the_next_start():
    # What a SIGKILL of the worker leaves: rows still marked running.
    cut = Snapshot.objects.create(state=Snapshot.State.RUNNING)
    plans = PlanRun.objects.create(state=PlanRun.State.RUNNING, total=100, done=40)
    finished = Snapshot.objects.create(state=Snapshot.State.DONE)
    quarter = RegisterRelease.objects.create(day=datetime.date(2026, 9, 30), k=10)
    assert mark_interrupted() == {
        "snapshots": 1,
        "plan runs": 1,
        "calibrations": 0,
        "register quarters": 1,
    }
    cut.refresh_from_db()
    plans.refresh_from_db()
    finished.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        said = str(INTERRUPTED)
    assert cut.state == Snapshot.State.FAILED and cut.error == said
    assert plans.state == PlanRun.State.FAILED and plans.finished_at is not None
    assert finished.state == Snapshot.State.DONE
    quarter.refresh_from_db()
    assert quarter.state == RegisterRelease.State.FAILED and quarter.error == said
    assert mark_interrupted() == {
        "snapshots": 0,
        "plan runs": 0,
        "calibrations": 0,
        "register quarters": 0,
    }


def _one(db: Path, sql: str) -> object:
    with sqlite3.connect(db, timeout=30) as connection:
        return connection.execute(sql).fetchone()[0]


def _enqueue(env: dict[str, str], code: str) -> None:
    setup = "import django; django.setup(); "
    subprocess.run([sys.executable, "-c", setup + code], env=env, cwd=ROOT, check=True)


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([TREMPLIN, "db_worker", "--interval", "0.05"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _wait_for(db: Path, sql: str, expected: object, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while _one(db, sql) != expected:
        assert time.monotonic() < deadline, f"{sql} never gave {expected!r}"
        time.sleep(0.01)


def test_the_worker_killed_in_a_snapshot_and_a_plan_run_marks_them_failed_and_runs_again(
    tmp_path, migrated
):
    db = tmp_path / "worker.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}",
           "DJANGO_SETTINGS_MODULE": "tremplin.settings"}  # fmt: skip
    env.pop("TREMPLIN_TASKS_BACKEND", None)  # the database queue, as in production
    copy_sqlite(migrated[0], db)  # the real migrations, run once a test run
    subprocess.run([TREMPLIN, "load_demo", "--size", "60"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    first = _one(db, "SELECT max(id) FROM insights_snapshot WHERE state = 'done'")
    plans = _one(db, "SELECT count(*) FROM learning_plan")
    snapshot = "SELECT state FROM insights_snapshot ORDER BY id DESC LIMIT 1"
    run = "SELECT state FROM learning_planrun ORDER BY id DESC LIMIT 1"
    kinds = (
        (snapshot, "from tremplin.insights.models import Snapshot; "
                   "from tremplin.insights.tasks import refresh_snapshot; "
                   "refresh_snapshot.enqueue(Snapshot.objects.create().pk)"),
        (run, "from tremplin.learning.models import PlanRun; "
              "from tremplin.learning.tasks import generate_population_plans; "
              "generate_population_plans.enqueue(PlanRun.objects.create().pk)"),
    )  # fmt: skip
    for state, enqueue in kinds:
        shown = _one(db, "SELECT max(id) FROM insights_snapshot WHERE state = 'done'")
        _enqueue(env, enqueue)
        worker = _worker(env)
        _wait_for(db, state, "running")
        os.kill(worker.pid, signal.SIGKILL)  # in the middle of the run
        worker.wait()
        assert _one(db, state) == "running"  # what the crash leaves
        # Readers still meet the last finished figures and whole plans only.
        assert _one(db, "SELECT max(id) FROM insights_snapshot WHERE state = 'done'") == shown
        assert _one(db, "PRAGMA integrity_check") == "ok"
        worker = _worker(env)  # the next start marks it failed, with a message
        try:
            _wait_for(db, state, "failed")
            table = state.split("FROM ")[1].split()[0]
            error = _one(db, f"SELECT error FROM {table} ORDER BY id DESC LIMIT 1")
            with translation.override(settings.LANGUAGE_CODE):
                assert error == str(INTERRUPTED)
            _enqueue(env, enqueue)  # and running it again works
            _wait_for(db, state, "done")
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert _one(db, "SELECT max(id) FROM insights_snapshot WHERE state = 'done'") > first
    # One open plan per person, however many runs began: none was written twice.
    open_plans = "SELECT max(n) FROM (SELECT count(*) n FROM learning_plan WHERE status != 'done' "
    assert _one(db, open_plans + "GROUP BY person_id)") == 1
    assert _one(db, "SELECT count(*) FROM learning_plan") > plans
    assert _one(db, "SELECT total = done FROM learning_planrun ORDER BY id DESC LIMIT 1") == 1
