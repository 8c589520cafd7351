"""HTTP hardening: only GET, HEAD and POST are answered; what a signed-in person reads is never
cached; browser features are off; production refuses the key written in the source."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static

from tremplin.http import check_secret_key


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["trace", "options", "put", "delete"])
def test_other_methods_are_refused(client, org, method):
    client.force_login(org.users["lead"])
    response = getattr(client, method)("/people/")
    assert response.status_code == 405 and b"Seller" not in response.content


@pytest.mark.django_db
def test_personal_pages_and_exports_are_not_stored(client, org):
    client.force_login(org.users["lead"])
    for path in ("/", f"/people/{org.people['seller_a'].pk}/", "/people/export.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store", path
        assert "camera=()" in response["Permissions-Policy"]
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-eval" not in policy


def test_production_refuses_the_demo_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    check_secret_key()  # this machine only: the demo may run
    settings.ALLOWED_HOSTS = ["tremplin.example.fr"]
    with pytest.raises(ImproperlyConfigured, match="TREMPLIN_SECRET_KEY is not set"):
        check_secret_key()
    settings.SECRET_KEY = "a-real-key-" + "x" * 40
    check_secret_key()


@pytest.mark.django_db
def test_every_page_names_its_icon_and_favicon_ico_finds_it(client, org):
    page = client.get("/login/").content.decode()
    icon = static("tremplin/favicon.svg")
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in page
    response = client.get("/favicon.ico", follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0] == icon
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert "img-src 'self'" in client.get("/login/")["Content-Security-Policy"]
