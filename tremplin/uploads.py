"""The limits every uploaded file is read within, and the checks that apply them before any
parser builds the file in memory.

One set of limits serves every import (people, framework, catalogue, item bank, calibration
answers): the file's size, its rows, its columns, a cell's length and, for JSON, its nesting.
A workbook's XML is read once as a stream first: a declared DTD, more rows or columns than the
limits, or parts larger than the limits allow refuse the file before openpyxl reads it. Every
refusal says what was found and what the limit is; nothing of a refused file is kept.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

XLSX_PARTS = 2_000  # members of a workbook's archive
CELL_REF = re.compile(r"([A-Z]{1,3})")


class UploadError(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 2**20
    max_rows: int = 250_000  # a 100,000-person group, with room
    max_columns: int = 200
    max_cell: int = 10_000  # characters
    max_depth: int = 40  # JSON nesting
    max_unpacked: int = 1024 * 2**20  # a workbook's XML, all parts together

    @classmethod
    def current(cls) -> Limits:
        return cls(
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_columns=settings.IMPORT_MAX_COLUMNS,
        )


def megabytes(size: int) -> str:
    """A size in MB as people read it: one decimal, in the reader's language."""
    return number_format(size / 2**20, 1)


def size_text(size: int, places: int = 1) -> str:
    """ "50.3 MB" or "146 KB", in the reader's language."""
    if size >= 2**20:
        return _("%(size)s MB") % {"size": number_format(size / 2**20, places)}
    return _("%(size)s KB") % {"size": number_format(size / 2**10, places - 1)}


def check_size(size: int, limits: Limits | None = None) -> None:
    limits = limits or Limits.current()
    if size > limits.max_bytes:
        places = 1
        while size_text(size, places) == size_text(limits.max_bytes, places) and places < 6:
            places += 1  # never "the file is 50 MB; the limit is 50 MB"
        raise UploadError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": size_text(size, places), "limit": size_text(limits.max_bytes, places)}
        )


def read_upload(upload: Any, limits: Limits | None = None) -> bytes:
    """An uploaded file's bytes, refused unread when larger than the limit."""
    check_size(upload.size, limits)
    return bytes(upload.read())


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(ref: str) -> int:
    found = CELL_REF.match(ref)
    if not found:
        return 0
    index = 0
    for letter in found.group(1):
        index = index * 26 + ord(letter) - 64
    return index


def check_xlsx(content: bytes, limits: Limits | None = None) -> None:
    """Refuse a workbook whose archive or XML exceeds the limits, or that declares a DTD,
    reading each worksheet as a stream (memory stays small whatever the file holds)."""
    limits = limits or Limits.current()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadError(_("This file could not be opened as an Excel .xlsx workbook.")) from exc
    unpacked = sum(m.file_size for m in members)
    if len(members) > XLSX_PARTS or unpacked > limits.max_unpacked:
        raise UploadError(
            _(
                "The workbook unpacks to %(size)s MB in %(parts)s parts; the limit is "
                "%(limit)s MB. Save the sheet alone as CSV or .xlsx and try again."
            )
            % {
                "size": megabytes(unpacked),
                "parts": len(members),
                "limit": megabytes(limits.max_unpacked),
            }
        )
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            if member.filename.startswith("xl/worksheets/"):
                with archive.open(member) as stream:
                    _count_rows(stream, limits)  # a fast first look: refuses a row bomb at once
            with archive.open(member) as stream:
                _scan(stream, member.filename, limits)
        except UploadError:
            raise
        except DefusedXmlException as exc:
            raise UploadError(
                _(
                    "The workbook's part %(part)s declares a DTD or entities, which Tremplin "
                    "does not read. Save the file again from Excel or LibreOffice."
                )
                % {"part": member.filename}
            ) from exc
        except (SyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise UploadError(
                _("The workbook's part %(part)s is not valid XML (%(error)s).")
                % {"part": member.filename, "error": exc}
            ) from exc


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")


def _count_rows(stream: Any, limits: Limits) -> None:
    """Count a worksheet's row tags on the raw bytes, chunk by chunk (a tag never spans the
    end of a chunk cut after a '>')."""
    rows, carry = 0, b""
    while chunk := stream.read(2**20):
        chunk = carry + chunk
        cut = chunk.rfind(b">") + 1
        rows += len(ROW_TAG.findall(chunk, 0, cut))
        carry = chunk[cut:]
        if rows > limits.max_rows + 1:
            raise UploadError(_too_long(limits))


def _scan(stream: Any, name: str, limits: Limits) -> None:
    """Stream one XML part; on a worksheet, count rows and check each cell's column."""
    sheet = name.startswith("xl/worksheets/")
    rows = cells = 0
    for _event, element in iterparse(stream, events=("end",), forbid_dtd=True):
        if not sheet:
            element.clear()
            continue
        tag = element.tag.rpartition("}")[2]
        if tag == "c":
            cells += 1
            column = _column_index(element.get("r", "")) or cells
            if column > limits.max_columns:
                raise UploadError(_too_wide(rows + 1, column, limits))
        elif tag == "row":
            rows += 1
            if rows > limits.max_rows + 1:
                raise UploadError(_too_long(limits))
            cells = 0
            element.clear()


def _too_wide(row: int, column: int, limits: Limits) -> str:
    return _(
        "Row %(row)s has a cell in column %(column)s; at most %(limit)s columns are read. "
        "Remove the columns you do not need and try again."
    ) % {"row": row, "column": column_letter(column), "limit": limits.max_columns}


def _too_long(limits: Limits) -> str:
    return _(
        "The file has more than %(limit)s rows, the most one import reads. Split it and "
        "import the parts one after the other."
    ) % {"limit": number_format(limits.max_rows, 0, force_grouping=True)}


def check_rows(rows: list[tuple[int, list[Any]]], limits: Limits | None = None) -> None:
    """Refuse a table with too many rows, too wide a row or too long a cell."""
    limits = limits or Limits.current()
    if len(rows) > limits.max_rows + 1:
        raise UploadError(_too_long(limits))
    for number, cells in rows:
        while cells and cells[-1] in (None, ""):
            cells.pop()
        if len(cells) > limits.max_columns:
            raise UploadError(_too_wide(number, len(cells), limits))
        for index, value in enumerate(cells, start=1):
            if isinstance(value, str) and len(value) > limits.max_cell:
                raise UploadError(
                    _(
                        "Row %(row)s, column %(column)s: the cell holds %(length)s "
                        "characters; at most %(limit)s are read."
                    )
                    % {
                        "row": number,
                        "column": column_letter(index),
                        "length": number_format(len(value), 0, force_grouping=True),
                        "limit": number_format(limits.max_cell, 0, force_grouping=True),
                    }
                )


def read_json(content: bytes, limits: Limits | None = None) -> Any:
    """A JSON document within the limits, or an UploadError saying where it went wrong."""
    limits = limits or Limits.current()
    check_size(len(content), limits)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(
            _("The JSON file is not UTF-8 (byte %(position)s).") % {"position": exc.start}
        ) from exc
    depth = _depth(text)
    if depth > limits.max_depth:
        raise UploadError(
            _("The JSON file nests %(depth)s levels deep; at most %(limit)s are read.")
            % {"depth": depth, "limit": limits.max_depth}
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UploadError(
            _("The JSON file is malformed at line %(line)s, column %(column)s: %(error)s.")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from exc


STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _depth(text: str) -> int:
    """How deep brackets nest outside strings (counted before any parser recurses)."""
    deepest = depth = 0
    for token in STRUCTURE.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif mark in "]}":
            depth -= 1
    return deepest


def sized_file(upload: Any) -> Any:
    """A form's uploaded file, refused (as a form error) when over the import size limit."""
    from django import forms

    try:
        check_size(upload.size)
    except UploadError as error:
        raise forms.ValidationError(str(error)) from error
    return upload
