"""Single sign-on in a real browser against the real provider started beside Tremplin: the
sign-in page's button, the provider's own page, and Tremplin's home, signed in; someone
Tremplin does not know comes back to the sign-in page and reads why. French and English, on a
desktop and a phone."""

import pytest

from tests.a11y import violations
from tests.browsing import in_language, screenshot
from tests.sso.conftest import PASSWORD
from tremplin.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_page(browser, live_server, lang: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    return page


def at_the_provider(page, provider, username: str) -> None:
    page.wait_for_url(provider.url + "/login/**")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_signing_in_with_the_provider_lands_on_home(browser, live_server, sso, org, lang,
                                                    width):  # fmt: skip
    Person.objects.filter(pk=org.people["seller_a"].pk).update(email="ana.martin@example.fr")
    t = in_language(lang)
    page = sign_in_page(browser, live_server, lang, width)
    button = page.get_by_role(
        "button", name=t("Sign in with %(provider)s") % {"provider": "Test IdP"}
    )
    page.get_by_text(t("Or with your Tremplin user name and password:")).wait_for()
    screenshot(page, width, f"sso-login-{lang}-{width}")
    assert violations(page) == []
    button.click()
    at_the_provider(page, sso, "ana")
    page.wait_for_url(live_server.url + "/")
    # Home is for signed-in people only; it greets the person the provider vouched for.
    page.get_by_role("heading", name=t("Hello %(name)s") % {"name": "Seller_A"}).wait_for()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_someone_tremplin_does_not_know_is_told_why(browser, live_server, sso, org, lang):
    t = in_language(lang)
    page = sign_in_page(browser, live_server, lang, 390)
    page.get_by_role(
        "button", name=t("Sign in with %(provider)s") % {"provider": "Test IdP"}
    ).click()
    at_the_provider(page, sso, "bob")
    page.wait_for_url(live_server.url + "/login/")
    why = t(
        "No one in Tremplin has the e-mail address %(email)s. Ask the programme lead to add "
        "it to your record."
    ) % {"email": "bob@elsewhere.example"}
    page.get_by_text(why).wait_for()
    screenshot(page, 390, f"sso-refused-{lang}-390")
    assert page.get_by_role("heading", name=t("Sign in"), exact=True).count() == 1


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 390)])
def test_signing_out_ends_the_provider_session_too(browser, live_server, sso, org, lang, width):
    """On a shared computer, "Sign in with …" after signing out must ask for the password
    again: the provider's session ends with Tremplin's."""
    Person.objects.filter(pk=org.people["seller_a"].pk).update(email="ana.martin@example.fr")
    t = in_language(lang)
    page = sign_in_page(browser, live_server, lang, width)
    sso_button = page.get_by_role(
        "button", name=t("Sign in with %(provider)s") % {"provider": "Test IdP"}
    )
    sso_button.click()
    at_the_provider(page, sso, "ana")
    page.wait_for_url(live_server.url + "/")
    if width < 800:  # the menu is folded on a phone
        page.locator("label.menu-button").click()
    page.locator("summary", has_text=t("Account")).click()
    page.get_by_role("button", name=t("Sign out")).click()
    page.wait_for_url(live_server.url + "/login/")
    screenshot(page, width, f"sso-signed-out-{lang}-{width}")
    sso_button.click()
    page.wait_for_url(sso.url + "/login/**")  # asked again, not let in
