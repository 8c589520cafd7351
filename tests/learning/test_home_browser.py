"""Each role's home in a real browser, in French and English, on a desktop and a phone: the
to-dos are there, the page never scrolls sideways, and the first to-do opens its page; then
the seller's person page (the hub of their development) as each of them sees it."""

import datetime

import pytest
from django.utils import timezone

from tests.browsing import fits, keep, signed_in
from tremplin.assessments.models import Campaign
from tremplin.learning.models import Plan
from tremplin.learning.services import generate_plans, plan_discussed
from tremplin.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIRST = {  # the first to-do of each role, and a heading of the page it opens
    "fr": {"employee": ("Vous évaluer : Printemps IA", "Mon auto-évaluation"),
           "manager": ("Évaluer 3 personnes : Printemps IA", "Mon équipe"),
           "lead": ("Printemps IA", "Printemps IA")},
    "en": {"employee": ("Assess yourself: Printemps IA", "My self-assessment"),
           "manager": ("Rate 3 people: Printemps IA", "My team"),
           "lead": ("Printemps IA", "Printemps IA")},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_each_role_finds_its_to_dos_at_home(browser, live_server, org, catalogue, lang, width):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Printemps IA", opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=20),
    )  # fmt: skip
    campaign.org_units.add(org.people["seller_a"].org_unit)
    seller = org.people["seller_a"]
    generate_plans(people=Person.objects.filter(pk=seller.pk), by=None)
    plan = Plan.objects.get(person=seller)
    plan_discussed(plan=plan, by=org.users["manager"], version=plan.version)
    for role, (todo, heading) in FIRST[lang].items():
        context, page, _asked = signed_in(browser, live_server, role, f"pw-{role}", lang, width)
        assert fits(page, width)
        keep(page, f"home-{role}-{lang}-{width}")
        with page.expect_navigation():
            page.get_by_role("link", name=todo).first.click()
        assert page.get_by_role("heading", name=heading).count() >= 1
        # The seller's page gathers their development for each of them.
        page.goto(f"{live_server.url}/people/{seller.pk}/")
        assert page.locator("#development").count() == 1
        assert fits(page, width)
        keep(page, f"hub-{role}-{lang}-{width}")
        context.close()
