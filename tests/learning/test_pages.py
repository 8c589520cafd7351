"""Every development page renders in French and English, for the roles that may see it."""

import pytest
from django.urls import reverse

from tremplin.learning.models import Plan
from tremplin.learning.services import generate_plans
from tremplin.people.models import Person


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_development_page_renders_in_both_languages(org, catalogue, client, lang):
    generate_plans(people=Person.objects.all(), by=None)
    plan = Plan.objects.get(person=org.people["seller_a"])
    client.cookies["django_language"] = lang
    client.force_login(org.users["lead"])
    for url in [
        reverse("learning:catalogue"),
        reverse("learning:catalogue") + "?type=workshop&competence=T2-PROMPT&q=prompt",
        reverse("learning:catalogue_import"),
        reverse("learning:person", args=[org.people["seller_a"].pk]),
        reverse("learning:plans"),
        reverse("learning:plan", args=[plan.pk]),
        reverse("learning:company_gaps"),
        reverse("learning:company_gaps") + "?by=family",
        reverse("learning:company_gaps") + "?by=site",
        reverse("learning:generate_population"),
        reverse("learning:settings"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{lang}"'.encode() in response.content
    client.force_login(org.users["manager"])
    response = client.get(reverse("learning:team_gaps"))
    assert response.status_code == 200
    assert org.people["seller_a"].full_name.encode() in response.content
    assert org.people["accountant"].full_name.encode() not in response.content


def test_roles_without_the_right_get_403(org, catalogue, client):
    client.force_login(org.users["employee"])
    for name in ("team_gaps", "company_gaps", "generate_population", "catalogue_import",
                 "settings"):  # fmt: skip
        assert client.get(reverse(f"learning:{name}")).status_code == 403, name
    other = org.people["accountant"]
    assert client.get(reverse("learning:person", args=[other.pk])).status_code == 403
    assert client.post(reverse("learning:generate", args=[other.pk])).status_code == 403
    client.force_login(org.users["cse"])
    assert client.get(reverse("learning:company_gaps")).status_code == 403


def test_person_page_shows_gaps_and_proposes_a_plan(org, catalogue, client):
    client.force_login(org.users["employee"])
    me = org.people["seller_a"]
    response = client.get(reverse("learning:person", args=[me.pk]))
    assert response.status_code == 200 and b"T1-FUNDAMENTALS" in response.content
    response = client.post(reverse("learning:generate", args=[me.pk]), follow=True)
    assert Plan.objects.filter(person=me).count() == 1
    plan = Plan.objects.get(person=me)
    page = client.get(reverse("learning:plan", args=[plan.pk]))
    assert plan.items.first().module.code.encode() in page.content


def test_population_generation_runs_in_the_background_with_progress(org, catalogue, client):
    client.force_login(org.users["lead"])
    response = client.post(reverse("learning:generate_population"), {"org_unit": ""})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert Plan.objects.count() == Person.objects.filter(active=True).count()
