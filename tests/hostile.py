"""Crafted files, written byte by byte as an attacker would, for the upload tests."""

from __future__ import annotations

import io
import zipfile

from tremplin.uploads import column_letter

OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OOXML}.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_OPEN = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx(rows: list[list[str]] | None = None, *, repeat: tuple[list[str], int] | None = None,
         dimension: str = "", prolog: str = "") -> bytes:  # fmt: skip
    """A workbook of `rows`, then `repeat` = (row, times) rows, written as a stream."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            head = prolog or '<?xml version="1.0" encoding="UTF-8"?>'
            sheet.write((head + SHEET_OPEN).encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for number, row in enumerate(rows or [], start=1):
                sheet.write(_row(number, row))
            if repeat:  # identical rows without references: they compress to almost nothing
                values, times = repeat
                same = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
                block = f"<row>{same}</row>".encode() * 1000
                for _ in range(times // 1000):
                    sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _row(number: int, values: list[str]) -> bytes:
    cells = "".join(_cell(f"{column_letter(i)}{number}", v) for i, v in enumerate(values, start=1))
    return f'<row r="{number}">{cells}</row>'.encode()


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)
