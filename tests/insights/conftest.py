"""The demo company with its assessment history and plans, and its dashboard snapshot: built
once per test session (each kind), then written back from memory for every test that uses it."""

import pytest

from tests.rowcache import Rows, capture, restore
from tremplin.assessments.demo import build_assessment_history
from tremplin.insights.models import Snapshot
from tremplin.insights.snapshot import refresh
from tremplin.learning.demo import build_plans
from tremplin.people.demo import build_demo_company, load_recipe
from tremplin.rollout.demo import build_waves
from tremplin.skills.services import load_default_framework

_BUILT: dict[bool, tuple[Rows, int]] = {}


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
    if waves in _BUILT:
        rows, snapshot = _BUILT[waves]
        restore(rows)
        return Snapshot.objects.get(pk=snapshot)
    built = _build(waves=waves)
    _BUILT[waves] = (capture(), built.pk)
    return built


@pytest.fixture
def demo(db):
    return _demo(waves=False)


@pytest.fixture
def demo_with_waves(db):
    return _demo(waves=True)
