"""The roadmap in a real browser, in French on a desktop and in English on a phone: the lead
starts from the shipped roadmap and moves a step on; the executive sponsor approves it."""

import pytest

from tests.browsing import in_language, screenshot, signed_in
from tremplin.rollout.models import RoadmapApproval, RoadmapStep, StepStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 390)])
def test_the_lead_follows_the_roadmap_and_the_sponsor_approves(browser, live_server, org, lang,
                                                               width):  # fmt: skip

    t = in_language(lang)

    def shot(page, name: str) -> None:
        screenshot(page, width, f"roadmap-{name}-{lang}-{width}")

    context, page, _ = signed_in(browser, live_server, "lead", "pw-lead", lang, width)
    page.goto(live_server.url + "/rollout/roadmap/")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Start from the shipped roadmap")).click()
    step = RoadmapStep.objects.get(code="DIALOGUE-WORK")
    with page.expect_navigation():
        page.get_by_role("link", name=step.title_fr if lang == "fr" else step.title_en).click()
    page.select_option("select[name=status]", "doing")
    page.fill("input[name=owner_id]", org.people["hr"].employee_id)
    page.fill("input[name=due_on]", "2027-03-31")
    shot(page, "step")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Save"), exact=True).click()
    step.refresh_from_db()
    assert step.status == StepStatus.DOING and step.owner == org.people["hr"]
    shot(page, "lead")
    page.goto(live_server.url + "/rollout/roadmap/timeline/")
    shot(page, "timeline")
    context.close()

    context, page, _ = signed_in(browser, live_server, "executive", "pw-executive", lang, width)
    page.goto(live_server.url + "/rollout/roadmap/")
    page.fill("input[name=note]", "OK")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Approve the roadmap")).click()
    assert RoadmapApproval.objects.get().note == "OK"
    shot(page, "approved")
    context.close()
