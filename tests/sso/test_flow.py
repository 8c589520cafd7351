"""Single sign-on through the real provider, without a browser: Tremplin's test client on one
side, the provider's pages answered with `requests` on the other. Off, nothing answers; on,
the endpoints come from the issuer; django-axes neither blocks it nor counts its refusals."""

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from tests.sso.conftest import PASSWORD, configure
from tremplin.people.models import Person, Role, roles_of
from tremplin.people.sso import PersonBackend, discovery, endpoints

pytestmark = pytest.mark.django_db(transaction=True)


def through_provider(client, username: str, next_path: str = ""):
    """Click the button, sign in at the provider as `username`, and come back: Tremplin's
    answer to the callback."""
    start = client.get("/sso/login/" + (f"?next={next_path}" if next_path else ""))
    assert start.status_code == 302, start
    browser = requests.Session()
    authorize = start["Location"]
    login = browser.get(authorize)  # the provider asks who you are
    assert "Test identity provider" in login.text
    csrf = browser.cookies["provider_csrftoken"]
    back = browser.post(login.url, allow_redirects=False,
                        data={"csrfmiddlewaretoken": csrf, "username": username,
                              "password": PASSWORD,
                              "next": parse_qs(urlsplit(login.url).query)["next"][0]},
                        headers={"Referer": login.url})  # fmt: skip
    assert back.status_code == 302, back.text
    answer = browser.get(urljoin(login.url, back.headers["Location"]),
                         allow_redirects=False)  # fmt: skip
    callback = answer.headers["Location"]
    assert callback.startswith("http://testserver/sso/callback/?code="), callback
    return client.get(callback.removeprefix("http://testserver"), follow=True)


def people():
    Person.objects.create(employee_id="A1", first_name="Ana", last_name="Martin",
                          email="ana.martin@example.fr", preferred_language="en")  # fmt: skip
    # The first lead, so that the sign-in page is not the first-run page.
    User.objects.create_user("lead", password="pw-lead")


def test_off_by_default_no_button_and_no_address_answers(client):
    people()
    assert client.get("/sso/login/").status_code == 404
    assert client.get("/sso/callback/?code=x&state=y").status_code == 404
    page = client.get("/login/").content.decode()
    assert "/sso/" not in page


def test_half_a_configuration_stops_tremplin_with_what_is_missing(settings):
    with pytest.raises(ValueError, match="TREMPLIN_OIDC_CLIENT_SECRET; TREMPLIN_OIDC_ISSUER"):
        configure(settings, {"TREMPLIN_OIDC_CLIENT_ID": "tremplin"})
    with pytest.raises(ValueError, match="'tremplin-leads' is not group=role"):
        configure(settings, {"TREMPLIN_OIDC_ROLES": "tremplin-leads"})


def test_the_endpoints_come_from_the_issuer(sso):
    found = endpoints()
    assert found.authorization == sso.issuer + "/authorize"
    assert found.token == sso.issuer + "/token"
    assert found.jwks == sso.issuer + "/jwks"


def test_endpoints_given_one_by_one_need_no_issuer(client, settings, provider):
    environment = provider.environment(
        TREMPLIN_OIDC_AUTHORIZATION_ENDPOINT=provider.issuer + "/authorize",
        TREMPLIN_OIDC_TOKEN_ENDPOINT=provider.issuer + "/token",
        TREMPLIN_OIDC_USERINFO_ENDPOINT=provider.issuer + "/userinfo",
        TREMPLIN_OIDC_JWKS_ENDPOINT=provider.issuer + "/jwks",
    )
    del environment["TREMPLIN_OIDC_ISSUER"]
    configure(settings, environment)
    people()
    assert through_provider(client, "ana").redirect_chain[-1][0] == "/"


def test_a_given_endpoint_wins_over_the_discovered_one(settings, provider):
    configure(settings, provider.environment(TREMPLIN_OIDC_TOKEN_ENDPOINT="https://t.example/"))
    assert endpoints().token == "https://t.example/"
    assert endpoints().userinfo == provider.issuer + "/userinfo"


def test_an_issuer_describing_another_is_refused(sso):
    with pytest.raises(ValueError, match="describes another issuer"):
        discovery(sso.issuer.replace("127.0.0.1", "localhost"))


def test_signing_in_through_the_provider(client, sso):
    people()
    page = through_provider(client, "ana", next_path="/people/")
    assert page.redirect_chain[-1][0] == "/people/"
    user = User.objects.get(person__employee_id="A1")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert roles_of(user) == {Role.EMPLOYEE, Role.MANAGER}  # the group tremplin-managers
    assert client.cookies["django_language"].value == "en"  # Ana's preferred language


@pytest.mark.parametrize(
    ("username", "said"),
    [
        ("bob", "No one in Tremplin has the e-mail address bob@elsewhere.example."),
        ("dan", "Your record in Tremplin says you have left"),
        ("eve", "Test IdP has not verified the e-mail address eve@example.fr"),
        ("cle", "Your Tremplin login is disabled"),
    ],
)
def test_who_is_refused_reads_why_on_the_sign_in_page(client, sso, english, username, said):
    people()
    Person.objects.create(employee_id="D1", first_name="Dan", last_name="Gone",
                          email="dan.gone@example.fr", active=False)  # fmt: skip
    Person.objects.create(employee_id="V1", first_name="Eve", last_name="V", email="eve@example.fr")
    cle = Person.objects.create(employee_id="E-042", first_name="Cle", last_name="Leroy")
    cle.user = User.objects.create_user("cle", is_active=False)
    cle.save()
    users = User.objects.count()
    page = through_provider(client, username)
    assert page.redirect_chain[-1][0] == "/login/"
    assert said in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users


def test_refusals_are_not_counted_as_wrong_passwords(client, sso, settings):
    """django-axes comes first among the backends and sees every sign-in: six refusals from one
    address do not pause single sign-on there, and wrong passwords are still counted."""
    people()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert through_provider(client, "bob").redirect_chain[-1][0] == "/login/"
    assert through_provider(client, "ana").redirect_chain[-1][0] == "/"
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "lead", "password": "guess"})
    assert client.post("/login/", {"username": "lead", "password": "pw-lead"}).status_code == 429


def test_a_callback_this_browser_never_asked_for_is_refused(client, sso, english):
    people()
    client.get("/sso/login/")
    page = client.get("/sso/callback/?code=forged&state=forged", follow=True)
    assert page.redirect_chain[-1][0] == "/login/"
    assert "did not succeed" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_provider_that_does_not_answer_leaves_the_password(client, settings, english):
    configure(settings, {"TREMPLIN_OIDC_ISSUER": "http://127.0.0.1:9/nothing",
                         "TREMPLIN_OIDC_CLIENT_ID": "t", "TREMPLIN_OIDC_CLIENT_SECRET": "s",
                         "TREMPLIN_OIDC_PROVIDER_NAME": "Down IdP"})  # fmt: skip
    people()
    page = client.get("/sso/login/", follow=True)
    assert "Signing in with Down IdP did not succeed" in page.content.decode()
    assert client.post("/login/", {"username": "lead", "password": "pw-lead"}).url == "/"


@pytest.mark.parametrize(
    ("payload", "said"),
    [
        ({"aud": "another-client", "iss": "ISSUER"}, "for another client"),
        ({"aud": ["tremplin"], "iss": "https://elsewhere.example"}, "from another issuer"),
    ],
)
def test_an_id_token_for_another_client_or_from_another_issuer_is_refused(
    sso, monkeypatch, payload, said
):
    """mozilla-django-oidc checks neither (`verify_aud` is off)."""
    payload = {**payload, "iss": payload["iss"].replace("ISSUER", sso.issuer)}
    monkeypatch.setattr(OIDCAuthenticationBackend, "verify_token", lambda *a, **k: payload)
    with pytest.raises(SuspiciousOperation, match=said):
        PersonBackend().verify_token("a.signed.token")


def test_signing_out_goes_to_the_provider_s_end_of_session_or_stays_local(client, sso, org):
    """After a single sign-on, "Sign out" ends Tremplin's session, then sends the browser to the
    provider's end of session with the ID token and the way back; the provider's origin is
    allowed as a form's destination. A provider that cannot be reached: signed out of Tremplin,
    on its sign-in page."""
    Person.objects.filter(pk=org.people["seller_a"].pk).update(email="ana.martin@example.fr")
    assert through_provider(client, "ana").redirect_chain[-1][0] == "/"
    home = client.get("/")
    assert f"form-action 'self' {sso.url}" in home["Content-Security-Policy"]
    token = client.session["oidc_id_token"]
    out = client.post("/logout/")
    where = urlsplit(out["Location"])
    assert out.status_code == 302 and out["Location"].startswith(discovery(sso.issuer)[
        "end_session_endpoint"])  # fmt: skip
    query = parse_qs(where.query)
    assert query["id_token_hint"] == [token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert "_auth_user_id" not in client.session
    # The provider down: the sign-out is Tremplin's alone.
    assert through_provider(client, "ana").redirect_chain[-1][0] == "/"
    discovery.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.TREMPLIN_OIDC_ISSUER", "http://127.0.0.1:9")
        out = client.post("/logout/")
    discovery.cache_clear()
    assert out.status_code == 302 and out["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_a_password_sign_out_stays_in_tremplin(client, sso, org):
    client.force_login(org.users["employee"])
    out = client.post("/logout/")
    assert out.status_code == 302 and out["Location"] == "/login/"
