"""Logins and roles without the admin: the lead gives them one person or everyone at once, and
each person sets their password from an invitation link, spent once used."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import User

from tremplin.people.models import Person, Role, RoleAssignment, roles_of


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _link(html: str) -> str:
    return re.search(r'id="invitation-link" type="text" readonly value="http://testserver([^"]+)"',
                     html).group(1)  # fmt: skip


def test_the_lead_gives_a_login_and_the_person_sets_their_password(client, org):
    newcomer = Person.objects.create(
        employee_id="NEW1", first_name="Nina", last_name="Neuve", email="nina@example.com",
        manager=org.people["team_lead"],
    )  # fmt: skip
    client.force_login(org.users["lead"])
    page = client.get(f"/people/{newcomer.pk}/").content.decode()
    assert "No login yet." in page and 'value="employee" checked' in page
    client.post(f"/people/{newcomer.pk}/account/", {"roles": ["employee", "ambassador"]})
    newcomer.refresh_from_db()
    user = newcomer.user
    assert user.username == "nina@example.com" and not user.has_usable_password()
    assert roles_of(user) == {Role.EMPLOYEE, Role.AMBASSADOR}
    link = _link(client.get(f"/people/{newcomer.pk}/").content.decode())
    client.logout()
    form = client.get(link, follow=True)
    assert b"Choose your password" in form.content
    chosen = {"new_password1": "tremplin-nina-2026", "new_password2": "tremplin-nina-2026"}
    done = client.post(form.redirect_chain[-1][0], chosen)
    assert done.status_code == 302 and done.url == "/"
    assert client.get("/").context["me"] == newcomer  # signed in
    client.logout()
    signed = client.post(
        "/login/", {"username": "nina@example.com", "password": "tremplin-nina-2026"}
    )
    assert signed.status_code == 302
    client.logout()
    assert b"expired or was already used" in client.get(link, follow=True).content


def test_a_weak_password_is_refused_with_the_reason(client, org):
    client.force_login(org.users["lead"])
    seller = org.people["seller_b"]
    client.post(f"/people/{seller.pk}/account/", {"roles": ["employee"]})
    link = _link(client.get(f"/people/{seller.pk}/").content.decode())
    client.logout()
    form = client.get(link, follow=True)
    bad = client.post(form.redirect_chain[-1][0], {"new_password1": "12345678",
                                                   "new_password2": "12345678"})  # fmt: skip
    assert bad.status_code == 200 and b"too common" in bad.content
    assert not User.objects.get(person=seller).has_usable_password()


def test_roles_are_changed_but_the_lead_role_is_not_given_from_the_page(client, org):
    client.force_login(org.users["lead"])
    ceo = org.people["ceo"]
    client.post(f"/people/{ceo.pk}/account/", {"roles": ["executive", "lead"]})
    assert set(RoleAssignment.objects.filter(user=ceo.user).values_list("role", flat=True)) == {
        "executive"
    }
    client.force_login(org.users["manager"])
    assert client.post(f"/people/{ceo.pk}/account/", {"roles": ["employee"]}).status_code == 403


def test_everyone_without_a_login_gets_one_with_default_roles_and_links_in_a_csv(client, org):
    client.force_login(org.users["lead"])
    without = Person.objects.filter(user__isnull=True).count()
    assert without == 2  # the team lead and seller B
    client.post("/people/accounts/")
    assert not Person.objects.filter(user__isnull=True, active=True).exists()
    team_lead = Person.objects.get(pk=org.people["team_lead"].pk)
    assert roles_of(team_lead.user) == {Role.EMPLOYEE, Role.MANAGER}  # people report to them
    sheet = client.get("/people/accounts/invitations.csv").content.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(sheet), delimiter=";")
    assert header == ["Employee id", "First name", "Last name", "E-mail", "User name", "Link"]
    assert len(rows) == 2 and all(r[-1].startswith("http://testserver/welcome/") for r in rows)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    sheet = client.get("/people/accounts/invitations.csv").content.decode("utf-8-sig")
    assert sheet.startswith("Matricule;Prénom;Nom;E-mail;Nom d’utilisateur;Lien\r\n")


def test_a_name_that_reads_as_a_formula_is_written_as_text_in_the_invitations(client, org):
    Person.objects.filter(pk=org.people["seller_b"].pk).update(last_name='=HYPERLINK("x")')
    client.force_login(org.users["lead"])
    client.post("/people/accounts/")
    sheet = client.get("/people/accounts/invitations.csv").content.decode("utf-8-sig")
    names = [row[2] for row in csv.reader(io.StringIO(sheet), delimiter=";")]
    assert '\'=HYPERLINK("x")' in names and not any(n.startswith("=") for n in names)
