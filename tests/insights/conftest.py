"""The demo company with its assessment history and plans, and its dashboard snapshot."""

import pytest

from tremplin.assessments.demo import build_assessment_history
from tremplin.insights.models import Snapshot
from tremplin.insights.snapshot import refresh
from tremplin.learning.demo import build_plans
from tremplin.people.demo import build_demo_company, load_recipe
from tremplin.rollout.demo import build_waves
from tremplin.skills.services import load_default_framework


def _demo(*, waves: bool) -> Snapshot:
    load_default_framework()
    accounts = build_demo_company(size=150, seed=7)
    manager = next(a.person for a in accounts if a.username == "manager")
    build_assessment_history(seed=7, manager=manager)
    build_plans(seed=7)
    if waves:
        build_waves(load_recipe())
    return refresh(Snapshot.objects.create())


@pytest.fixture
def demo(db):
    return _demo(waves=False)


@pytest.fixture
def demo_with_waves(db):
    return _demo(waves=True)
