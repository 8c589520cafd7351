"""Names in alphabetical order as people read it, on SQLite and PostgreSQL alike: letters first,
then accents and case, where the databases compared bytes ("Zola" before "de Gaulle" before
"Élodie")."""

import pytest
from django.urls import reverse

from tremplin.alphabetical import person_key, sort_key
from tremplin.engagement.forms import AmbassadorForm
from tremplin.people.models import OrgUnit, Person, Site

# As a French reader orders them (a dictionary's order, the people list's).
EXPECTED = ["Bernard", "de Gaulle", "Dubois", "Élodie", "Émile", "Eve", "Martin", "Zola"]


@pytest.fixture
def named(org):
    unit = org.people["seller_a"].org_unit
    for i, last in enumerate(reversed(EXPECTED)):  # written in another order than expected
        Person.objects.create(employee_id=f"N{i}", first_name="Ana", last_name=last,
                              org_unit=unit)  # fmt: skip
    return Person.objects.filter(employee_id__startswith="N")


@pytest.mark.django_db
def test_the_database_orders_names_as_a_reader_does(named):
    assert [p.last_name for p in named] == EXPECTED
    # Byte order, which this replaces, would have put them otherwise.
    assert sorted(EXPECTED) != EXPECTED


@pytest.mark.django_db
def test_sorting_in_memory_gives_the_databases_order(named):
    people = list(named)
    assert sorted(reversed(people), key=person_key) == people


@pytest.mark.django_db
def test_the_directory_lists_people_alphabetically(client, org, named):
    client.force_login(org.users["lead"])
    page = client.get(reverse("people:directory"), {"q": "Ana"}).content.decode()
    places = [page.index(f">{name}") if f">{name}" in page else page.index(name)
              for name in EXPECTED]  # fmt: skip
    assert places == sorted(places)


@pytest.mark.django_db
def test_unit_and_site_names_are_alphabetical_too():
    for name in ("Zone sud", "atelier", "Équipe nord"):
        Site.objects.create(code=name[:3], name=name)
        OrgUnit.objects.create(code=name[:3], name=name)
    expected = ["atelier", "Équipe nord", "Zone sud"]
    assert [s.name for s in Site.objects.all()] == expected
    teams = AmbassadorForm().fields["teams"].queryset  # the units an ambassador may cover
    assert [u.name for u in teams] == expected


def test_in_memory_order_sets_accents_and_case_aside_as_icu_does():
    names = ["Zola", "Šimon", "De Gaulle", "de Gaulle", "Œuvray", "Oeste"]
    assert sorted(names, key=sort_key) == ["de Gaulle", "De Gaulle", "Oeste", "Œuvray", "Šimon",
                                           "Zola"]  # fmt: skip


@pytest.mark.django_db
def test_a_postgresql_without_icu_is_refused_at_migrate():
    from django.db import connection

    from tremplin.alphabetical import icu_collation

    if connection.vendor != "postgresql":
        pytest.skip("SQLite sorts with its own collation")
    assert icu_collation(None, databases=["default"]) == []
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute('ALTER COLLATION "fr-x-icu" RENAME TO tremplin_hidden')
    assert [e.id for e in icu_collation(None, databases=["default"])] == ["tremplin.E001"]
