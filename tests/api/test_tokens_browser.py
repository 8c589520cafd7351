"""The API tokens page in a real browser, both languages, desktop and phone: the lead creates a
service token, sees it once, revokes it (the confirmation accepted)."""

from __future__ import annotations

import pytest

from tests.browsing import in_language, screenshot, signed_in
from tests.insights.conftest import _demo_store, demo  # noqa: F401  (fixtures)
from tremplin.api.models import ApiToken
from tremplin.people.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)]


def test_the_lead_creates_and_revokes_a_token(browser, live_server, demo):  # noqa: F811
    for lang, width in SIZES:
        t = in_language(lang)
        context, page, asked = signed_in(browser, live_server, "lead", DEMO_PASSWORD, lang, width)
        page.goto(live_server.url + "/api/tokens/")
        page.fill("input[name=name]", f"LMS {lang} {width}")
        page.check("input[value='completions:write']")
        with page.expect_navigation():
            page.get_by_role("button", name=t("Create the token")).click()
        shown = page.locator("pre code").inner_text()
        assert shown.startswith("tpl_")
        screenshot(page, width, f"api-tokens-created-{lang}-{width}")
        with page.expect_navigation():
            page.get_by_role("button", name=t("Revoke")).first.click()
        assert asked and ApiToken.objects.filter(revoked_at__isnull=False).count() >= 1
        assert shown not in page.content()
        screenshot(page, width, f"api-tokens-{lang}-{width}")
        context.close()


def test_the_api_documentation_draws_from_tremplin_s_own_files(browser, live_server, demo):  # noqa: F811
    """Swagger UI from the static files django-ninja ships: the page's Content-Security-Policy
    refuses scripts from anywhere else (it used to come from a CDN and stay blank)."""
    context, page, _asked = signed_in(browser, live_server, "lead", DEMO_PASSWORD, "en", 1280)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Tremplin" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10 and refused == []
    context.close()
