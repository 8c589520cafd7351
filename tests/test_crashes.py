"""Crashes: a process killed with SIGKILL in the middle of a people import leaves nothing
half-written and the same import then works; runs of the background worker cut off by a crash
are marked failed with a message when the worker starts again, and run again cleanly."""

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

from tremplin.insights.models import Snapshot
from tremplin.learning.models import PlanRun
from tremplin.recovery import INTERRUPTED, mark_interrupted

ROOT = Path(__file__).resolve().parent.parent
TREMPLIN = str(Path(sys.executable).parent / "tremplin")


def _people(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(connection.execute("SELECT count(*) FROM people_person").fetchone()[0])


def test_an_import_killed_midway_writes_nothing_and_runs_again(tmp_path):
    db = tmp_path / "crash.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([TREMPLIN, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
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
    assert mark_interrupted() == {"snapshots": 1, "plan runs": 1, "calibrations": 0}
    cut.refresh_from_db()
    plans.refresh_from_db()
    finished.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        said = str(INTERRUPTED)
    assert cut.state == Snapshot.State.FAILED and cut.error == said
    assert plans.state == PlanRun.State.FAILED and plans.finished_at is not None
    assert finished.state == Snapshot.State.DONE
    assert mark_interrupted() == {"snapshots": 0, "plan runs": 0, "calibrations": 0}
