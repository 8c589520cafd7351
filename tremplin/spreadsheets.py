"""Reading and writing the files people exchange with spreadsheets and HR systems.

Reading accepts what a French HR export looks like: CSV separated by `;` (or `,`, tab) in
UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), or Windows-1252; and `.xlsx`.
Writing produces French Excel CSV (`;`, UTF-8 with BOM) or `.xlsx`, and never lets a cell be read
as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.uploads import (
    Limits,
    UploadError,
    check_rows,
    check_size,
    check_xlsx,
    column_letter,
)

Cell = str | int | float | dt.date | dt.datetime | None
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MOJIBAKE = re.compile("Ã[©¨§ª«®¯´¹»¼‰€‡]|â€[™œ\x9d“”¦]")


# The file as a whole cannot be read; the message says why and what to do.
SpreadsheetError = UploadError


class FileProblems(Exception):
    """Every problem found in an imported file; nothing of it was saved."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def expected(where: str, field: str, what: str) -> str:
    """One problem of a row: where it is, which field, what was expected."""
    return _("%(where)s, %(field)s: expected %(expected)s.") % {
        "where": where,
        "field": field,
        "expected": what,
    }


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (spreadsheet row number, cells)
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""


def read_table(content: bytes, filename: str = "", limits: Limits | None = None) -> Table:
    """The first sheet of a workbook or a CSV file, within `limits` (`tremplin.uploads`)."""
    limits = limits or Limits.current()
    check_size(len(content), limits)
    if not content or not content.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise SpreadsheetError(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        check_xlsx(content, limits)
        return _read_xlsx(content, limits)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            _("This is an old Excel file (.xls). Save it as .xlsx or as CSV and try again.")
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError(_("This file is named .xlsx but is not an Excel workbook."))
    text, encoding = decode_text(content)
    return _read_csv(text, encoding, limits)


def decode_text(content: bytes) -> tuple[str, str]:
    if content.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif content.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        candidates = ["utf-32"]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in content[:8192]:
            raise SpreadsheetError(
                _(
                    "This is not a text file (it holds binary data). "
                    "Upload a CSV file or an Excel .xlsx workbook."
                )
            )
        candidates = ["utf-8", "cp1252"]
    error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError as exc:
            error = error or exc
            continue
        if encoding == "cp1252" and not western(text):
            raise SpreadsheetError(
                _(
                    "The file's encoding was not recognised: read as Windows-1252 it gives "
                    "“%(sample)s”. Save it as CSV UTF-8 and try again."
                )
                % {"sample": _unusual_sample(text)}
            )
        match = MOJIBAKE.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            raise SpreadsheetError(
                _(
                    "Line %(line)s reads “%(text)s”: the file looks converted to UTF-8 twice "
                    "(for example “Ã©” instead of “é”). Export it again in UTF-8 or Windows-1252."
                )
                % {"line": line, "text": match.group(0)}
            )
        return text, encoding
    assert error is not None
    raise SpreadsheetError(
        _(
            "The file's encoding was not recognised (byte 0x%(byte)s at position %(position)s). "
            "Save it as CSV UTF-8 or CSV (Windows-1252)."
        )
        % {"byte": error.object[error.start : error.start + 1].hex(), "position": error.start}
    )


# Characters a French or English file in Windows-1252 holds beyond ASCII: letters with accents,
# ligatures, quotes, dashes, the euro, degree and common signs.
WESTERN = set(
    "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»‘’“”–—…€°²³ºª§©®™·•¤£¥µ×÷±½¼¾¹\u00a0"
    "ñÑáíóúÁÍÓÚãõÃÕåÅøØß¿¡"
)


def western(text: str) -> bool:
    """Whether text read as Windows-1252 looks like a Western European language: most of
    what lies beyond ASCII is an accented letter or a usual sign (a Shift-JIS or GB18030
    file read this way is mostly other signs)."""
    beyond = [c for c in text[:200_000] if ord(c) > 127]
    if len(beyond) < 20:
        return True
    odd = sum(1 for c in beyond if c not in WESTERN)
    return odd <= 0.2 * len(beyond)


def _unusual_sample(text: str) -> str:
    at = next((i for i, c in enumerate(text) if ord(c) > 127 and c not in WESTERN), 0)
    return text[max(0, at - 10) : at + 20].replace("\n", " ")


def _read_csv(text: str, encoding: str, limits: Limits) -> Table:
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(";,\t|", key=first.count) if first else ";"
    if first.count(delimiter) == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Cell]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            rows.append((number, list(row)))
            if number > limits.max_rows + 1:
                check_rows(rows, limits)  # refuses: no need to read the rest
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The CSV file is malformed near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    return _table(rows, "csv", limits, encoding, delimiter)


def _read_xlsx(content: bytes, limits: Limits) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise SpreadsheetError(
            _("This file could not be opened as an Excel .xlsx workbook (%s).") % exc
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size is not trusted: rows hold what they hold
        rows = [
            (number, list(row))
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except UploadError:
        raise
    except Exception as exc:
        raise SpreadsheetError(
            _("This file could not be read as an Excel .xlsx workbook (%s).") % exc
        ) from exc
    finally:
        workbook.close()
    return _table(rows, "xlsx", limits)


def _table(rows: list[tuple[int, list[Cell]]], kind: str, limits: Limits, encoding: str = "",
           delimiter: str = "") -> Table:  # fmt: skip
    check_rows(rows, limits)
    rows = [(n, cells) for n, cells in rows if any(cell_text(c) for c in cells)]
    if not rows:
        raise SpreadsheetError(_("The file is empty."))
    _header_number, header_cells = rows[0]
    header = [cell_text(c).strip() for c in header_cells]
    while header and not header[-1]:
        header.pop()
    if len(rows) == 1:
        raise SpreadsheetError(_("The file has a header row but no data rows."))
    return Table(header=distinct(header), rows=rows[1:], kind=kind, encoding=encoding,
                 delimiter=delimiter)  # fmt: skip


def distinct(header: list[str]) -> list[str]:
    """Headers that can be told apart: a repeated one is named by its column, "Email (D)"."""
    counts: dict[str, int] = {}
    for title in header:
        counts[title.casefold()] = counts.get(title.casefold(), 0) + 1
    return [
        _("%(title)s (column %(column)s)") % {"title": title, "column": column_letter(i)}
        if title and counts[title.casefold()] > 1
        else title
        for i, title in enumerate(header, start=1)
    ]


def cell_text(value: Cell) -> str:
    """A cell as text; whole numbers from Excel lose their `.0`, a protective `'` is dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith("'") and text[1:2] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def safe_cell(value: Cell) -> Cell:
    """Neutralise text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(c) for c in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _csv_value(value: Cell) -> Cell:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return safe_cell(value)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], title: str) -> bytes:
    """One sheet; see `xlsx_workbook`."""
    return xlsx_workbook([Sheet(title, header, rows)])


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]


SHEET_FORBIDDEN = re.compile(r"[\\[\]:*?/\\]")


SHEET_NAME_MAX = 31  # Excel's limit


def sheet_name(title: str, n: int, used: set[str]) -> str:
    """A sheet name Excel accepts: no forbidden character, at most 31 characters cut at a word,
    unique in the workbook (numbered when two titles start alike)."""
    clean = " ".join(SHEET_FORBIDDEN.sub(" ", title).split()) or str(n)
    if len(clean) > SHEET_NAME_MAX:
        cut = clean[: SHEET_NAME_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;.-–(")
        clean = f"{cut}…"
    name = clean
    while name.lower() in {u.lower() for u in used}:
        suffix = f" ({n})"
        name = clean[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        n += 1
    return name


def _decimals(value: float) -> str:
    """The number format that shows `value` with the decimals it was rounded to (as on screen)."""
    for places in range(4):
        if abs(round(value, places) - value) < 1e-9:
            break
    return "#,##0" if places == 0 else "#,##0." + "0" * places


def _number_format(value: Cell) -> str:
    if isinstance(value, dt.datetime):
        return "DD/MM/YYYY HH:MM"
    if isinstance(value, dt.date):
        return "DD/MM/YYYY"
    if isinstance(value, float):
        return _decimals(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return "#,##0"
    return "General"


def xlsx_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Text goes in as string cells, which a spreadsheet shows but never evaluates; dates as
    dates (an aware time in the installation's time zone), numbers with the decimals they were
    rounded to. Written by `xlsx_writer`, row after row."""
    from tremplin import xlsx_writer

    used: set[str] = set()
    named = []
    for n, content in enumerate(sheets, 1):
        title = sheet_name(content.title, n, used)
        used.add(title)
        named.append((title, chain([content.header], content.rows)))
    return xlsx_writer.write(named, _number_format, _local)


def _local(value: Cell) -> Cell:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value
