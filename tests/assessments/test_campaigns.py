"""Campaigns that scale: a filtered list 50 at a time, opening, editing, extending and closing,
who has not answered (the lead: everyone; a manager: their line), and reminders that reach the
to-do list of whoever has to act."""

import datetime

import pytest
from django.utils import timezone

from tremplin.assessments.models import Campaign, CampaignReminder, Draft, Source

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def sales(org):
    campaign = Campaign.objects.create(name="Printemps", opens_on=TODAY - 3 * DAY,
                                       closes_on=TODAY + 10 * DAY)  # fmt: skip
    campaign.org_units.add(org.people["seller_a"].org_unit)  # sales: director, lead, sellers
    return campaign


def _get(client, user, url, lang="en"):
    client.force_login(user)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang)


def test_the_list_is_filtered_and_paginated(client, org):
    for n in range(60):
        Campaign.objects.create(name=f"Après formation {n:02d}", opens_on=TODAY - 40 * DAY,
                                closes_on=TODAY - 10 * DAY)  # fmt: skip
    Campaign.objects.create(name="Bilan", opens_on=TODAY, closes_on=TODAY + DAY)
    page = _get(client, org.users["lead"], "/assessments/campaigns/").content.decode()
    assert "Bilan" in page and "Après formation" not in page  # open or planned by default
    closed = _get(client, org.users["lead"], "/assessments/campaigns/?status=closed").content
    assert closed.decode().count("Après formation") == 50 and b"Page 1 of 2" in closed
    found = _get(client, org.users["lead"], "/assessments/campaigns/?status=all&q=formation 07")
    assert found.content.decode().count("Après formation") == 1


def test_a_campaign_is_opened_on_its_own_page_and_bad_dates_are_refused(client, org):
    client.force_login(org.users["lead"])
    bad = client.post("/assessments/campaigns/new/", {"name": "X", "self_assessment": "on",
                      "opens_on": "2026-12-10", "closes_on": "2026-12-01"})  # fmt: skip
    assert bad.status_code == 200 and b"must close after it opens" in bad.content
    assert not Campaign.objects.exists()
    made = client.post("/assessments/campaigns/new/", {"name": "Hiver", "self_assessment": "on",
                       "opens_on": "2026-12-10", "closes_on": "2026-12-31",
                       "employee_ids": "SELLER_A"})  # fmt: skip
    campaign = Campaign.objects.get()
    assert made.url == f"/assessments/campaigns/{campaign.pk}/"
    assert list(campaign.people.values_list("employee_id", flat=True)) == ["SELLER_A"]


def test_the_lead_extends_and_closes_a_campaign(client, org, sales):
    client.force_login(org.users["lead"])
    edit = client.get(f"/assessments/campaigns/{sales.pk}/edit/").content.decode()
    assert 'value="Printemps"' in edit
    client.post(f"/assessments/campaigns/{sales.pk}/edit/", {
        "name": "Printemps", "self_assessment": "on", "manager_assessment": "on",
        "opens_on": str(sales.opens_on), "closes_on": str(TODAY + 30 * DAY),
        "org_units": [org.people["seller_a"].org_unit.pk]})  # fmt: skip
    sales.refresh_from_db()
    assert sales.closes_on == TODAY + 30 * DAY and sales.org_units.count() == 1
    client.post(f"/assessments/campaigns/{sales.pk}/close/")
    sales.refresh_from_db()
    assert sales.closes_on == TODAY - DAY and not sales.is_open()


def test_a_campaign_not_yet_run_is_withdrawn_unless_someone_answered(client, org):
    client.force_login(org.users["lead"])
    planned = Campaign.objects.create(name="Plus tard", opens_on=TODAY + 5 * DAY,
                                      closes_on=TODAY + 9 * DAY)  # fmt: skip
    client.post(f"/assessments/campaigns/{planned.pk}/close/")
    assert not Campaign.objects.filter(pk=planned.pk).exists()
    today = Campaign.objects.create(name="Ce jour", opens_on=TODAY, closes_on=TODAY + DAY)
    seller = org.people["seller_a"]
    Draft.objects.create(campaign=today, person=seller, assessor=seller, source=Source.SELF,
                         submitted_at=timezone.now())  # fmt: skip
    client.post(f"/assessments/campaigns/{today.pk}/close/")
    today.refresh_from_db()
    assert today.is_open()  # answers already came in: kept, close it tomorrow


def test_who_has_not_answered_lead_everyone_manager_their_line(client, org, sales):
    seller = org.people["seller_a"]
    Draft.objects.create(campaign=sales, person=seller, assessor=seller, source=Source.SELF,
                         submitted_at=timezone.now())  # fmt: skip
    lead = _get(client, org.users["lead"], f"/assessments/campaigns/{sales.pk}/").content.decode()
    assert "3 people have not done it yet" in lead  # director, team lead, seller B
    assert "Seller_B Test" in lead and "Seller_A Test" not in lead
    manager = _get(client, org.users["manager"], f"/assessments/campaigns/{sales.pk}/")
    # The sales director's line: team lead and two sellers (not the director himself).
    assert "2 people have not done it yet" in manager.content.decode()
    peer = _get(client, org.users["peer_manager"], f"/assessments/campaigns/{sales.pk}/")
    assert "Seller_B" not in peer.content.decode()
    assert (
        _get(client, org.users["employee"], f"/assessments/campaigns/{sales.pk}/").status_code
        == 403
    )


def test_reminders_reach_the_to_do_of_whoever_has_to_act(client, org, sales):
    client.force_login(org.users["lead"])
    client.post(f"/assessments/campaigns/{sales.pk}/remind/", {"source": Source.SELF})
    client.post(f"/assessments/campaigns/{sales.pk}/remind/", {"source": Source.MANAGER})
    assert CampaignReminder.objects.filter(source=Source.SELF).count() == 4
    page = client.get(f"/assessments/campaigns/{sales.pk}/?missing=self").content.decode()
    assert page.count(TODAY.strftime("%d/%m/%Y")) >= 4  # each row shows its last reminder
    home = _get(client, org.users["employee"], "/").content.decode()
    assert "Assess yourself: Printemps" in home and "reminder of" in home
    home = _get(client, org.users["manager"], "/").content.decode()
    assert "Rate 3 people: Printemps" in home and "reminder of" in home
    # A manager reminds only their line; a closed campaign sends nothing.
    client.force_login(org.users["manager"])
    client.post(f"/assessments/campaigns/{sales.pk}/remind/", {"source": Source.SELF})
    assert CampaignReminder.objects.filter(source=Source.SELF).count() == 4 + 3
    sales.closes_on = TODAY - DAY
    sales.opens_on = TODAY - 5 * DAY
    sales.save()
    client.post(f"/assessments/campaigns/{sales.pk}/remind/", {"source": Source.SELF})
    assert CampaignReminder.objects.filter(source=Source.SELF).count() == 7


def test_the_campaign_page_speaks_french(client, org, sales):
    page = _get(client, org.users["lead"], f"/assessments/campaigns/{sales.pk}/", "fr")
    text = page.content.decode()
    assert "4 personnes ne l’ont pas encore fait" in text and "Prolonger ou modifier" in text
