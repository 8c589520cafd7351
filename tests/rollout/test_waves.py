"""Pilot and waves: who belongs to which wave, the lead's pages, and the bad input they refuse."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from tremplin.rollout.demo import build_waves
from tremplin.rollout.models import Wave
from tremplin.rollout.queries import wave_of_people


@pytest.fixture
def waves(org):
    dg, sales = org.people["ceo"].org_unit, org.people["sales_director"].org_unit
    pilot = Wave.objects.create(name="Pilot", pilot=True, starts_on=dt.date(2026, 1, 5))
    first = Wave.objects.create(name="Wave 1", starts_on=dt.date(2026, 6, 1))
    later = Wave.objects.create(name="Wave 2", starts_on=dt.date(2026, 9, 1))
    first.units.set([sales])
    later.units.set([dg])  # the whole company, sales excepted: they come earlier
    pilot.people.set([org.people["accountant"]])
    return pilot, first, later


def test_people_join_the_earliest_wave_holding_them_and_a_named_person_their_own(org, waves):
    pilot, first, later = waves
    found = wave_of_people()
    assert found[org.people["seller_a"].pk] == first.pk  # sales, under DG too
    assert found[org.people["ceo"].pk] == later.pk
    assert found[org.people["controller"].pk] == later.pk
    assert found[org.people["accountant"].pk] == pilot.pk  # named in the pilot
    seller = org.people["seller_b"]
    seller.active = False
    seller.save()
    later.people.add(seller)
    assert seller.pk not in wave_of_people()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_lead_lists_waves_in_order_with_their_headcounts(org, waves, client, lang):
    client.cookies["django_language"] = lang
    client.force_login(org.users["lead"])
    page = client.get(reverse("rollout:waves")).content.decode()
    assert f'lang="{lang}"' in page
    assert page.index("Pilot") < page.index("Wave 1") < page.index("Wave 2")
    assert ("pilote" if lang == "fr" else "pilot") in page
    # 4 people in sales; the pilot's accountant; the 4 others of the company in wave 2
    assert "<td>4</td>" in page and "<td>1</td>" in page


def test_only_the_lead_manages_waves(org, waves, client):
    pilot = waves[0]
    for username in ("manager", "employee", "executive", "cse"):
        client.force_login(org.users[username])
        assert client.get(reverse("rollout:waves")).status_code == 403
        assert client.get(reverse("rollout:wave_new")).status_code == 403
        assert client.post(reverse("rollout:wave_new"), {"name": "X"}).status_code == 403
        assert client.post(reverse("rollout:wave_edit", args=[pilot.pk])).status_code == 403
        assert client.post(reverse("rollout:wave_delete", args=[pilot.pk])).status_code == 403
    assert Wave.objects.count() == 3


def test_the_lead_creates_edits_and_deletes_a_wave(org, client):
    client.force_login(org.users["lead"])
    finance = org.people["finance_head"].org_unit
    response = client.post(
        reverse("rollout:wave_new"),
        {"name": "Vague 1", "starts_on": "2026-12-01", "units": [finance.pk],
         "employee_ids": "SELLER_A, TEAM_LEAD\nSELLER_B"},
    )  # fmt: skip
    assert response.status_code == 302
    wave = Wave.objects.get(name="Vague 1")
    assert list(wave.units.all()) == [finance]
    assert {p.employee_id for p in wave.people.all()} == {"SELLER_A", "SELLER_B", "TEAM_LEAD"}
    edit = client.get(reverse("rollout:wave_edit", args=[wave.pk])).content.decode()
    assert "SELLER_A\nSELLER_B\nTEAM_LEAD" in edit
    client.post(reverse("rollout:wave_delete", args=[wave.pk]))
    assert not Wave.objects.exists()


def test_unknown_employee_ids_and_a_second_pilot_are_refused_and_nothing_is_saved(
    org, waves, client
):
    client.cookies["django_language"] = "en"
    client.force_login(org.users["lead"])
    response = client.post(
        reverse("rollout:wave_new"),
        {"name": "Late", "pilot": "on", "employee_ids": "SELLER_A\nNOBODY-1\nNOBODY-2"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "No person has the employee id NOBODY-1, NOBODY-2." in page
    assert "Pilot is already the pilot; there is only one." in page
    assert not Wave.objects.filter(name="Late").exists()


def test_the_wave_list_shows_each_wave_s_status_and_the_demo_opens_those_that_started(
    org, client, english
):
    recipe = {"waves": [
        {"name": "Pilot", "pilot": True, "starts_days_ago": 240, "units": ["COM"]},
        {"name": "Wave 1", "pilot": False, "starts_days_ago": -30, "units": ["FIN"]},
    ]}  # fmt: skip
    pilot, first = build_waves(recipe)
    started = timezone.localdate() - dt.timedelta(days=240)
    assert pilot.opened_at is not None and pilot.opened_at.date() == started
    assert pilot.events.get().kind == "opened" and first.opened_at is None
    late = Wave.objects.create(name="Wave 2", starts_on=timezone.localdate())
    client.force_login(org.users["lead"])
    page = client.get(reverse("rollout:waves")).content.decode()
    assert '<th scope="col">Status</th>' in page

    def status(wave: Wave) -> str:
        row = re.search(rf">{wave.name}</a>.*?</tr>", page, re.S)
        return row.group(0) if row else ""

    assert f"Open since {formats.date_format(started, 'SHORT_DATE_FORMAT')}" in status(pilot)
    assert "Not open yet" in status(first)
    assert "Not open, its start date has passed" in status(late)
    readiness = client.get(reverse("rollout:readiness", args=[pilot.pk])).content.decode()
    assert "No gate chosen." in readiness and "can open at any time" not in readiness
