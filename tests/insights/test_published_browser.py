"""The published figures and the publication plans in a real browser, in French and English,
on a desktop and a phone: the pages render, nothing overflows the screen (`make screens` keeps
them in var/screens/ for a look)."""

import pytest

from tests.browsing import fits, keep
from tremplin.people.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLES = {"fr": ("Chiffres publiés", "Plans de publication"),
          "en": ("Published figures", "Publication plans")}  # fmt: skip


def _signed_in(browser, server, username, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "django_language", "value": lang, "url": server.url}])
    page = context.new_page()
    page.goto(server.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")
    return context, page


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_published_figures_and_plans_in_the_browser(browser, live_server, demo, lang, width):
    published, plans = TITLES[lang]
    context, page = _signed_in(browser, live_server, "cse", lang, width)
    page.goto(live_server.url + "/insights/")  # the works council is sent to its publication
    page.get_by_role("heading", name=published).wait_for()
    page.select_option("select[name=table]", "by-family")
    page.select_option("select[name=part]", "levels")
    with page.expect_navigation():
        page.locator("form.filters button").click()
    assert page.locator("td[data-figure]").count() > 10
    page.locator("#levels-chart svg").wait_for()
    assert fits(page, width)
    keep(page, f"published-cse-{lang}-{width}")
    context.close()
    context, page = _signed_in(browser, live_server, "manager", lang, width)
    page.goto(live_server.url + "/insights/published/?part=progression")
    page.locator("td[data-figure]").first.wait_for()
    assert fits(page, width)
    keep(page, f"published-manager-{lang}-{width}")
    page.goto(live_server.url + "/insights/published/?table=by-team")  # one pool of every team
    page.locator("details.pool summary").click()
    page.locator("details.pool small").wait_for()
    assert fits(page, width)
    keep(page, f"published-manager-teams-{lang}-{width}")
    context.close()
    context, page = _signed_in(browser, live_server, "lead", lang, width)
    page.goto(live_server.url + "/insights/plans/")
    page.get_by_role("heading", name=plans).wait_for()
    assert fits(page, width)
    keep(page, f"plans-{lang}-{width}")
    context.close()
