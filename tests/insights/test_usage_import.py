"""The programme lead imports a vendor's usage report: upload, columns recognised or mapped,
preview, import; bad files and bad rows said plainly, nothing half-written, nothing counted
twice. Every file here is written as the vendors' exports are, in the test's own folder."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tremplin.insights.usage_import import app_name, guess
from tremplin.insights.usage_models import UsageDay

pytestmark = pytest.mark.usefixtures("english")

URL = "/insights/usage/"


def _day(ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=ago)).isoformat()


@pytest.fixture
def lead(org, client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    for key, email in (("seller_a", "Anne.Seller@Example.fr"), ("seller_b", "b@example.fr"),
                       ("accountant", "compta@example.fr")):  # fmt: skip
        org.people[key].email = email
        org.people[key].save(update_fields=["email"])
    client.cookies["django_language"] = "en"
    client.force_login(org.users["lead"])
    return client


def _copilot(tmp_path, *rows: str) -> "io.BufferedReader":
    """Microsoft 365 Copilot's usage user detail report, as the admin center exports it."""
    header = ("Report Refresh Date,User Principal Name,Display Name,Last Activity Date,"
              "Microsoft Teams Copilot Last Activity Date,Word Copilot Last Activity Date,"
              "Report Period")  # fmt: skip
    path = tmp_path / "Copilot usage user detail.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode())
    return path.open("rb")


def _chatgpt(tmp_path, *rows: str, name="chatgpt-users-weekly.csv") -> "io.BufferedReader":
    """ChatGPT Enterprise's weekly user export."""
    header = "name,email,period_start,period_end,last_day_active_in_period,messages"
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path.open("rb")


def _upload(client, file):
    response = client.post(URL, {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


def test_a_copilot_report_is_recognised_previewed_and_imported_once(lead, tmp_path):
    refresh = _day(2)
    url = _upload(lead, _copilot(
        tmp_path,
        f"{refresh},ANNE.SELLER@example.fr,Anne Seller,{_day(3)},{_day(3)},{_day(9)},30",
        f"{refresh},b@example.fr,B,,,,30",  # licensed, never used it: skipped
        f"{refresh},compta@example.fr,Compta,{_day(20)},,{_day(20)},30",
    ))  # fmt: skip
    page = lead.get(url)
    preview = page.context["preview"]
    mapping = preview.mapping
    assert mapping.columns["User Principal Name"] == "email"
    assert mapping.columns["Last Activity Date"] == "day"
    assert mapping.tool == "Microsoft 365 Copilot"
    assert page.context["apps"] == ["Microsoft Teams Copilot Last Activity Date",
                                    "Word Copilot Last Activity Date"]  # fmt: skip
    assert (preview.rows, preview.skipped, preview.bad_rows, preview.created) == (3, 1, 0, 2)
    assert not UsageDay.objects.exists()  # a preview writes nothing
    token = url.partition("upload=")[2]
    done = lead.post(URL, {"upload": token, "action": "import"}, follow=True)
    assert "2 days of use added" in done.content.decode()
    stored = UsageDay.objects.order_by("day")
    assert [(u.person.email, u.tool, u.source) for u in stored] == [
        ("compta@example.fr", "Microsoft 365 Copilot", "file"),
        ("Anne.Seller@Example.fr", "Microsoft 365 Copilot", "file"),
    ]
    assert not list((tmp_path / "usage-uploads").glob(f"{token}*"))  # the file is gone
    # The same report again: nothing added, nothing counted twice.
    again = _upload(lead, _copilot(
        tmp_path,
        f"{refresh},ANNE.SELLER@example.fr,Anne Seller,{_day(3)},{_day(3)},{_day(9)},30",
        f"{refresh},compta@example.fr,Compta,{_day(20)},,{_day(20)},30",
    ))  # fmt: skip
    assert lead.get(again).context["preview"].unchanged == 2
    lead.post(URL, {"upload": again.partition("upload=")[2], "action": "import"})
    assert UsageDay.objects.count() == 2


def test_per_app_columns_count_each_app_as_a_tool_when_mapped(lead, tmp_path):
    url = _upload(
        lead,
        _copilot(
            tmp_path, f"{_day(1)},anne.seller@example.fr,Anne,{_day(3)},{_day(3)},{_day(9)},30"
        ),
    )
    token = url.partition("upload=")[2]
    headers = lead.get(url).context["preview"].headers
    form = {"upload": token, "action": "remap", "tool": "Microsoft 365 Copilot", "day": ""}
    for i, header in enumerate(headers):
        form[f"column_{i}"] = {"User Principal Name": "email", "Last Activity Date": "day"}.get(
            header, "app_day" if "Copilot Last" in header else "ignore"
        )
    assert lead.post(URL, form).status_code == 302
    preview = lead.get(url).context["preview"]
    assert preview.tools == ["Microsoft 365 Copilot", "Microsoft Teams Copilot", "Word Copilot"]
    assert preview.created == 3


def test_a_chatgpt_export_counts_messages_and_a_week_without_any_is_no_use(lead, tmp_path):
    url = _upload(lead, _chatgpt(
        tmp_path,
        f"Anne,anne.seller@example.fr,{_day(13)},{_day(7)},{_day(8)},\"1 204\"",
        f"B,b@example.fr,{_day(13)},{_day(7)},,0",
    ))  # fmt: skip
    preview = lead.get(url).context["preview"]
    assert preview.mapping.columns["messages"] == "actions"
    assert preview.mapping.columns["last_day_active_in_period"] == "day"
    assert preview.mapping.tool == "ChatGPT Enterprise"
    assert (preview.created, preview.skipped) == (1, 1)
    lead.post(URL, {"upload": url.partition("upload=")[2], "action": "import"})
    assert UsageDay.objects.get().actions == 1204


def test_a_file_in_an_unknown_encoding_is_refused_and_not_kept(lead, tmp_path):
    path = tmp_path / "usage.csv"
    text = "email;jour;outil;messages\n" + "".join(
        f"{n}@example.fr;{_day(2)};生成AIツール・コパイロット;{n}\n" for n in range(30)
    )
    path.write_bytes(text.encode("shift_jis"))
    page = lead.post(URL, {"file": path.open("rb")})
    assert page.status_code == 200
    assert "encoding was not recognised" in page.content.decode()
    assert not (tmp_path / "usage-uploads").exists() or not any(
        (tmp_path / "usage-uploads").iterdir()
    )
    assert not UsageDay.objects.exists()


def test_unknown_people_future_days_and_negative_counts_are_named_row_by_row(lead, tmp_path):
    url = _upload(lead, _chatgpt(
        tmp_path,
        f"Anne,anne.seller@example.fr,{_day(13)},{_day(7)},{_day(8)},12",  # row 2: good
        f"Ghost,ghost@example.fr,{_day(13)},{_day(7)},{_day(8)},5",  # 3: nobody
        f"B,b@example.fr,{_day(13)},{_day(7)},{_day(-2)},5",  # 4: the day after tomorrow
        f"C,compta@example.fr,{_day(13)},{_day(7)},{_day(8)},-4",  # 5: negative
        f"C,compta@example.fr,{_day(13)},{_day(7)},le 3 mars,4",  # 6: not a date
    ))  # fmt: skip
    page = lead.get(url)
    found = {(p.row, p.column): (p.value, p.message) for p in page.context["preview"].problems}
    assert found == {
        (3, "email"): ("ghost@example.fr", "no person has this e-mail"),
        (4, "last_day_active_in_period"): (_day(-2), "this day is in the future"),
        (5, "messages"): ("-4", "expected a whole number of 0 or more"),
        (6, "last_day_active_in_period"): ("le 3 mars",
                                           "expected a date as dd/mm/yyyy or yyyy-mm-dd"),
    }  # fmt: skip
    html = page.content.decode()
    assert "ghost@example.fr" in html and "Import only the valid rows" in html
    token = url.partition("upload=")[2]
    refused = lead.post(URL, {"upload": token, "action": "import"}, follow=True)
    assert "Nothing was imported" in refused.content.decode()
    assert not UsageDay.objects.exists()  # nothing half-written
    lead.post(URL, {"upload": token, "action": "import_valid"})
    assert [u.person.email for u in UsageDay.objects.all()] == ["Anne.Seller@Example.fr"]


def test_a_file_without_an_email_column_says_so_until_one_is_mapped(lead, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(f"Nom;Date;Outil\nAnne;{_day(2)};Copilot\n", encoding="cp1252")
    url = _upload(lead, path.open("rb"))
    preview = lead.get(url).context["preview"]
    assert preview.file_problems == [
        "No column holds the person's e-mail (or user principal name): say which one does."
    ]
    assert "Import" not in [b for b in lead.get(url).content.decode().split('value="') if b]


def test_an_excel_report_with_date_cells_imports(lead, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Courriel", "Jour", "Outil", "Nombre de messages"])
    sheet.append(["b@example.fr", timezone.localdate() - dt.timedelta(days=4), "Le Chat Pro", 7])
    path = tmp_path / "usage.xlsx"
    book.save(path)
    url = _upload(lead, path.open("rb"))
    assert lead.get(url).context["preview"].created == 1
    lead.post(URL, {"upload": url.partition("upload=")[2], "action": "import"})
    row = UsageDay.objects.get()
    assert (row.tool, row.actions, row.day) == (
        "Le Chat Pro",
        7,
        timezone.localdate() - dt.timedelta(days=4),
    )


def test_only_the_lead_reaches_the_page_and_only_their_own_uploads(lead, tmp_path, org, client):
    url = _upload(lead, _chatgpt(tmp_path, f"B,b@example.fr,{_day(9)},{_day(3)},{_day(4)},2"))
    for username in ("executive", "manager", "employee", "cse"):
        client.force_login(org.users[username])
        assert client.get(URL).status_code == 403
    other = User.objects.create_user("lead2")
    from tremplin.people.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=other, role=Role.LEAD)
    client.force_login(other)
    assert client.get(url).status_code == 404  # another session's upload
    assert client.get(URL + "?upload=../../etc").status_code == 404


def test_cancel_forgets_the_file(lead, tmp_path):
    url = _upload(lead, _chatgpt(tmp_path, f"B,b@example.fr,{_day(9)},{_day(3)},{_day(4)},2"))
    token = url.partition("upload=")[2]
    assert lead.post(URL, {"upload": token, "action": "cancel"}).status_code == 302
    assert lead.get(url).status_code == 404
    assert not list((tmp_path / "usage-uploads").glob(f"{token}*"))


@pytest.mark.parametrize(
    ("header", "app"),
    [("Last activity date of Copilot in Word (UTC)", "Copilot in Word"),
     ("Word Copilot Last Activity Date", "Word Copilot"),
     ("Date de la dernière activité de Copilot dans Excel", "Copilot dans Excel"),
     ("Last Activity Date", ""), ("Messages", "")],
)  # fmt: skip
def test_per_app_columns_name_their_app(header, app):
    assert app_name(header) == app


def test_headers_are_recognised_in_french_and_english():
    found = guess(["Nom d’utilisateur principal", "Dernière date d'activité", "Outil",
                   "Nombre de messages"], "rapport.csv")  # fmt: skip
    assert list(found.columns.values()) == ["email", "day", "tool", "actions"]
    assert found.tool == ""
