"""Governance's pages in a real browser, in both languages, on a desktop and on a phone: the
employee acknowledges the charter; the lead's versions, register and council log; the works
council reads its log."""

import pytest

from tests.browsing import in_language, screenshot, signed_in
from tests.insights.conftest import _demo_store, demo  # noqa: F401  (fixtures)
from tremplin.governance.demo import build_governance
from tremplin.governance.models import AISystem
from tremplin.people.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)]


@pytest.fixture
def governed(demo):  # noqa: F811
    build_governance(seed=7)


def test_governance_pages_for_each_role(browser, live_server, governed):
    system = AISystem.objects.order_by("pk").first()
    pages = {
        "lead": [("charter", "/governance/charter/"), ("systems", "/governance/systems/"),
                 ("system", f"/governance/systems/{system.pk}/"),
                 ("council", "/governance/council/"),
                 ("observatory", "/governance/observatory/"),
                 ("article-4", "/governance/article-4/")],
        "cse": [("council", "/governance/council/"),
                ("system", f"/governance/systems/{system.pk}/")],
    }  # fmt: skip
    for lang, width in SIZES:
        for user, shots in pages.items():
            context, page, _asked = signed_in(
                browser, live_server, user, DEMO_PASSWORD, lang, width
            )
            for name, path in shots:
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, path
                screenshot(page, width, f"governance-{user}-{name}-{lang}-{width}")
            context.close()


def test_an_employee_acknowledges_the_charter(browser, live_server, governed):
    for n, (lang, width) in enumerate(SIZES):
        t = in_language(lang)
        user = ["employee", "manager", "ambassador", "cse"][n]
        context, page, _asked = signed_in(browser, live_server, user, DEMO_PASSWORD, lang, width)
        page.goto(live_server.url + "/governance/charter/")
        button = page.get_by_role("button", name=t("I have read the charter and acknowledge it"))
        if button.count():
            screenshot(page, width, f"governance-charter-{lang}-{width}")
            with page.expect_navigation():
                button.click()
        assert page.get_by_role("status").count() > 0
        screenshot(page, width, f"governance-acknowledged-{lang}-{width}")
        context.close()
