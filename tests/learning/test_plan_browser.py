"""A plan page in a real browser, in French and English, on a desktop and a phone: a completion
the person declared waits for the manager's confirmation, and new gaps lead to a revision."""

import pytest

from tests.browsing import fits, keep
from tests.learning.conftest import agree_plan
from tremplin.learning.models import Plan, PlanStatus
from tremplin.learning.services import (
    item_complete,
)
from tremplin.skills.models import Competence, JobFamilyTarget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXTS = {
    "fr": ("Confirmer l’achèvement", "Proposer une révision", "déclaré par la personne"),
    "en": ("Confirm the completion", "Propose a revision", "declared by the person"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_confirm_and_revise_a_plan_in_the_browser(browser, live_server, org, catalogue, lang,
                                                  width):  # fmt: skip
    confirm, revise, declared = TEXTS[lang]
    seller, director = org.people["seller_a"], org.people["sales_director"]
    plan = agree_plan(seller, director)
    item_complete(item=plan.items.order_by("position").first(), by=None, recorder=seller)
    fresh = Competence.objects.exclude(code__in=list(plan.gaps)).filter(
        code__in=["T2-AUTOMATE", "T4-LLMAPPS", "T3-MAINTENANCE", "P-CRITICAL"]).first()  # fmt: skip
    JobFamilyTarget.objects.create(job_family=seller.job_family, competence=fresh, level=2)

    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "pw-manager")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/development/plans/{plan.pk}/")
    page.get_by_text(declared).first.wait_for()
    assert fits(page, width)
    keep(page, f"plan-revision-{lang}-{width}")
    with page.expect_navigation():
        page.get_by_role("button", name=confirm).click()
    assert page.get_by_text(declared).count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name=revise).click()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PROPOSED
    assert page.get_by_role("button", name=revise).count() == 0
    context.close()
