"""Engagement's pages in a real browser, in both languages, on a desktop and on a phone: each
role's own pages of the demo's engagement fit the screen, and the lead runs the matching, the
employee answers the mentoring and sees the badge's verification page."""

import pytest

from tests.browsing import in_language, screenshot, signed_in
from tests.insights.conftest import _demo_store, demo  # noqa: F401  (fixtures)
from tremplin.engagement.demo import build_engagement
from tremplin.engagement.models import Ambassador, Award, Challenge, Community, Mentorship
from tremplin.people.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)]


@pytest.fixture
def engaged(demo):  # noqa: F811
    build_engagement(seed=7)


def _shoot(page, server, width, pages, prefix):
    for name, path in pages:
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, path
        screenshot(page, width, f"{prefix}-{name}")


def test_the_lead_s_engagement_pages(browser, live_server, engaged):
    for lang, width in SIZES:
        _lead(browser, live_server, lang, width)


def _lead(browser, live_server, lang, width):
    t = in_language(lang)
    context, page, _asked = signed_in(browser, live_server, "lead", DEMO_PASSWORD, lang, width)
    page.goto(live_server.url + "/engagement/mentoring/pairs/")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Run the matching")).click()
    assert page.get_by_role("button", name=t("Approve")).count() > 0
    hunt = Challenge.objects.get(kind="hunt")
    proposed = Ambassador.objects.filter(status="proposed").first()
    _shoot(page, live_server, width, [
        ("home", "/engagement/"), ("pairs", "/engagement/mentoring/pairs/"),
        ("ambassadors", "/engagement/ambassadors/"),
        ("ambassador", f"/engagement/ambassadors/{proposed.pk}/"),
        ("badges", "/engagement/badges/"), ("hunt-jury", f"/engagement/challenges/{hunt.pk}/"),
    ], f"engagement-lead-{lang}-{width}")  # fmt: skip
    context.close()


def test_the_employee_s_engagement_pages(browser, live_server, engaged):
    for lang, width in SIZES:
        _employee(browser, live_server, lang, width)


def _employee(browser, live_server, lang, width):
    t = in_language(lang)
    context, page, _asked = signed_in(browser, live_server, "employee", DEMO_PASSWORD, lang, width)
    pair = Mentorship.objects.filter(mentee__user__username="employee").first()
    award = Award.objects.order_by("pk").first()
    thon = Challenge.objects.get(kind="promptathon")
    _shoot(page, live_server, width, [
        ("home", "/engagement/"), ("mentoring", "/engagement/mentoring/"),
        ("pair", f"/engagement/mentoring/{pair.pk}/"),
        ("communities", "/engagement/communities/"),
        ("community", f"/engagement/communities/{Community.objects.first().pk}/"),
        ("challenges", "/engagement/challenges/"),
        ("results", f"/engagement/challenges/{thon.pk}/"),
        ("credential", f"/engagement/badges/credentials/{award.uid}/"),
        ("verify", "/engagement/badges/verify/"),
    ], f"engagement-employee-{lang}-{width}")  # fmt: skip
    assert page.get_by_text(t("Check a credential")).count() > 0
    context.close()


def test_the_ambassador_s_home(browser, live_server, engaged):
    for lang, width in SIZES:
        _ambassador(browser, live_server, lang, width)


def _ambassador(browser, live_server, lang, width):
    t = in_language(lang)
    context, page, _asked = signed_in(
        browser, live_server, "ambassador", DEMO_PASSWORD, lang, width
    )
    page.goto(live_server.url + "/engagement/")
    with page.expect_navigation():
        page.get_by_role("button", name=t("My ambassador page")).click()
    page.get_by_text(t("Activity log")).first.wait_for()
    screenshot(page, width, f"engagement-ambassador-{lang}-{width}")
    context.close()
