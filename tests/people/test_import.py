import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation

from tremplin.cli import main
from tremplin.people.exports import people_file
from tremplin.people.imports.importer import import_people_file, preview_people_file
from tremplin.people.models import JobFamily, OrgUnit, Person, Site

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(name: str, mapping=None, valid_only=False):
    return import_people_file(
        (FILES / name).read_bytes(), name, mapping or {}, valid_only=valid_only
    )


@pytest.mark.parametrize("name", ["people_fr_cp1252.csv", "people_fr_utf8_bom.csv"])
def test_french_excel_file_imports_with_managers_in_any_order(name):
    report = run(name)
    assert report.written and report.to_create == 6 and not report.problems
    amelie = Person.objects.get(employee_id="1003")
    assert (amelie.first_name, amelie.last_name) == ("Amélie", "Lefèvre")
    assert amelie.manager.employee_id == "1002"
    assert amelie.hire_date == dt.date(2018, 9, 3)
    assert amelie.org_unit.name == "Ventes France"
    assert amelie.org_unit.parent.name == "Direction commerciale"
    assert Person.objects.get(employee_id="1004").preferred_language == "en"
    assert not Person.objects.get(employee_id="1005").active
    top = Person.objects.get(employee_id="1001")
    line = set(Person.objects.reporting_line_of(top).values_list("employee_id", flat=True))
    assert line == {"1002", "1003", "1004", "1005", "1006"}
    assert set(Site.objects.values_list("name", flat=True)) == {"Lyon", "Roanne"}


def test_second_import_of_the_same_file_changes_nothing():
    run("people_fr_cp1252.csv")
    before = list(Person.objects.order_by("pk").values())
    report = run("people_fr_cp1252.csv")
    assert (report.to_create, report.to_update, report.unchanged) == (0, 0, 6)
    assert list(Person.objects.order_by("pk").values()) == before
    assert OrgUnit.objects.count() == 5 and JobFamily.objects.count() == 3


def test_a_changed_row_updates_only_that_person():
    run("people_fr_cp1252.csv")
    content = (
        (FILES / "people_fr_cp1252.csv").read_bytes().replace("Amélie".encode("cp1252"), b"Amelie")
    )
    report = import_people_file(content, "x.csv", {})
    assert (report.to_update, report.unchanged) == (1, 5)
    assert Person.objects.get(employee_id="1003").first_name == "Amelie"


def test_english_headers_comma_and_iso_dates():
    report = run("people_en.csv")
    assert report.written and report.to_create == 2
    tom = Person.objects.get(employee_id="2002")
    assert tom.manager.employee_id == "2001"
    # "Finance" names both a new org unit and a new job family: each gets its own object
    assert (tom.org_unit.name, tom.job_family.name_fr, tom.site.name) == (
        "Finance",
        "Finance",
        "Lyon",
    )


def test_xlsx_with_date_cells_and_numeric_ids():
    report = run("people.xlsx")
    assert report.written, report.problem_lines()
    loic = Person.objects.get(employee_id="3002")
    assert loic.hire_date == dt.date(2016, 10, 24) and loic.manager.employee_id == "3001"
    assert Person.objects.get(employee_id="3003").hire_date == dt.date(2016, 10, 24)


def test_utf16_text_from_excel_is_read():
    assert run("utf16_excel_unicode.txt").written
    assert Person.objects.get(employee_id="7001").last_name == "Étienne"


def test_rejected_rows_write_nothing_and_say_row_column_and_expectation():
    report = run("people_errors.csv")
    assert not report.written and Person.objects.count() == 0
    lines = "\n".join(report.problem_lines())
    warnings = "\n".join(report.warning_lines())
    # An optional field that is wrong warns and is left empty; the row is kept.
    assert (
        "row 2, column “Date d'entrée”: “31/02/2020” is not a day of the calendar (check the day "
        "and the month); the hire date is left empty" in warnings
    )
    assert "row 3, column “Prénom”: this field is required" in lines
    assert "row 4, column “Adresse e-mail”: not an e-mail address" in warnings
    assert "row 4, column “Actif”: expected oui/non" in lines
    assert "row 4, column “Langue”: expected fr or en, got “de”; the language" in warnings
    assert report.rejected_rows == 3
    assert (
        "row 7, column “Matricule du manager”: manager 4002 is on row 3, which is rejected" in lines
    )


def test_only_valid_rows_are_written_when_the_user_asks():
    report = run("people_errors.csv", valid_only=True)
    assert report.written
    assert set(Person.objects.values_list("employee_id", flat=True)) == {"4001", "4004", "4005"}
    assert Person.objects.get(employee_id="4001").hire_date is None
    assert Person.objects.get(employee_id="4005").manager.employee_id == "4004"


def test_unknown_manager_is_reported():
    report = run("people_errors.csv")
    assert any("unknown manager 9999" in line for line in report.problem_lines())


def test_cycles_in_reporting_lines_are_rejected_with_the_loop_shown():
    report = run("people_cycle.csv")
    lines = "\n".join(report.problem_lines())
    assert "the reporting line loops: 5001 → 5003 → 5002 → 5001" in lines
    assert "a person cannot be their own manager" in lines
    assert report.rejected_rows == 4 and not report.written
    run("people_cycle.csv", valid_only=True)
    assert list(Person.objects.values_list("employee_id", flat=True)) == ["5004"]


def test_a_file_closing_a_loop_through_existing_people_is_rejected():
    run("people_en.csv")  # 2002 reports to 2001
    content = b"Matricule;Nom;Pr\xe9nom;Matricule du manager\r\n2001;Smith;Anna;2002\r\n"
    report = import_people_file(content, "loop.csv", {})
    assert not report.written
    assert "the reporting line loops: 2001 → 2002 → 2001" in "\n".join(report.problem_lines())


def test_duplicate_ids_are_rejected_on_every_row():
    report = run("people_duplicates.csv")
    assert {p.row for p in report.problems} == {2, 4}
    assert "employee id 6001 appears again on 1 other row" in report.problems[0].message
    assert "employee id 6001 already appears on row 2" in report.problems[1].message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.csv", "The file is empty."),
        ("header_only.csv", "header row but no data rows"),
        ("not_a_table.png", "not a text file"),
        ("old_excel.xls", "old Excel file (.xls)"),
        ("wrong_encoding.csv", "encoding was not recognised"),
        ("people_fr_mojibake.csv", "converted to UTF-8 twice"),
    ],
)
def test_unreadable_files_get_a_clear_message_and_write_nothing(name, expected):
    report = run(name, valid_only=True)
    assert not report.written and Person.objects.count() == 0
    assert expected in " ".join(report.file_problems)


def test_a_fake_xlsx_is_refused():
    report = import_people_file(b"Matricule;Nom\r\n1;A\r\n", "people.xlsx", {})
    assert "not an Excel workbook" in report.file_problems[0]


def test_unrecognised_headers_are_listed_and_can_be_mapped():
    report = preview_people_file((FILES / "people_unknown_headers.csv").read_bytes(), "u.csv", {})
    assert report.unknown_headers == ["Code agent", "Code service"]
    assert "No column holds the employee id" in report.file_problems[0]
    report = run(
        "people_unknown_headers.csv",
        mapping={"Code agent": "employee_id", "Code service": "org_unit"},
    )
    assert report.written and Person.objects.get(employee_id="A-2").org_unit.name == "Finance"


def test_a_mapping_to_an_unknown_field_is_refused():
    report = run("people_unknown_headers.csv", mapping={"Code agent": "matricule"})
    assert "names no known field" in report.file_problems[0]


def test_two_headers_alike_keep_each_its_own_mapping_in_any_order():
    """PostgreSQL gives a saved mapping's keys back shortest first: two headers alike once
    normalised took whichever choice came last, both of them, and the import disagreed with
    the preview."""
    from tremplin.people.imports.columns import match_columns

    header = ["Matricule", "Centre de coût", "Centre-de-cout"]
    chosen = [("Centre de coût", "org_unit"), ("Centre-de-cout", "ignore")]
    for mapping in (dict(chosen), dict(reversed(chosen))):
        assert match_columns(header, mapping).field_of_column == {0: "employee_id", 1: "org_unit"}


def test_exports_never_let_a_spreadsheet_run_a_cell_and_round_trip():
    run("people_formulas.csv")
    run("people_fr_cp1252.csv")
    content, _ = people_file(Person.objects.order_by("employee_id"), "csv")
    text = content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+33612" in text and "'-Moins" in text and "'@SUM" in text
    assert "\n=" not in text and ";=" not in text and ";+" not in text and ";@" not in text
    report = import_people_file(content, "export.csv", {})
    assert (report.to_create, report.to_update, report.unchanged) == (0, 0, 8)
    workbook, _ = people_file(Person.objects.order_by("employee_id"), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert '=HYPERLINK("http://evil")' in [c.value for c in cells]
    report = import_people_file(workbook, "export.xlsx", {})
    assert (report.to_update, report.unchanged) == (0, 8), report.problem_lines()


def test_command_line_exits_non_zero_with_the_report_on_stderr(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_people", str(FILES / "people_errors.csv"), "--lang", "en")
    assert exit_info.value.code == 1
    out = capsys.readouterr()
    assert "row 2, column “Date d'entrée”" in out.err
    assert "not written" in out.out
    assert Person.objects.count() == 0


def test_command_line_maps_headers_and_exits_zero(capsys):
    call_command(
        "import_people",
        str(FILES / "people_unknown_headers.csv"),
        "--lang",
        "en",
        "--map",
        "Code agent=employee_id",
        "--map",
        "Code service=ignore",
    )
    assert "2 to create" in capsys.readouterr().out
    assert Person.objects.filter(employee_id="A-1", org_unit=None).exists()


def test_tremplin_command_maps_hyphenated_names_to_django_commands(monkeypatch):
    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    main(["import-people", "file.csv", "--map", "A=b"])
    assert seen == [["tremplin", "import_people", "file.csv", "--map", "A=b"]]


def test_roles_from_the_file_give_logins_and_change_them_on_the_next_import():
    from tremplin.people.models import roles_of

    report = run("people_roles.csv")
    assert report.written and not report.problems
    people = {p.employee_id: p for p in Person.objects.select_related("user")}
    assert roles_of(people["2001"].user) == {"executive", "manager"}
    assert roles_of(people["2002"].user) == {"employee"}
    assert roles_of(people["2003"].user) == {"employee", "works_council"}
    assert people["2004"].user is None  # an empty cell gives nothing
    assert not people["2001"].user.has_usable_password()  # the invitation waits for the lead
    changed = (FILES / "people_roles.csv").read_bytes().replace(b"Direction, Manager", b"Manager")
    assert import_people_file(changed, "people_roles.csv", {}).written
    assert roles_of(Person.objects.get(employee_id="2001").user) == {"manager"}


def test_a_role_the_file_may_not_give_rejects_its_row_with_the_reason():
    report = run("people_roles_bad.csv")
    assert not report.written and not Person.objects.exists()
    lines = report.problem_lines()
    assert len(report.problems) == 2 and all("expected roles among" in line for line in lines)
    assert any("Responsable du programme" in line for line in lines)


def test_an_internationalised_address_is_kept_and_a_broken_one_warns():
    content = (
        "Matricule;Nom;Prénom;Adresse e-mail\r\n"
        "5001;Lefèvre;Jérôme;jérôme.lefèvre@exemple.fr\r\n"
        "5002;Martin;Anne;anne@@exemple\r\n"
    ).encode()
    report = import_people_file(content, "intl.csv", {})
    assert report.written and report.rejected_rows == 0
    assert Person.objects.get(employee_id="5001").email == "jérôme.lefèvre@exemple.fr"
    assert Person.objects.get(employee_id="5002").email == ""
    assert [w.row for w in report.warnings] == [3]


def test_contractors_are_marked_external_and_a_wrong_flag_is_named():
    report = run("people_external.csv")
    assert report.written and not report.problems
    flags = dict(Person.objects.values_list("employee_id", "external"))
    assert flags == {"3001": True, "3002": False, "3003": False}
    report = run("people_external_bad.csv")
    assert not report.written and not Person.objects.filter(employee_id="3004").exists()
    (problem,) = report.problems
    assert (problem.row, problem.value) == (2, "peut-être") and "oui/non" in problem.message
