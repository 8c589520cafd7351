"""Every development page renders in French and English, for the roles that may see it."""

import pytest
from django.urls import reverse
from django.utils import translation

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


def test_plans_list_counts_searches_and_hides_done_plans_by_default(org, catalogue, client):
    generate_plans(people=Person.objects.all(), by=None)
    done = Plan.objects.get(person=org.people["accountant"])
    Plan.objects.filter(pk=done.pk).update(status="done")
    generate_plans(people=Person.objects.filter(pk=done.person_id), by=None)
    client.cookies["django_language"] = "en"
    client.force_login(org.users["lead"])
    url = reverse("learning:plans")
    current = Plan.objects.current().count()
    page = client.get(url)
    assert f"{current} plans".encode() in page.content
    assert page.content.count(org.people["accountant"].full_name.encode()) == 1
    everything = client.get(url, {"status": "all"})
    assert everything.content.count(org.people["accountant"].full_name.encode()) == 2
    found = client.get(url, {"q": org.people["seller_a"].first_name})
    assert org.people["seller_a"].full_name.encode() in found.content
    assert org.people["accountant"].full_name.encode() not in found.content
    client.force_login(org.users["manager"])  # a manager lists their reporting line's plans
    line = client.get(url)
    assert line.status_code == 200 and b'href="/development/plans/"' in line.content
    assert org.people["accountant"].full_name.encode() not in line.content


def test_hours_and_euros_read_naturally_in_french(org, catalogue, client):
    from tremplin.numbers import euros, hours

    with translation.override("fr"):
        assert hours("3.50") == "3,5\u00a0h" and hours(40) == "40\u00a0h"
        assert euros("12500") == "12\u202f500\u00a0€" or euros("12500") == "12\u00a0500\u00a0€"
        assert euros("12.5") == "12,50\u00a0€"
    with translation.override("en"):
        assert euros("12500") == "12,500\u00a0€" and hours("0.25") == "0.25\u00a0h"


def test_the_catalogue_shows_fifty_modules_a_page_keeping_its_filters(org, catalogue, client):
    from tremplin.learning.models import Module

    client.cookies["django_language"] = "en"
    client.force_login(org.users["employee"])
    url = reverse("learning:catalogue")
    total = Module.objects.filter(active=True).count()
    assert total > 50
    first = client.get(url).content.decode()
    assert f"{total} modules" in first and first.count("<details>") == 50
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("<details>") == min(total - 50, 50)
    model = Module.objects.filter(type="approach").first()
    for n in range(20):  # more than a page of the "approach" type
        model.pk, model.code = None, f"EXTRA-{n:02}"
        model.save()
    approach = Module.objects.filter(active=True, type="approach").count()
    assert approach > 50
    page = client.get(url, {"type": "approach", "q": ""}).content.decode()
    assert f"{approach} modules" in page and page.count("<details>") == 50
    assert "type=approach&amp;q=&amp;page=2" in page
    rest = client.get(url, {"type": "approach", "page": 2}).content.decode()
    last = Module.objects.filter(active=True, type="approach").order_by("code").last()
    assert rest.count("<details>") == approach - 50 and last.code in rest
