"""Values longer than their column: SQLite stores them, PostgreSQL refuses them (a 500, or an
import rolled back with no word of why). Each is now cut to fit or refused with its reason;
the PostgreSQL pass of `make test` runs these too."""

import pytest

from tremplin.accountability.audit import actor_name
from tremplin.people.accounts import give_login
from tremplin.people.imports.importer import import_people_file
from tremplin.people.models import JobFamily, OrgUnit, Person, Site

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HEADER = "Matricule;Nom;Prénom;Service;Métier;Établissement"


def _import(*rows: str):
    content = "\r\n".join([HEADER, *rows]).encode("utf-8")
    return import_people_file(content, "people.csv", {})


def test_a_long_job_family_or_site_name_gets_a_code_that_fits():
    family = "Chargé de clientèle entreprises et professionnels"  # 49 characters
    site = "Plateforme logistique régionale de Saint-Quentin-Fallavier"
    report = _import(f"A1;Durand;Léa;Ventes;{family};{site}",
                     f"A2;Petit;Noé;Ventes;{family} (bis);{site} (bis)")  # fmt: skip
    assert report.written and not report.problems, report.problems
    codes = [*JobFamily.objects.values_list("code", flat=True),
             *Site.objects.values_list("code", flat=True)]  # fmt: skip
    assert len(codes) == 4 and all(len(code) <= 40 for code in codes), codes
    assert len(set(codes)) == 4


def test_a_unit_name_longer_than_its_column_is_refused_with_its_row():
    report = _import("A1;Durand;Léa;Direction / " + "Service " * 30 + ";Ventes;Lyon")
    assert not report.written and not Person.objects.exists() and not OrgUnit.objects.exists()
    assert any("at most 200 characters" in p.message and p.row == 2 for p in report.problems)


def test_a_long_e_mail_makes_a_login_that_fits(org):
    person = org.people["seller_b"]
    person.email = "a" * 60 + "@" + ("b" * 60 + ".") * 2 + "example.com"
    person.save(update_fields=["email"])
    give_login(person)
    person.refresh_from_db()
    assert len(person.user.username) <= 150


def test_two_long_names_fit_the_audit_log(org):
    person = org.people["hr"]
    person.first_name, person.last_name = "A" * 150, "B" * 150
    person.save(update_fields=["first_name", "last_name"])
    assert len(actor_name(org.users["lead"])) == 150


def test_a_link_longer_than_its_column_is_refused_by_the_form(client, org):
    client.force_login(org.users["lead"])
    page = client.post(
        "/development/sessions/new/", {"video_link": "https://x.example/" + "v" * 300}
    )
    assert page.status_code == 200 and "at most 200 characters" in page.content.decode()


def test_imported_frameworks_templates_modules_and_items_say_what_is_too_long():
    """The framework, survey template, catalogue and item bank imports checked each text
    against nothing: a competence code of 50 characters, a question key of 40, a module title
    of 250, an item code of 50 rolled the import back with a server error on PostgreSQL."""
    import copy
    import json

    from tremplin.assessments.bank import check_item
    from tremplin.learning.catalogue import check_module
    from tremplin.skills.interchange import validate_framework_dict
    from tremplin.skills.services import DEFAULT_FRAMEWORK
    from tremplin.voice.services import template_errors, templates

    framework = json.loads(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    assert validate_framework_dict(framework) == []
    broken = copy.deepcopy(framework)
    first = broken["competences"][0]
    first["code"], first["order"] = "C" * 50, 3_000_000_000
    first["levels"].append({"level": 70_000, "fr": "x", "en": "x"})
    said = " ".join(p.message for p in validate_framework_dict(broken))
    assert "at most 40 characters" in said and "0 to 1,000,000" in said and "0 to 4" in said

    template = copy.deepcopy(templates()["sentiment"])
    assert template_errors(template) == []
    template["questions"][0]["key"] = "k" * 40
    assert any("at most 30 characters" in error for error in template_errors(template))

    row = {"code": "M-LONG", "title_fr": "T" * 250, "title_en": "T", "type": "course",
           "format": "elearning", "delivery": "online", "duration_hours": "2",
           "cost_per_seat": "100000000", "languages": "fr", "raises": ""}  # fmt: skip
    _module, problems = check_module(row, "row 2", set())
    assert any("200 characters at most" in p for p in problems)
    assert any("cost_per_seat" in p for p in problems)
    _item, problems = check_item({"code": "I" * 50}, "row 2", set())
    assert any("40 characters at most" in p for p in problems)
