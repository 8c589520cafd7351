"""The framework export is the programme lead's, never runs as a formula in a spreadsheet,
and survives a round trip; download names are quoted safely whatever they hold."""

import csv
import io

import pytest

from tests.conftest import make_user
from tremplin.people.models import Role
from tremplin.skills.interchange import framework_dict_from_csv
from tremplin.skills.models import Competence, Framework
from tremplin.skills.services import load_default_framework
from tremplin.spreadsheets import cell_text, read_table


@pytest.mark.django_db
def test_the_framework_csv_neutralises_formulas_and_reads_back(client, org):
    framework = load_default_framework()
    hostile = ['=HYPERLINK("http://evil.example","x")', "+1+1", "@SUM(1)", "-2+3"]
    for competence, text in zip(framework.competences.order_by("order"), hostile, strict=False):
        Competence.objects.filter(pk=competence.pk).update(name_fr=text)
    url = f"/framework/{framework.pk}/export.csv"
    client.force_login(org.users["employee"])
    assert client.get(url).status_code == 403
    client.force_login(org.users["lead"])
    response = client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = [row[rows[0].index("name_fr")] for row in rows[1:5]]
    assert names == ["'" + text for text in hostile]
    table = read_table(response.content, "framework.csv")  # as the import reads it back
    rows = [table.header] + [[cell_text(c) for c in cells] for _n, cells in table.rows]
    meta = {"code": "X", "version": "1", "name_fr": "X", "name_en": "X"}
    again = framework_dict_from_csv(rows, meta)
    assert [c["name_fr"] for c in again["competences"][:4]] == hostile
    assert client.get(f"/framework/{framework.pk}/export.exe").status_code == 404


@pytest.mark.django_db
def test_download_names_are_quoted(client, org):
    framework = load_default_framework()
    Framework.objects.filter(pk=framework.pk).update(code='a"b;c=d\r\nSet-Cookie: x=1')
    client.force_login(org.users["lead"])
    response = client.get(f"/framework/{framework.pk}/export.json")
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and 'filename="a"b' not in header
    assert header.startswith("attachment; filename")


@pytest.mark.django_db
def test_the_export_links_are_shown_only_to_those_the_export_lets_in(client, org):
    framework = load_default_framework()
    exports = [f"/framework/{framework.pk}/export.{kind}" for kind in ("json", "csv")]
    dpo = make_user("dpo", None, Role.DATA_PROTECTION)
    for user in [*(org.users[k] for k in ("employee", "manager", "cse", "executive",
                                          "ambassador")), dpo]:  # fmt: skip
        client.force_login(user)
        page = client.get("/framework/").content.decode()
        assert "/export." not in page, user
        assert all(client.get(url).status_code == 403 for url in exports)
    client.force_login(org.users["lead"])
    page = client.get("/framework/").content.decode()
    assert all(f'href="{url}"' in page for url in exports)
    assert all(client.get(url).status_code == 200 for url in exports)
