"""Lists in the same order on SQLite and PostgreSQL: a count drops the model's ordering (the
query groups), and a table without one comes back as PostgreSQL last wrote its rows; each list
a person reads names its order."""

import pytest

from tremplin.assessments.models import CurrentLevel
from tremplin.assessments.services import record_ratings
from tremplin.engagement.challenge_models import Community
from tremplin.governance.models import Charter
from tremplin.skills.models import Competence
from tremplin.skills.services import load_default_framework

pytestmark = pytest.mark.django_db


def test_current_levels_read_in_the_framework_s_order(client, org):
    load_default_framework()
    competences = list(Competence.objects.order_by("order", "code")[:4])
    seller = org.people["seller_a"]
    for competence in reversed(competences):  # rated last to first
        record_ratings(person=seller, levels={competence: 2}, source="self", assessor=seller)
    client.force_login(org.users["employee"])
    shown = [level.competence for level in client.get("/assessments/").context["levels"]]
    assert shown == competences
    client.force_login(org.users["manager"])
    page = client.get(f"/assessments/people/{seller.pk}/")
    assert [level.competence for level in page.context["levels"]] == competences
    assert CurrentLevel.objects.filter(person=seller).count() == 4


def test_charter_versions_newest_first_and_communities_by_name(client, org):
    for version in (1, 2, 3):
        Charter.objects.create(version=version, title_fr="C", title_en="C", body_fr="T",
                               body_en="T")  # fmt: skip
    for name in ("Zéphyr", "Atelier", "Maison"):
        Community.objects.create(name=name)
    client.force_login(org.users["lead"])
    versions = client.get("/governance/charter/").context["versions"]
    assert [charter.version for charter in versions] == [3, 2, 1]
    rows = client.get("/engagement/communities/").context["rows"]
    assert [community.name for community in rows] == ["Atelier", "Maison", "Zéphyr"]


def test_a_search_ignores_case_for_every_letter_on_any_database(client, org):
    """SQLite's LIKE ignored case for ASCII only: "émilie" missed "Émilie" there, not on
    PostgreSQL. Accents still count on both; the LIKE wildcards stay literal in a search."""
    from tremplin.people.models import Person

    Person.objects.filter(pk=org.people["seller_b"].pk).update(first_name="Émilie")
    client.force_login(org.users["lead"])

    def found(words: str) -> list[str]:
        return [p.first_name for p in client.get("/people/", {"q": words}).context["page"]]

    assert found("émilie") == ["Émilie"] and found("ÉMILIE") == ["Émilie"]
    assert found("%") == [] and found("_milie") == []
    assert found("SELLER_") == ["Seller_A"]  # an underscore is a character, not any one


def test_a_name_is_found_as_typed_without_its_accents(client, org):
    """A French user types "helene" for Hélène, "francois" for François: both sides folded,
    on SQLite and PostgreSQL alike, in the directory, the plans, the officer's search and the
    API."""
    from tremplin.people.models import Person
    from tremplin.people.name_search import fold, search_people

    seller = Person.objects.filter(pk=org.people["seller_b"].pk)
    seller.update(first_name="Hélène", last_name="Lefèvre-Cœur")
    everyone = Person.objects.all()
    for typed in ("helene", "HÉLÈNE", "Helene lefevre", "coeur", "lefèvre-cœur", "LEFEVRE"):
        assert [p.first_name for p in search_people(everyone, typed)] == ["Hélène"], typed
    assert not search_people(everyone, "helene dupont").exists()  # every word must match
    assert fold("Œuvre d’Élodie") == "oeuvre d'elodie"
    client.force_login(org.users["lead"])
    page = client.get("/people/", {"q": "helene"}).context["page"]
    assert [p.first_name for p in page] == ["Hélène"]
    endless = "helene " * 5_000  # the words past the sixth do not build the query
    assert client.get("/people/", {"q": endless}).status_code == 200
    assert client.get("/development/plans/", {"q": endless}).status_code == 200
