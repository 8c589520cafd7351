"""A version of the occupational risk assessment as a spreadsheet (XLSX: its lines, then a sheet
saying which version, when and by whom) or French Excel CSV (its lines), read from the rows the
version froze; no cell is ever read as a formula."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Literal

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tremplin.compute import risks as scoring
from tremplin.risks.models import DuerpVersion, LineStatus
from tremplin.risks.questionnaire import questionnaire
from tremplin.spreadsheets import XLSX_TYPE, Cell, Sheet, csv_bytes, xlsx_workbook

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


def header() -> list[str]:
    return [_("Work unit"), capfirst(_("AI system")), _("Dimension of work"), _("Hazard"),
            _("Severity"), _("Likelihood"), _("Criticity"), _("Priority"),
            _("Existing measures"), _("Actions"), _("Owner"), _("Due date"), _("Status"),
            _("Self-diagnostic held on")]  # fmt: skip


def priority_label(code: str) -> str:
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}[code]


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def rows(version: DuerpVersion) -> Iterator[list[Cell]]:
    asked = questionnaire()
    statuses = dict(LineStatus.choices)
    for row in version.rows:
        dimension = asked.dimension(row["dimension"])
        yield [row["unit"], row["system"], str(dimension.label) if dimension else row["dimension"],
               row["hazard"], row["severity"], row["likelihood"], row["criticity"],
               priority_label(scoring.priority(row["criticity"])), row["existing_measures"],
               row["actions"], row["owner"], _date(row["due_on"]),
               str(statuses.get(row["status"], row["status"])),
               _date(row["diagnostic_on"])]  # fmt: skip


def version_file(version: DuerpVersion, file_format: Literal["csv", "xlsx"]) -> tuple[bytes, str]:
    if file_format == "csv":
        return csv_bytes(header(), rows(version)), CONTENT_TYPES["csv"]
    about = Sheet(_("Version"), [_("Version"), _("Cut on"), _("Cut by"), _("Lines"), _("Note")],
                  [[version.number, version.created_at, version.created_by_name,
                    len(version.rows), version.note]])  # fmt: skip
    lines = Sheet(_("Risk assessment v%(n)s") % {"n": version.number}, header(), rows(version))
    return xlsx_workbook([lines, about]), CONTENT_TYPES["xlsx"]
