"""The demo company with its assessment history and plans, and its dashboard snapshot: built
once per test run (each kind: plain, with its waves, with its usage too), kept in memory and in
a file the parallel test processes share, then written back for every test that uses it."""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection

from tests.once import once
from tests.rowcache import Rows, capture, restore
from tremplin.assessments.demo import build_assessment_history
from tremplin.insights.models import Publication, Snapshot
from tremplin.insights.snapshot import refresh
from tremplin.insights.usage_demo import build_usage
from tremplin.learning.demo import build_plans
from tremplin.people.demo import build_demo_company, load_recipe
from tremplin.rollout.demo import build_waves
from tremplin.skills.services import load_default_framework

T = TypeVar("T")
_BUILT: dict[str, tuple[Rows, Any]] = {}
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
    pk = kept("waves" if waves else "plain", lambda: _build(waves=waves).pk)
    return Snapshot.objects.get(pk=pk)


def kept(kind: str, build: Callable[[], T]) -> T:
    """What `build` writes, built by one process of the run, then written back into the
    test's (empty) database; and what `build` returned (ids: it is kept in a file)."""
    if kind not in _BUILT:

        def built() -> tuple[Rows, T]:
            returned = build()
            return capture(), returned

        _BUILT[kind], here = once(_STORE[0] / f"demo-{connection.vendor}-{kind}", built)
        if here:  # its rows are in this test's database already
            return _BUILT[kind][1]  # type: ignore[no-any-return]
    rows, returned = _BUILT[kind]
    restore(rows)
    return returned  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def _demo_store(run_dir):
    _STORE[:] = [run_dir]


@pytest.fixture
def demo(db, _demo_store):
    return _demo(waves=False)


@pytest.fixture
def demo_with_waves(db, _demo_store):
    return _demo(waves=True)


@pytest.fixture
def demo_with_usage(db, _demo_store):
    """The demo with its waves and 90 days of usage, and figures built on them (the demo's
    publications of today are dropped: a date's figures, once published, are never redone)."""
    return Snapshot.objects.get(pk=kept("usage", lambda: _with_usage().pk))


def _with_usage() -> Snapshot:
    _demo(waves=True)
    build_usage(seed=7)
    Publication.objects.all().delete()
    return refresh(Snapshot.objects.create())
