from pathlib import Path

import pytest
from django.urls import reverse

from tremplin.people.models import PeopleImport, Person
from tremplin.skills.models import JobFamilyTarget
from tremplin.skills.services import load_default_framework

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.django_db
PAGES = ["home", "people:directory", "people:org_chart", "skills:browser"]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("username", ["lead", "executive", "manager", "employee", "cse"])
def test_every_role_gets_its_pages_in_both_languages(client, org, username, language):
    load_default_framework()
    client.force_login(org.users[username])
    client.cookies["django_language"] = language
    for name in PAGES:
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        assert f'<html lang="{language}">' in response.content.decode()
    page = client.get(reverse("skills:browser")).content.decode()
    assert ("Palier 1" in page) if language == "fr" else ("Tier 1" in page)


def test_directory_search_and_filters(client, org):
    client.force_login(org.users["lead"])
    page = client.get(reverse("people:directory"), {"q": "seller"}).content.decode()
    assert "Seller_A" in page and "Accountant" not in page
    unit = org.people["accountant"].org_unit
    page = client.get(reverse("people:directory"), {"org_unit": unit.pk}).content.decode()
    assert "Accountant" in page and "Seller_A" not in page


def test_import_in_the_browser_previews_maps_and_imports_only_when_asked(client, org):
    client.force_login(org.users["lead"])
    client.cookies["django_language"] = "en"
    with (FILES / "people_unknown_headers.csv").open("rb") as handle:
        response = client.post(reverse("people:import_upload"), {"file": handle})
    batch = PeopleImport.objects.get()
    assert response["Location"] == reverse("people:import_preview", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "No column holds the employee id" in page and "Code agent" in page
    count = Person.objects.count()
    url = reverse("people:import_preview", args=[batch.pk])
    client.post(url, {"action": "remap", "column_0": "employee_id", "column_1": "org_unit"})
    page = client.get(url).content.decode()
    assert "No column holds" not in page
    assert Person.objects.count() == count  # a preview writes nothing
    client.post(url, {"action": "import_all"})
    assert Person.objects.count() == count + 2
    batch.refresh_from_db()
    assert batch.status == PeopleImport.Status.IMPORTED
    client.post(url, {"action": "import_all"})  # a second click does nothing more
    assert Person.objects.count() == count + 2


def test_a_file_with_errors_imports_nothing_until_valid_rows_are_chosen(client, org):
    client.force_login(org.users["lead"])
    client.cookies["django_language"] = "en"
    with (FILES / "people_errors.csv").open("rb") as handle:
        response = client.post(reverse("people:import_upload"), {"file": handle})
    page = client.get(response["Location"]).content.decode()
    assert "is not a day of the calendar" in page and "Import only the valid rows" in page
    assert "Kept, with a field left empty" in page
    count = Person.objects.count()
    client.post(response["Location"], {"action": "import_all"})
    assert Person.objects.count() == count
    client.post(response["Location"], {"action": "import_valid"})
    assert Person.objects.count() == count + 3  # the row whose hire date was wrong, too


def test_lead_edits_job_family_targets(client, org):
    framework = load_default_framework()
    family = org.people["seller_a"].job_family
    client.force_login(org.users["lead"])
    url = reverse("skills:targets_edit", args=[framework.pk, family.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"level_T1-PRIVACY": "4", "weight_T1-PRIVACY": "2.5", "priority_T1-PRIVACY": "on"}
    )
    assert response.status_code == 302
    target = JobFamilyTarget.objects.get(job_family=family, competence__code="T1-PRIVACY")
    assert (target.level, float(target.weight), target.priority) == (4, 2.5, True)
    assert family.targets.count() == 1  # the others went back to their persona's targets
    response = client.post(url, {"level_T1-PRIVACY": "4", "weight_T1-PRIVACY": "-3"})
    assert response.status_code == 200 and family.targets.count() == 1
    # Every weight shows with the same two places, inherited or set ("1.00" beside "2.50").
    import re

    page = client.get(url).content.decode()
    weights = dict(re.findall(r'name="weight_([^"]+)" value="([^"]*)"', page))
    assert weights.pop("T1-PRIVACY") == "2.50"
    assert weights and set(weights.values()) == {"1.00"}


def test_framework_import_page_reports_problems_and_writes_nothing(client, org):
    client.force_login(org.users["lead"])
    client.cookies["django_language"] = "en"
    with (FILES / "people_en.csv").open("rb") as handle:
        response = client.post(
            reverse("skills:import"),
            {"file": handle, "code": "x", "version": "1", "name_fr": "x", "name_en": "x"},
        )
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()


def test_login_switches_to_the_persons_preferred_language(client, org):
    person = org.people["seller_a"]
    person.preferred_language = "en"
    person.save()
    response = client.post(reverse("login"), {"username": "employee", "password": "pw-employee"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


def test_stylesheets_are_served_without_collectstatic(client):
    for path in ("/static/vendor/pico-2.min.css", "/static/tremplin/tremplin.css"):
        response = client.get(path)
        assert response.status_code == 200 and "css" in response["Content-Type"]
