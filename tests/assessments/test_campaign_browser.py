"""Campaigns in a real browser, in French and English, on a desktop and a phone: the lead
filters the list, opens a campaign, sees who has not answered and reminds them (after a
confirmation); no page scrolls sideways."""

import datetime

import pytest
from django.utils import timezone

from tests.browsing import fits, keep, signed_in
from tremplin.assessments.models import Campaign, CampaignReminder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REMIND = {"fr": "Relancer les 4 personnes", "en": "Remind all 4 people"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_lead_reminds_who_has_not_answered(browser, live_server, org, lang, width):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Printemps IA", opens_on=today - datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=9),
    )  # fmt: skip
    campaign.org_units.add(org.people["seller_a"].org_unit)
    context, page, asked = signed_in(browser, live_server, "lead", "pw-lead", lang, width)
    for path, name in (("/assessments/campaigns/", "campaigns"),
                       ("/assessments/campaigns/new/", "campaign-new")):  # fmt: skip
        page.goto(live_server.url + path)
        assert fits(page, width)
        keep(page, f"{name}-{lang}-{width}")
    page.goto(live_server.url + "/assessments/campaigns/")
    page.get_by_role("link", name="Printemps IA").click()
    with page.expect_navigation():
        page.get_by_role("button", name=REMIND[lang]).click()
    assert asked and CampaignReminder.objects.count() == 4
    assert fits(page, width)
    keep(page, f"campaign-{lang}-{width}")
    context.close()
