"""A real browser: headless Chromium, driven by Playwright, against a live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("SKIPPED: /usr/bin/chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(locale="fr-FR")
        yield page
        browser.close()


def test_lead_signs_in_and_opens_the_people_directory(browser_page, live_server, org):
    page = browser_page
    page.goto(live_server.url + "/login/")
    page.get_by_label("Nom d'utilisateur").fill("lead")
    page.get_by_label("Mot de passe").fill("pw-lead")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("link", name="Collaborateurs").first.click()
    page.get_by_role("heading", name="Collaborateurs").wait_for()
    page.get_by_role("link", name="Test Seller_A").wait_for()
    page.get_by_role("button", name="EN").click()
    page.get_by_role("heading", name="People").wait_for()
    page.get_by_label("Search").fill("accountant")
    page.get_by_label("Search").press("Enter")
    page.get_by_role("link", name="Test Accountant").wait_for()
    page.get_by_role("link", name="Test Seller_A").wait_for(state="detached")
