"""The prompt coach in a real browser, in French on a desktop and in English on a phone."""

import pytest

from tests.browsing import in_language, screenshot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)])
def test_a_prompt_is_checked_before_it_is_sent(browser, live_server, org, lang, width):
    t = in_language(lang)
    context, page, _asked = signed_in(browser, live_server, "employee", "pw-employee", lang, width)
    page.goto(live_server.url + "/engagement/prompt-coach/")
    page.fill(
        "textarea[name=prompt]", "Résume ce mail de jean.dupont@exemple.fr en 3 puces, sans jargon."
    )
    with page.expect_navigation():
        page.get_by_role("button", name=t("Check my prompt")).click()
    page.get_by_text("jean.dupont@exemple.fr").last.wait_for()
    assert page.locator("article.warning").count() == 1
    screenshot(page, width, f"prompt-coach-{lang}-{width}")
    context.close()
