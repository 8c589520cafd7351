"""Dashboards by wave: the filter, the comparison of waves, a small wave read raw by the lead."""

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tremplin.insights.models import Snapshot
from tremplin.insights.snapshot import Figures, latest, refresh
from tremplin.people.models import Person
from tremplin.rollout.models import Wave


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_first_two_waves_are_compared_at_first_and_every_page_filters_by_wave(
    demo_with_waves, client, lang
):
    client.cookies["django_language"] = lang
    client.force_login(User.objects.get(username="lead"))
    figures = latest()
    pilot, first, _second = Wave.objects.all()
    assert figures["wave_ids"].tolist() == [pilot.pk, first.pk, _second.pk]
    counts = np.bincount(figures["wave"], minlength=4)
    compare = client.get(reverse("insights:compare"))
    assert compare.context["labels"] == [pilot.name, first.name]
    assert compare.context["people"] == [counts[0], counts[1]]
    assert 'name="a_wave"' in compare.content.decode()
    for name in ("overview", "heatmap", "distribution", "progression"):
        page = client.get(reverse(f"insights:{name}"), {"wave": first.pk})
        assert page.status_code == 200
        assert f'<option value="{first.pk}" selected>{first.name}</option>' in page.content.decode()
    spread = client.get(reverse("insights:distribution"), {"wave": first.pk}).context["tables"][0]
    *families, everyone = [row[1] for row in spread.rows]
    assert sum(families) == everyone == counts[1] > 0


def test_the_lead_reads_a_small_wave_raw(demo_with_waves, client):
    client.cookies["django_language"] = "en"
    tiny = Wave.objects.create(name="Tiny")
    tiny.people.set(Person.objects.filter(active=True).order_by("pk")[:3])
    refresh(Snapshot.objects.create())
    client.force_login(User.objects.get(username="lead"))
    page = client.get(reverse("insights:overview"), {"wave": tiny.pk})
    assert page.status_code == 200 and page.context["tables"][0].rows
    compare = client.get(reverse("insights:compare"), {"a_wave": tiny.pk})
    assert compare.context["people"][0] == 3


def test_a_snapshot_from_before_waves_still_serves_the_dashboards(demo_with_waves, client):
    figures = latest()
    arrays = {k: v for k, v in figures.arrays.items() if not k.startswith("wave")}
    old = Figures(0, None, arrays)
    assert old["wave_ids"].size == 0 and (old["wave"] == 0).all()
