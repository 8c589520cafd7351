"""A real browser: headless Chromium, driven by Playwright, against a live server."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_signs_in_and_opens_the_people_directory(browser_page, live_server, org):
    page = browser_page
    page.goto(live_server.url + "/login/")
    page.get_by_label("Nom d’utilisateur").fill("lead")
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
