"""The first run in a real browser, in French and English, on a desktop and a phone: the first
lead starts the installation and uses the shipped framework; then a person given a login sets
their password from the invitation link. No page scrolls sideways."""

import pytest

from tests.browsing import fits, keep
from tremplin.people.accounts import give_login
from tremplin.people.models import Person
from tremplin.skills.queries import active_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXT = {"fr": ("Créer le compte et démarrer", "Utiliser celui fourni",
               "Choisir mon mot de passe et me connecter"),
        "en": ("Create the account and start", "Use the shipped one",
               "Set my password and sign in")}  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_first_run_and_invitation(browser, live_server, lang, width):
    create, shipped, choose = TEXT[lang]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.wait_for_url("**/start/")
    assert fits(page, width)
    keep(page, f"start-{lang}-{width}")
    secret = "tremplin-claire-26"
    for name, value in (("company", "Atelier Dupont"), ("first_name", "Claire"),
                        ("last_name", "Dupont"), ("username", "claire"),
                        ("password1", secret), ("password2", secret)):  # fmt: skip
        page.fill(f"input[name={name}]", value)
    page.get_by_role("button", name=create).click()
    page.wait_for_url(live_server.url + "/")
    with page.expect_navigation():
        page.get_by_role("button", name=shipped).first.click()
    assert active_framework() is not None
    assert fits(page, width)
    keep(page, f"getting-started-{lang}-{width}")
    context.clear_cookies()
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    nina = Person.objects.create(employee_id="N1", first_name="Nina", last_name="Neuve")
    invitation = give_login(nina)
    page.goto(live_server.url + invitation.path)
    page.fill("input[name=new_password1]", "tremplin-nina-2026")
    page.fill("input[name=new_password2]", "tremplin-nina-2026")
    assert fits(page, width)
    keep(page, f"welcome-{lang}-{width}")
    page.get_by_role("button", name=choose).click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Nina").count() == 1
    context.close()
