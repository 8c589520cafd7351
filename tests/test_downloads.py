"""A downloaded file is named in the reader's language, in plain ASCII ("personnes-….xlsx",
"people-….xlsx"; "données personnelles" as "donnees-personnelles")."""

import pytest
from django.utils import timezone

from tremplin.downloads import file_name


def test_a_file_name_is_plain_ascii_joined_by_hyphens():
    assert file_name("données personnelles", 12, "2026-12-05", extension="pdf") == (
        "donnees-personnelles-12-2026-12-05.pdf"
    )
    assert file_name("Émargement", "", "IA 101", extension="pdf") == "emargement-ia-101.pdf"


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "people", "items"), [
    ("fr", "personnes", "questions"), ("en", "people", "items"),
])  # fmt: skip
def test_downloads_are_named_in_the_readers_language(client, org, lang, people, items):
    client.cookies["django_language"] = lang
    client.force_login(org.users["lead"])
    day = timezone.localdate().isoformat()
    response = client.get("/people/export.xlsx")
    assert response["Content-Disposition"] == f'attachment; filename="{people}-{day}.xlsx"'
    response = client.get("/assessments/items/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="tremplin-{items}.json"'
