"""Dashboards on the demo company: the lead's raw figures, KPIs without data, both languages."""

import io
from datetime import date

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tremplin.assessments.models import CurrentLevel, Rating
from tremplin.insights.models import InsightSettings
from tremplin.insights.snapshot import latest
from tremplin.people.models import Person


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
    client.force_login(User.objects.get(username="lead"))
    for name in ("overview", "heatmap", "distribution", "progression", "compare"):
        response = client.get(reverse(f"insights:{name}"))
        assert response.status_code == 200, name
        assert f'lang="{lang}"'.encode() in response.content
    for username in ("direction", "manager", "cse"):  # no free filters: their publication
        client.force_login(User.objects.get(username=username))
        for name in ("overview", "heatmap", "distribution", "progression", "compare"):
            response = client.get(reverse(f"insights:{name}"))
            assert response.url == reverse("insights:published"), (username, name)
    client.force_login(User.objects.get(username="employee"))
    assert client.get(reverse("insights:overview")).status_code == 403


def test_kpis_without_data_say_so_and_the_lead_sees_raw_figures(demo, client):
    client.cookies["django_language"] = "en"
    client.force_login(User.objects.get(username="lead"))
    page = client.get(reverse("insights:overview")).content.decode()
    assert "No data yet" in page and "Fed by the surveys" in page
    assert "these pages filter raw figures freely" in page
    figures = latest()
    counts = np.bincount(figures["family"], minlength=figures.n_families)
    small = int(np.flatnonzero((counts > 0) & (counts < 10))[0])
    family_id = int(figures["family_ids"][small])
    # A family under the minimum size: the lead reads its figures, exactly.
    spread = client.get(reverse("insights:distribution"), {"family": family_id})
    rows = {row[0]: row for row in spread.context["tables"][0].rows}
    members = figures["family"] == small
    assert rows["All"][1] == members.sum()
    levels = figures["levels"][-1][members]
    assert np.isclose(rows["All"][2], (levels < 0).mean())
    one = client.get(reverse("insights:compare"), {"a_family": family_id})
    assert one.context["people"] == [counts[small], counts.sum()]
    heatmap = client.get(reverse("insights:heatmap")).context["tables"][0]
    assert all(people >= 1 and None not in values for _n, people, *values in heatmap.rows)


def test_tables_export_to_xlsx_saying_the_figures_are_raw(demo, client):
    from openpyxl import load_workbook

    client.cookies["django_language"] = "fr"
    client.force_login(User.objects.get(username="lead"))
    for name in ("overview", "heatmap", "distribution", "progression", "compare"):
        response = client.get(reverse(f"insights:{name}"), {"export": "xlsx"})
        assert response.status_code == 200 and response["Content-Type"].startswith(
            "application/vnd.openxmlformats"
        ), name
        book = load_workbook(io.BytesIO(response.content))
        page = client.get(reverse(f"insights:{name}")).context["tables"]
        assert len(book.sheetnames) == len(page), name
    book = load_workbook(
        io.BytesIO(client.get(reverse("insights:distribution"), {"export": "xlsx"}).content)
    )
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][2] == "Non évalué (%)"
    assert all(row[1] is not None for row in rows[1:-3] if row[0])  # nothing hidden
    assert "Chiffres bruts" in rows[-1][0]


def test_reports_are_pdf_for_their_audience_only(demo, client):
    client.cookies["django_language"] = "en"
    client.force_login(User.objects.get(username="cse"))
    report = reverse("insights:report")
    response = client.get(report, {"audience": "works_council"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "works-council" in response["Content-Disposition"]
    assert client.get(report, {"audience": "executive"}).status_code == 403
    client.force_login(User.objects.get(username="manager"))
    assert client.get(report, {"audience": "works_council"}).status_code == 403


def test_lead_sets_the_minimum_group_size_never_below_five(demo, client):
    client.cookies["django_language"] = "en"
    url = reverse("insights:settings")
    client.force_login(User.objects.get(username="cse"))
    assert client.get(url).status_code == 403
    client.force_login(User.objects.get(username="lead"))
    response = client.post(url, {"min_group_size": "4"})
    assert b"greater than or equal to 5" in response.content
    assert InsightSettings.current().min_group_size == 10
    client.post(url, {"min_group_size": "40"})
    assert InsightSettings.current().min_group_size == 40
    # The works council's publication is rebuilt with groups of 40 or more (or pooled).
    client.force_login(User.objects.get(username="cse"))
    page = client.get(reverse("insights:published"), {"table": "by-family"})
    assert page.context["pub"].k == 40
    sizes = page.context["pub"].table("by-family").values("people", -1)
    assert all(n is None or n >= 40 for n in sizes)


def test_progression_figures(demo, client):
    client.cookies["django_language"] = "en"
    client.force_login(User.objects.get(username="lead"))
    figures = latest()
    per_competence, by_cohort = client.get(reverse("insights:progression")).context["tables"]
    known = np.maximum(figures["levels"], 0).mean(axis=1)  # (periods, competences)
    for c, row in enumerate(per_competence.rows):
        assert np.allclose(row[1:], known[:, c])
    people = [row[1] for row in by_cohort.rows]
    assessed = (figures["levels"] >= 0).any(axis=(0, 2))
    assert sum(people) == assessed.sum()
    site = int(figures["site_ids"][0])
    filtered = client.get(reverse("insights:progression"), {"site": site})
    on_site = figures["site"] == 0
    assert sum(row[1] for row in filtered.context["tables"][1].rows) == (assessed & on_site).sum()


def test_ratings_read_by_copy_equal_the_orm_read(demo):
    from django.db import connection

    from tremplin.insights import snapshot
    from tremplin.skills.queries import active_framework

    if connection.vendor != "postgresql":
        pytest.skip("the COPY read is PostgreSQL's")
    framework = active_framework()
    assert framework is not None
    person = Person.objects.filter(active=True, manager__isnull=False).first()
    competence = framework.competences.first()
    assert person is not None and competence is not None
    weak = [  # one of each weak kind, and their strong twins
        Rating(person=person, competence=competence, level=1, source="quiz",
               assessed_on=date(2026, 1, 5)),
        Rating(person=person, competence=competence, level=1, source="quiz",
               assessed_on=date(2026, 1, 5), standard_error=0.9),
        Rating(person=person, competence=competence, level=2, source="quiz",
               assessed_on=date(2026, 1, 5), standard_error=0.3),
        Rating(person=person, competence=competence, level=3, source="training",
               assessed_on=date(2026, 1, 5), assessor=person),
        Rating(person=person, competence=competence, level=3, source="training",
               assessed_on=date(2026, 1, 5), assessor=person.manager),
    ]  # fmt: skip
    Rating.objects.bulk_create(weak)
    by_copy = snapshot.read_ratings(framework, 0.5)
    connection.vendor = "other"  # force the ORM read on the same database
    try:
        by_orm = snapshot.read_ratings(framework, 0.5)
    finally:
        connection.vendor = "postgresql"
    assert by_copy.shape[0] > 1000 and (by_copy == by_orm).all()
    assert by_copy[-5:, 5].tolist() == [1, 1, 0, 1, 0]


def test_snapshot_targets_are_each_job_s_own(demo):
    """Every person's targets in the figures are their job family's effective targets (its
    persona's defaults and its own overrides), for families of every persona."""
    from tremplin.people.models import JobFamily
    from tremplin.skills.queries import active_framework, effective_targets

    figures = latest()
    framework = active_framework()
    col = {pk: j for j, pk in enumerate(figures["competence_ids"].tolist())}
    row = {pk: i for i, pk in enumerate(figures["person_ids"].tolist())}
    families = list(JobFamily.objects.all())
    assert len({f.persona for f in families}) >= 2  # the demo has several personas
    for family in families:
        member = Person.objects.filter(job_family=family, pk__in=list(row)).first()
        if member is None:
            continue
        expected = np.zeros(len(col), dtype=np.int8)
        for t in effective_targets(framework, family):
            expected[col[t.competence.pk]] = t.level
        assert figures["target"][row[member.pk]].tolist() == expected.tolist(), family.persona
