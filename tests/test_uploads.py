"""Hostile uploads: every import reads within the same limits, refuses what exceeds them with a
clear message, keeps nothing of a refused file, and never lets a small crafted file take the
server's memory. Each file here is built byte by byte as an attacker would (`tests.hostile`)."""

import json
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.hostile import BILLION_LAUGHS, xlsx
from tremplin.people.imports.importer import preview_people_file
from tremplin.people.models import PeopleImport
from tremplin.skills.services import load_default_framework
from tremplin.spreadsheets import read_table
from tremplin.uploads import UploadError, read_json

HEADER = ["Matricule", "Nom", "Prénom"]


@pytest.fixture(autouse=True)
def in_english():
    """The messages below are read in English (the installation's language is French)."""
    with translation.override("en"):
        yield


UPLOADS = {  # every import page, and what its form is called
    "people": "/people/import/",
    "framework": "/framework/import/",
    "catalogue": "/development/catalogue/import/",
    "items": "/assessments/items/",
}


@pytest.fixture
def lead(client, org):
    load_default_framework()  # the catalogue and the item bank need one
    client.force_login(org.users["lead"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _post(client, url: str, name: str, content: bytes):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _peak(work) -> tuple[object, int]:
    """What `work()` returns and the most memory (bytes) Python held meanwhile."""
    tracemalloc.start()
    try:
        found = work()
        return found, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_a_small_workbook_of_half_a_million_rows_is_refused_without_eating_memory(lead):
    bomb = xlsx([HEADER], repeat=(["1001", "Martin", "Anne"], 500_000))
    assert len(bomb) < 300_000  # the attack: a few hundred kilobytes
    response, peak = _peak(lambda: _post(lead, UPLOADS["people"], "people.xlsx", bomb))
    page = response.content.decode()
    assert response.status_code == 200 and "more than 250,000 rows" in page
    assert peak < 100 * 2**20, peak
    assert not PeopleImport.objects.exists()  # a refused file is not kept


@pytest.mark.django_db
def test_duplicate_ids_are_reported_in_a_size_that_grows_with_the_rows_only(org):
    rows = "\r\n".join(["Matricule;Nom;Prénom"] + ["1001;Martin;Anne"] * 20_000)
    report, peak = _peak(lambda: preview_people_file(rows.encode(), "people.csv", {}))
    assert report.rejected_rows == 20_000
    assert max(len(p.message) for p in report.problems) < 80
    assert "appears again on 19999 other rows" in report.problems[0].message
    assert "already appears on row 2" in report.problems[-1].message
    assert peak < 300 * 2**20, peak


def test_a_declared_sheet_size_is_not_trusted():
    padded = xlsx([HEADER, ["1001", "Martin", "Anne"]], dimension="A1:XFD1048576")
    table, peak = _peak(lambda: read_table(padded, "people.xlsx"))
    assert table.header == HEADER and table.rows[0][1] == ["1001", "Martin", "Anne"]
    assert peak < 20 * 2**20, peak


@pytest.mark.parametrize("where", ["people", "catalogue"])
@pytest.mark.django_db
def test_a_workbook_with_a_dtd_is_refused_with_a_reason(lead, where):
    laughs = xlsx([HEADER, ["&lol2;", "x", "y"]], prolog=BILLION_LAUGHS)
    page = _post(lead, UPLOADS[where], "people.xlsx", laughs).content.decode()
    assert "declares a DTD or entities" in page


def test_a_cell_far_to_the_right_is_refused():
    wide = xlsx([HEADER, ["1001"] + [""] * 300 + ["far"]])
    with pytest.raises(UploadError, match=r"column [A-Z]+; at most 200 columns are read"):
        read_table(wide, "people.xlsx")


def test_a_csv_of_a_hundred_thousand_columns_is_refused_at_once():
    wide = (";".join(f"c{i}" for i in range(100_000)) + "\r\n" + "x;" * 99_999 + "x").encode()
    assert len(wide) > 500_000
    with pytest.raises(UploadError, match="at most 200 columns"):
        read_table(wide, "wide.csv")


def test_a_cell_longer_than_the_limit_is_refused_with_its_place():
    long = ("Matricule;Nom\r\n1001;" + "x" * 20_000).encode()
    with pytest.raises(UploadError, match=r"Row 2, column B: the cell holds 20,000 characters"):
        read_table(long, "people.csv")


@pytest.mark.parametrize("where", ["framework", "catalogue", "items"])
@pytest.mark.django_db
def test_json_nested_a_hundred_thousand_deep_is_refused_everywhere(lead, where):
    deep = b"[" * 100_000 + b"]" * 100_000
    response = _post(lead, UPLOADS[where], "deep.json", deep)
    assert response.status_code == 200
    assert "nests 100000 levels deep; at most 40 are read" in response.content.decode()


def test_json_errors_say_where():
    with pytest.raises(UploadError, match="line 2, column 5"):
        read_json(b'{"a":\n    }')
    assert read_json(json.dumps({"a": [1, {"b": "[[["}]}).encode()) == {"a": [1, {"b": "[[["}]}


@pytest.mark.django_db
def test_too_large_a_file_names_both_sizes_apart(lead, settings):
    settings.IMPORT_MAX_BYTES = 50 * 2**20
    just_over = b"Matricule;Nom\r\n" + b"1;x\r\n" * ((50 * 2**20) // 5 + 100)
    page = _post(lead, UPLOADS["catalogue"], "big.csv", just_over).content.decode()
    assert "The file is 50.0004 MB; the limit is 50.0000 MB." in page


def test_shift_jis_is_refused_and_utf32_is_read():
    words = ["社員", "営業", "山田", "花子", "太郎", "東京", "開発", "品質", "企画", "販売"]
    text = "Matricule;Nom\r\n" + "\r\n".join(f"{i};{words[i % 10]}{words[(i + 3) % 10]}"
                                            for i in range(40))  # fmt: skip
    with pytest.raises(UploadError, match="Save it as CSV UTF-8"):
        read_table(text.encode("shift_jis"), "people.csv")
    table = read_table("Matricule;Prénom\r\n1001;Élodie\r\n".encode("utf-32"), "people.csv")
    assert table.header == ["Matricule", "Prénom"] and table.rows[0][1] == ["1001", "Élodie"]


def test_repeated_headers_are_named_by_their_column():
    table = read_table(b"Matricule;Email;Email\r\n1;a@x.fr;b@x.fr\r\n", "people.csv")
    assert table.header == ["Matricule", "Email (column B)", "Email (column C)"]
