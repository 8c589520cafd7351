"""Who can see and change what: the matrix of roles against people and pages."""

import re

import pytest
from django.urls import reverse

from tremplin.people.models import Person

pytestmark = pytest.mark.django_db

# A CSRF token is 64 random letters and digits: it can spell any short name.
TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|csrf-token" content=")[^"]*"')


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    """A page's HTML without its random CSRF tokens."""
    return TOKEN.sub(r'\1"', response.content.decode())


VISIBLE = {
    "lead": {
        "ceo",
        "hr",
        "sales_director",
        "team_lead",
        "seller_a",
        "seller_b",
        "finance_head",
        "accountant",
        "controller",
    },
    "manager": {"sales_director", "team_lead", "seller_a", "seller_b"},
    "peer_manager": {"finance_head", "accountant", "controller"},
    "employee": {"seller_a"},
    "executive": {"ceo"},
    "ambassador": {"accountant"},
    "cse": {"controller"},
}


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_people_visible_to_each_role(org, username):
    visible = Person.objects.visible_to(org.users[username])
    names = {key for key, person in org.people.items() if visible.filter(pk=person.pk).exists()}
    assert names == VISIBLE[username]


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_person_pages_follow_the_same_scope(client, org, username):
    client.force_login(org.users[username])
    for key, person in org.people.items():
        response = client.get(reverse("people:detail", args=[person.pk]))
        expected = 200 if key in VISIBLE[username] else 403
        assert response.status_code == expected, (username, key)


def test_manager_reaches_indirect_reports_but_not_another_team(org):
    scope = Person.objects.visible_to(org.users["manager"])
    assert scope.filter(pk=org.people["seller_b"].pk).exists()  # two levels down
    assert not scope.filter(pk=org.people["accountant"].pk).exists()
    assert not scope.filter(pk=org.people["ceo"].pk).exists()  # not upwards either


def test_works_council_sees_no_named_person_in_directory_org_chart_or_export(client, org):
    for key in ("ceo", "sales_director", "finance_head"):  # each heads their unit
        unit = org.people[key].org_unit
        unit.head = org.people[key]
        unit.save()
    client.force_login(org.users["cse"])
    directory = page_text(client.get(reverse("people:directory"), follow=True))
    for key in ("ceo", "sales_director", "seller_a", "accountant"):  # only their own manager
        assert org.people[key].first_name not in directory
    chart = page_text(client.get(reverse("people:org_chart")))
    assert "Finance" in chart
    for key in ("ceo", "sales_director"):
        assert org.people[key].first_name not in chart
    assert org.people["finance_head"].first_name in chart  # their own manager, as an employee
    assert client.get(reverse("people:export", args=["csv"])).status_code == 403


def test_manager_export_holds_only_the_reporting_line(client, org):
    client.force_login(org.users["manager"])
    text = client.get(reverse("people:export", args=["csv"])).content.decode("utf-8-sig")
    ids = {line.split(";")[0] for line in text.splitlines()[1:]}
    assert ids == {"SALES_DIRECTOR", "TEAM_LEAD", "SELLER_A", "SELLER_B"}


LEAD_ONLY = [
    ("get", "people:import_upload", []),
    ("get", "skills:targets", []),
    ("get", "skills:import", []),
]


@pytest.mark.parametrize("username", ["executive", "manager", "employee", "ambassador", "cse"])
@pytest.mark.parametrize(("method", "name", "args"), LEAD_ONLY)
def test_only_the_programme_lead_reaches_imports_and_targets(
    client, org, username, method, name, args
):
    client.force_login(org.users[username])
    assert getattr(client, method)(reverse(name, args=args)).status_code == 403


def test_non_lead_cannot_post_an_import_or_change_targets(client, org):
    from tremplin.skills.services import load_default_framework

    framework = load_default_framework()
    family = org.people["seller_a"].job_family
    before = list(family.targets.values())
    client.force_login(org.users["manager"])
    url = reverse("skills:targets_edit", args=[framework.pk, family.pk])
    assert client.post(url, {"level_T1-PRIVACY": "4"}).status_code == 403
    assert list(family.targets.values()) == before
    upload = reverse("people:import_upload")
    assert client.post(upload, {"file": b"x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, org):
    for name in ("home", "people:directory", "people:org_chart", "skills:browser"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Person.objects.visible_to(
        __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
    ).exists()
