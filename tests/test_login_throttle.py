"""Signing in is throttled: after five wrong passwords for one user name from one address, even
the right password is refused for a while (on the sign-in page and the admin's alike), with a
page that says why in the reader's language."""

import pytest
from django.contrib.auth.models import User


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_wrong_passwords_pause_signing_in(client, org, path):
    User.objects.filter(username="lead").update(is_staff=True)
    for _ in range(4):
        response = client.post(path, {"username": "lead", "password": "guess"})
        assert response.status_code == 200  # the form again, with its error
    assert client.post(path, {"username": "lead", "password": "guess"}).status_code == 429
    refused = client.post(path, {"username": "lead", "password": "pw-lead"},
                          HTTP_ACCEPT_LANGUAGE="fr")  # fmt: skip
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user name from the same address is not held back.
    assert client.post("/login/", {"username": "manager", "password": "pw-manager"}).url == "/"


@pytest.mark.django_db
def test_a_success_clears_the_count(client, org):
    for _ in range(4):
        client.post("/login/", {"username": "lead", "password": "guess"})
    assert client.post("/login/", {"username": "lead", "password": "pw-lead"}).url == "/"
    client.logout()
    for _ in range(4):
        client.post("/login/", {"username": "lead", "password": "guess"})
    assert client.post("/login/", {"username": "lead", "password": "pw-lead"}).url == "/"
