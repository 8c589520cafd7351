"""XLSX exports: real dates and numbers with the screen's decimals, sheet names Excel accepts
and a reader recognises."""

import datetime as dt
import io

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
