"""Dashboards on the demo company: scopes, hidden groups, KPIs without data, both languages."""

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tremplin.assessments.demo import build_assessment_history
from tremplin.assessments.models import CurrentLevel
from tremplin.insights.models import Snapshot
from tremplin.insights.snapshot import latest, refresh
from tremplin.learning.demo import build_plans
from tremplin.people.demo import build_demo_company
from tremplin.skills.services import load_default_framework


@pytest.fixture
def demo(db):
    load_default_framework()
    accounts = build_demo_company(size=150, seed=7)
    manager = next(a.person for a in accounts if a.username == "manager")
    build_assessment_history(seed=7, manager=manager)
    build_plans(seed=7)
    return refresh(Snapshot.objects.create())


def test_snapshot_today_matches_the_consolidated_levels(demo):
    figures = latest()
    assert demo.state == "done" and figures is not None
    row = {pk: i for i, pk in enumerate(figures["person_ids"].tolist())}
    col = {pk: j for j, pk in enumerate(figures["competence_ids"].tolist())}
    today = figures["levels"][-1]
    for person_id, competence_id, level in CurrentLevel.objects.values_list(
        "person_id", "competence_id", "level"
    )[:500]:
        assert today[row[person_id], col[competence_id]] == level
    assert len(figures.periods) >= 2 and (figures["levels"][0] <= 4).all()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_reader_sees_the_dashboards_and_the_employee_does_not(demo, client, lang):
    client.cookies["django_language"] = lang
    for username in ("lead", "direction", "manager", "cse"):
        client.force_login(User.objects.get(username=username))
        for name in ("overview", "heatmap"):
            response = client.get(reverse(f"insights:{name}"))
            assert response.status_code == 200, (username, name)
            assert f'lang="{lang}"'.encode() in response.content
    client.force_login(User.objects.get(username="employee"))
    assert client.get(reverse("insights:overview")).status_code == 403


def test_kpis_without_data_say_so_and_small_groups_are_hidden(demo, client):
    client.cookies["django_language"] = "en"
    client.force_login(User.objects.get(username="cse"))
    page = client.get(reverse("insights:overview")).content.decode()
    assert "No data yet" in page and "Fed by the surveys" in page
    figures = latest()
    counts = np.bincount(figures["family"], minlength=figures.n_families)
    small = int(np.flatnonzero((counts > 0) & (counts < 10))[0])
    family_id = int(figures["family_ids"][small])
    page = client.get(reverse("insights:overview"), {"family": family_id}).content.decode()
    assert "This selection is hidden" in page
    heatmap = client.get(reverse("insights:heatmap"))
    for _name, people, shown, values in heatmap.context["rows"]:
        assert shown or all(v is None for v in values)
        assert not shown or people >= 10
