"""The demo company with its assessment history and plans, and its dashboard snapshot: built
once per test run (each kind), kept in memory and in a file the parallel test processes share,
then written back for every test that uses it."""

import fcntl
import os
import pickle
from pathlib import Path

import pytest
from django.db import connection

from tests.rowcache import Rows, capture, restore
from tremplin.assessments.demo import build_assessment_history
from tremplin.insights.models import Snapshot
from tremplin.insights.snapshot import refresh
from tremplin.learning.demo import build_plans
from tremplin.people.demo import build_demo_company, load_recipe
from tremplin.rollout.demo import build_waves
from tremplin.skills.services import load_default_framework

_BUILT: dict[bool, tuple[Rows, int]] = {}
_STORE: list[Path] = []  # where the processes of this run share what they built


def _build(*, waves: bool) -> Snapshot:
    if waves:  # the demo, then its pilot and waves, and the figures again
        _demo(waves=False)
        Snapshot.objects.all().delete()
        build_waves(load_recipe())
        return refresh(Snapshot.objects.create())
    load_default_framework()
    accounts = build_demo_company(size=150, seed=7)
    manager = next(a.person for a in accounts if a.username == "manager")
    build_assessment_history(seed=7, manager=manager)
    build_plans(seed=7)
    return refresh(Snapshot.objects.create())


def _demo(*, waves: bool) -> Snapshot:
    if waves not in _BUILT:
        kept = _STORE[0] / f"demo-{connection.vendor}-{'waves' if waves else 'plain'}"
        with kept.with_suffix(".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one process builds, the others wait and read
            if kept.exists():
                _BUILT[waves] = pickle.loads(kept.read_bytes())
            else:
                built = _build(waves=waves)
                _BUILT[waves] = (capture(), built.pk)
                kept.with_suffix(".tmp").write_bytes(pickle.dumps(_BUILT[waves]))
                kept.with_suffix(".tmp").rename(kept)
                return built
    rows, snapshot = _BUILT[waves]
    restore(rows)
    return Snapshot.objects.get(pk=snapshot)


@pytest.fixture(scope="session")
def _demo_store(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist each process has its own directory inside the run's: share the run's.
    _STORE[:] = [base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base]


@pytest.fixture
def demo(db, _demo_store):
    return _demo(waves=False)


@pytest.fixture
def demo_with_waves(db, _demo_store):
    return _demo(waves=True)
