"""XLSX exports: real dates and numbers with the screen's decimals, sheet names Excel accepts
and a reader recognises."""

import datetime as dt
import io
import zipfile

from django.utils import timezone
from openpyxl import load_workbook

from tremplin.spreadsheets import Sheet, sheet_name, xlsx_workbook

LONG = "Niveau moyen (0 à 4) à chaque fin de trimestre ; non évalué compte pour 0"


def test_sheet_names_are_cut_at_a_word_and_unique():
    used: set[str] = set()
    first = sheet_name(LONG, 1, used)
    used.add(first)
    second = sheet_name(LONG + " (suite)", 2, used)
    assert first == "Niveau moyen (0 à 4) à chaque…" and len(first) <= 31
    assert second != first and len(second) <= 31
    assert sheet_name("a/b:c?[d]", 3, set()) == "a b c d"


def test_cells_keep_their_type_and_the_screen_decimals(settings):
    settings.TIME_ZONE = "Europe/Paris"
    when = dt.datetime(2026, 12, 1, 20, 5, 40, 512233, tzinfo=dt.UTC)
    book = load_workbook(io.BytesIO(xlsx_workbook([Sheet(LONG, ["a", "b", "c", "d"], [
        ["x", 2.13, 0.5, when], ["y", 3, 1.0, dt.date(2026, 3, 31)]])])))  # fmt: skip
    sheet = book.worksheets[0]
    _a, b, c, d = next(iter(sheet.iter_rows(min_row=2, max_row=2)))
    assert (b.value, b.number_format) == (2.13, "#,##0.00")
    assert (c.value, c.number_format) == (0.5, "#,##0.0")
    assert (d.value.day, d.value.hour, d.value.minute) == (1, 21, 5)  # Paris time
    assert d.number_format == "DD/MM/YYYY HH:MM"
    e = next(iter(sheet.iter_rows(min_row=3, max_row=3)))
    assert e[1].number_format == "#,##0" and e[3].number_format == "DD/MM/YYYY"
    assert timezone.is_naive(d.value)


def test_text_stays_text_and_every_value_reads_back():
    """The workbook is written as XML by hand: what a reader finds in it, value by value."""
    header = [f"col {n}" for n in range(30)]  # past Z: AA, AB…
    text = ["=HYPERLINK(\"x\")", "#REF!", "+1+1", "a & b < c > \"d\"", "tab\there\x0bvt\x00nul",
            "line\nbreak", "émoji 🚀"]  # fmt: skip
    row = [*text, True, False, 0, -12, 2**40, 1.5, float("inf"), None, dt.date(1900, 3, 1)]
    book = load_workbook(io.BytesIO(xlsx_workbook([
        Sheet("R&D <équipe> \"1\"", header, [row + [None] * (30 - len(row)), ["last"]]),
        Sheet("Deux", ["x"], []),
    ])))  # fmt: skip
    assert book.sheetnames == ['R&D <équipe> "1"', "Deux"]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == header
    values = [c.value for c in sheet[2]][: len(row)]
    assert values[: len(text)] == [
        "=HYPERLINK(\"x\")", "#REF!", "+1+1", "a & b < c > \"d\"", "tab\therevtnul",
        "line\nbreak", "émoji 🚀"]  # fmt: skip
    assert all(c.data_type == "s" for c in sheet[2][: len(text)])  # never a formula
    assert values[len(text) :] == [True, False, 0, -12, 2**40, 1.5, "inf", None,
                                   dt.datetime(1900, 3, 1)]  # fmt: skip
    assert sheet.max_row == 3 and sheet["A3"].value == "last"
    assert book.worksheets[1].max_row == 1


def test_a_large_sheet_reads_back_whole():
    """Rows are written in chunks: 20,000 rows of 11 cells (twice a 10,000-person export)
    read back whole, the last one included."""
    rows = [[f"E{i:06d}", "Nom", "Prénom", f"p{i}@example.fr", "Direction / Service", "F01",
             "LYON", f"E{i // 10:06d}", dt.date(2020, 1, 1), "oui", "fr"]
            for i in range(20_000)]  # fmt: skip
    book = load_workbook(io.BytesIO(xlsx_workbook([Sheet("People", ["h"] * 11, rows)])),
                         read_only=True)  # fmt: skip
    sheet = book.worksheets[0]
    read = list(sheet.iter_rows(min_row=2, values_only=True))
    assert (
        len(read) == 20_000 and read[-1][0] == "E019999" and read[5][8] == dt.datetime(2020, 1, 1)
    )


def test_a_sheet_of_text_only_has_no_empty_number_formats():
    data = xlsx_workbook([Sheet("Texte", ["a"], [["b"]])])
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    assert "numFmts" not in styles  # an empty list of formats is left out
    assert load_workbook(io.BytesIO(data)).worksheets[0]["A2"].value == "b"
