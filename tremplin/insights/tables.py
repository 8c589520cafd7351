"""The tables a dashboard shows: rendered on the page, written to XLSX and printed in reports.

A cell holding None is hidden to protect a small group; the page shows a dot, the exports a
blank cell, and every export states why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from tremplin.spreadsheets import Cell, Sheet, xlsx_workbook


@dataclass
class Table:
    title: str
    header: list[str]  # the first column names the rows
    rows: list[list[Cell]] = field(default_factory=list)
    digits: int = 1  # decimals of fractional values
    percent_from: int | None = None  # columns from this one hold shares, shown as percentages

    def _percent(self, column: int) -> bool:
        return self.percent_from is not None and column >= self.percent_from

    def headers(self) -> list[str]:
        return [f"{h} (%)" if self._percent(j) else h for j, h in enumerate(self.header)]

    def value(self, column: int, value: Cell) -> Cell:
        """The figure as shown and exported: a share becomes a whole percentage."""
        if isinstance(value, float):
            return round(100 * value) if self._percent(column) else round(value, self.digits)
        return value

    def display(self) -> list[list[tuple[str, bool]]]:
        """Each cell as (text, hidden), in the reader's language."""
        out = []
        for row in self.rows:
            cells = []
            for j, raw in enumerate(row):
                shown = self.value(j, raw)
                if raw is None:
                    cells.append(("", True))
                elif isinstance(shown, int | float) and j > 0:
                    places = self.digits if isinstance(shown, float) else 0
                    cells.append((number_format(shown, places, force_grouping=True), False))
                else:
                    cells.append((str(shown), False))
            out.append(cells)
        return out


def workbook(tables: Sequence[Table], built_at: dt.datetime | None) -> bytes:
    """An XLSX file with one sheet per table, and what its figures are."""
    notes: list[list[Cell]] = [
        [
            _("Figures as of %(when)s.")
            % {
                "when": date_format(timezone.localtime(built_at), "SHORT_DATETIME_FORMAT")
                if built_at
                else "—"
            }
        ],
        [
            _(
                "Raw figures, for the programme lead only: the executive sponsor, the works "
                "council and managers read their protected publication instead."
            )
        ],
    ]
    sheets = [
        Sheet(
            t.title,
            t.headers(),
            [[t.value(j, v) for j, v in enumerate(row)] for row in t.rows] + [[], *notes],
        )
        for t in tables
    ]
    return xlsx_workbook(sheets)
