"""An empty installation starts without the admin: the first programme lead names the company,
creates their account and follows the steps to a first campaign."""

import pytest
from django.contrib.auth.models import User

from tremplin.learning.models import Module
from tremplin.people.models import Company, Role, roles_of
from tremplin.skills.queries import active_framework

FORM = {"company": "Atelier Dupont", "first_name": "Claire", "last_name": "Dupont",
        "email": "claire@example.com", "username": "claire",
        "password1": "tremplin-claire-26", "password2": "tremplin-claire-26"}  # fmt: skip


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.mark.django_db
def test_the_first_lead_starts_an_empty_installation_and_follows_the_steps(client):
    assert client.get("/login/").url == "/start/"
    assert client.post("/start/", {**FORM, "password2": "other-one-26"}).status_code == 200
    assert not User.objects.exists()
    done = client.post("/start/", FORM)
    assert done.url == "/"
    user = User.objects.get()
    assert roles_of(user) == {Role.LEAD} and Company.current().name == "Atelier Dupont"
    home = client.get("/").content.decode()
    assert "Getting started · Atelier Dupont" in home and "Import people" in home
    client.post("/start/framework/")
    assert active_framework() is not None
    client.post("/start/catalogue/")
    assert Module.objects.exists()
    home = client.get("/").content.decode()
    assert "<s>Use the shipped skills framework, or import yours</s>" in home
    # The shipped targets are not reviewed until the lead says so on the targets page.
    assert '<a href="/framework/targets/">Review the targets of each job</a>' in home
    client.post("/framework/targets/")
    home = client.get("/").content.decode()
    assert "<s>Review the targets of each job</s>" in home
    assert "Last reviewed on" in client.get("/framework/targets/").content.decode()
    Company.objects.update(targets_reviewed_by=None)  # the reviewer's account deleted since
    page = client.get("/framework/targets/").content.decode()
    assert "Last reviewed on" in page and " by " not in page.split("Last reviewed on")[1][:60]
    # Nobody creates a second lead through the first-run page.
    client.logout()
    assert client.get("/start/").url == "/login/"
    client.post("/start/", {**FORM, "username": "intruder"})
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_the_catalogue_before_a_framework_is_refused_with_a_reason(client):
    client.post("/start/", FORM)
    page = client.post("/start/catalogue/", follow=True).content.decode()
    assert "Load a competency framework first." in page and not Module.objects.exists()


@pytest.mark.django_db
def test_the_first_run_page_speaks_french(client):
    page = client.get("/start/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Démarrer Tremplin" in page and "Nom de l’entreprise" in page
