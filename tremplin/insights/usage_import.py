"""The import of a usage report an AI-tool vendor lets administrators download (Microsoft 365
Copilot's "usage user detail" report, ChatGPT Enterprise's user export…): read, map its
columns, preview, import, through `upsert_usage` (all rows or none, or only the valid ones
when the lead asks; the same file twice counts once).

A row is one person's use of one tool: the person's e-mail (or user principal name) or
employee id; the day (a column such as "Last activity date", or the report's date for every
row); the tool (a column, or one name for the whole file); the actions when the tool counts
them. A column holding the last activity date in one app ("Last activity date of Copilot in
Word") may count that app as a tool of its own. A row with no day (no activity in the report's
period) is skipped.

The file is read by `spreadsheets.read_table` within the import limits; a file it refuses is
not kept. One it reads waits in the data directory, for the upload's session only, until it is
imported or cancelled (a day at most).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.insights.usage import upsert_usage
from tremplin.insights.usage_models import UsageSource
from tremplin.people.imports.columns import normalise
from tremplin.people.imports.rows import NO, YES, parse_date
from tremplin.spreadsheets import Cell, Table, cell_text, read_table
from tremplin.uploads import Limits, UploadError

IGNORE = "ignore"
FIELDS: dict[str, Any] = {
    "email": gettext_lazy("person's e-mail or user principal name"),
    "employee_id": gettext_lazy("person's employee id"),
    "day": gettext_lazy("day of use (or last activity date)"),
    "tool": gettext_lazy("tool"),
    "actions": gettext_lazy("actions (prompts, messages)"),
    "active": gettext_lazy("active (yes/no)"),
    "app_day": gettext_lazy("last activity date in one app (the app counts as a tool)"),
}
SYNONYMS = {
    "email": ["user principal name", "upn", "nom d utilisateur principal", "email", "e mail",
              "mail", "courriel", "adresse e mail", "adresse email", "email address",
              "user email", "work email", "utilisateur", "user"],
    "employee_id": ["matricule", "employee id", "employee number", "id salarie"],
    "day": ["last activity date", "last activity date utc", "date de la derniere activite",
            "derniere date d activite", "date de derniere activite", "last day active",
            "last day active in period", "day", "date", "jour", "activity date", "usage date",
            "date d utilisation", "date d activite"],
    "tool": ["tool", "outil", "application", "app", "product", "produit", "ai tool",
             "outil d ia"],
    "actions": ["actions", "messages", "prompts", "requests", "requetes", "interactions",
                "message count", "messages sent", "total messages", "nombre de messages",
                "nombre d actions", "nombre de requetes"],
    "active": ["active", "actif", "is active", "active user", "utilisateur actif"],
}  # fmt: skip
_BY_NAME = {name: key for key, names in SYNONYMS.items() for name in names}
# Headers naming the report's date rather than a day of use: read as the report's date.
REPORT_DAY = ["report refresh date", "date d actualisation du rapport", "report date",
              "date du rapport", "period end", "fin de periode"]  # fmt: skip
# The words of a last activity date's header, in English and French: what is left of a
# per-app column's header names the app ("Last activity date of Copilot in Word (UTC)",
# "Word Copilot Last Activity Date", "Date de la dernière activité de Copilot dans Word").
DATE_WORDS = {"last", "activity", "date", "of", "utc", "de", "la", "derniere", "d", "activite"}
UPLOADS = "usage-uploads"
KEPT_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SESSION_KEY = "usage_uploads"


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)  # header -> field or "ignore"
    tool: str = ""  # the tool of every row, when no column holds it
    day: str = ""  # the report's date (ISO), when no column holds the day


@dataclass
class Problem:
    row: int  # the spreadsheet's row number
    column: str
    value: str
    message: str


@dataclass
class Preview:
    filename: str
    kind: str = ""
    encoding: str = ""
    headers: list[str] = field(default_factory=list)
    mapping: Mapping = field(default_factory=Mapping)
    file_problems: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # data rows of the file
    skipped: int = 0  # rows without any day of use
    usage_rows: int = 0  # rows of usage the file gives (an app column adds one)
    bad_rows: int = 0  # file rows with a problem
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    tools: list[str] = field(default_factory=list)
    first_day: dt.date | None = None
    last_day: dt.date | None = None

    @property
    def can_import(self) -> bool:
        return not self.file_problems and self.usage_rows > 0

    @property
    def valid_rows(self) -> int:
        return self.rows - self.skipped - self.bad_rows


def _plain(text: str) -> str:
    """A header as its words: no accents, case or punctuation ("Nom d’utilisateur" -> "nom d
    utilisateur"; a typographic apostrophe separates words too)."""
    return normalise(text.replace("’", " "))


def app_name(header: str) -> str:
    """The app a per-app last activity column is about ("" for another column): "Last activity
    date of Copilot in Word (UTC)" -> "Copilot in Word"."""
    plain = _plain(header)
    if "activity date" not in plain and "derniere activite" not in plain:
        return ""
    words = header.replace("(", " ").replace(")", " ").split()
    return " ".join(w for w in words if not set(_plain(w).split()) <= DATE_WORDS)


def guess(headers: list[str], filename: str) -> Mapping:
    """What each header holds, recognised from French and English names (accents, case and
    punctuation ignored); the tool's name from the headers or the file's name."""
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = _BY_NAME.get(_plain(header))
        if key is not None and key not in taken:
            columns[header] = key
            taken.add(key)
        else:
            columns[header] = IGNORE
    if "day" not in taken:  # no day of use: the report's date, if the file says it
        for header in headers:
            if _plain(header) in REPORT_DAY:
                columns[header] = "day"
                break
    if "email" in taken and "employee_id" in taken:  # one way to find a person: the e-mail
        for header, key in columns.items():
            if key == "employee_id":
                columns[header] = IGNORE
    words = _plain(" ".join([*headers, filename]))
    tool = ""
    if "tool" not in taken:
        if "copilot" in words:
            tool = "Microsoft 365 Copilot"
        elif "chatgpt" in words or "gpt" in words.split():
            tool = "ChatGPT Enterprise"
    return Mapping(columns, tool, "")


def _count(cell: Cell) -> int | str | None:
    """A count as a spreadsheet holds it ("1 234", 12.0): an int, "" when empty, None when not
    a whole number (a negative one stays an int: `upsert_usage` names it)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    text = re.sub(r"[\s\u00a0\u202f]", "", cell_text(cell))
    if not text:
        return ""
    text = re.sub(r"[.,]0+$", "", text)
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _day(cell: Cell) -> dt.date | None:
    """A day as a report holds it: dd/mm/yyyy, yyyy-mm-dd (with a time: its day), a date cell."""
    text = cell_text(cell).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
        text = text[:10]
    return parse_date(text if isinstance(cell, str) else cell)


def _usage_rows(table: Table, mapping: Mapping, preview: Preview
                ) -> tuple[list[dict[str, Any]], list[tuple[int, dict[str, str]]]]:  # fmt: skip
    """The rows of usage the file gives, and for each the file's row number and the header of
    each field; the problems of cells that could not be read go to `preview`."""
    position = {h: i for i, h in enumerate(table.header)}
    column_of = {key: h for h, key in mapping.columns.items() if key not in (IGNORE, "app_day")}
    apps = [(h, app_name(h) or h) for h, key in mapping.columns.items() if key == "app_day"]
    fixed_day = dt.date.fromisoformat(mapping.day) if mapping.day else None
    rows: list[dict[str, Any]] = []
    origins: list[tuple[int, dict[str, str]]] = []
    bad: set[int] = set()

    def cell(cells: list[Cell], header: str) -> Cell:
        at = position[header]
        return cells[at] if at < len(cells) else None

    def problem(number: int, header: str, value: Cell, message: str) -> None:
        preview.problems.append(Problem(number, header, cell_text(value), message))
        bad.add(number)

    who = "email" if "email" in column_of else "employee_id"
    for number, cells in table.rows:
        person = cell_text(cell(cells, column_of[who])).strip()
        base: dict[str, Any] = {who: person}
        headers = {who: column_of[who]}
        if not person:
            problem(number, column_of[who], "", _("expected the person's e-mail"))
            continue
        if "tool" in column_of:
            base["tool"] = cell_text(cell(cells, column_of["tool"])).strip()
            headers["tool"] = column_of["tool"]
        else:
            base["tool"] = mapping.tool
        found = ""
        if "actions" in column_of:
            raw = cell(cells, column_of["actions"])
            count = _count(raw)
            headers["actions"] = column_of["actions"]
            if count is None:
                problem(number, column_of["actions"], raw, _("expected a whole number"))
                continue
            base["actions"] = count if count != "" else 0
            found = "actions"
        if "active" in column_of:
            raw = cell(cells, column_of["active"])
            flag = cell_text(raw).strip().lower()
            headers["active"] = column_of["active"]
            if flag and flag not in YES and flag not in NO:
                problem(number, column_of["active"], raw, _("expected yes or no (or 1/0)"))
                continue
            base["active"] = 0 if flag in NO else 1
        elif found:  # no activity column: a row with no action is a period without use
            base["active"] = 1 if base["actions"] else 0
        days: list[tuple[dict[str, Any], dict[str, str]]] = []
        if "day" in column_of:
            raw = cell(cells, column_of["day"])
            day = _day(raw)
            if day is None and cell_text(raw).strip():
                problem(number, column_of["day"], raw,
                        _("expected a date as dd/mm/yyyy or yyyy-mm-dd"))  # fmt: skip
                continue
            if day is not None:
                days.append(({**base, "day": day}, {**headers, "day": column_of["day"]}))
        elif fixed_day is not None:
            days.append(({**base, "day": fixed_day}, headers))
        for header, app in apps:
            raw = cell(cells, header)
            day = _day(raw)
            if day is None and cell_text(raw).strip():
                problem(number, header, raw, _("expected a date as dd/mm/yyyy or yyyy-mm-dd"))
                break
            if day is not None:
                row = {who: person, "tool": app, "day": day, "active": 1, "actions": 0}
                days.append((row, {who: column_of[who], "day": header, "tool": header}))
        if number in bad:
            continue
        if not days:
            preview.skipped += 1
            continue
        for row, where in days:
            rows.append(row)
            origins.append((number, where))
    return rows, origins


def _file_problems(mapping: Mapping) -> list[str]:
    chosen = [key for key in mapping.columns.values() if key != IGNORE]
    problems = [
        _("Several columns hold the %(field)s: keep one.") % {"field": FIELDS[key]}
        for key in sorted(set(chosen))
        if key != "app_day" and chosen.count(key) > 1
    ]
    if "email" not in chosen and "employee_id" not in chosen:
        problems.append(_("No column holds the person's e-mail (or user principal name): say "
                          "which one does."))  # fmt: skip
    if "email" in chosen and "employee_id" in chosen:
        problems.append(_("Find people by their e-mail or by their employee id, not both."))
    day = "day" in chosen or bool(mapping.day)
    if not day and "app_day" not in chosen:
        problems.append(_("No column holds the day of use: say which one does, or give the "
                          "report's date."))  # fmt: skip
    if day and "tool" not in chosen and not mapping.tool.strip():
        problems.append(_("No column holds the tool: give the tool's name."))
    return problems


def first_look(content: bytes, filename: str) -> tuple[Mapping | None, list[str]]:
    """What the columns of a file seem to hold, or why the file cannot be read at all."""
    try:
        table = read_table(content, filename, Limits.current())
    except UploadError as error:
        return None, [str(error)]
    return guess([h for h in table.header if h], filename), []


def preview_file(content: bytes, filename: str, mapping: Mapping | None = None, *,
                 write: bool = False, valid_only: bool = False) -> Preview:  # fmt: skip
    """What importing the file would do (or does, with `write`): nothing is written when a row
    has a problem, unless `valid_only` (the rows with problems are then left out)."""
    preview = Preview(filename)
    try:
        table = read_table(content, filename, Limits.current())
    except UploadError as error:  # refused whole: the view keeps nothing of it
        preview.file_problems.append(str(error))
        return preview
    preview.kind, preview.encoding = table.kind, table.encoding
    preview.headers = [h for h in table.header if h]
    mapping = mapping or guess(preview.headers, filename)
    mapping.columns = {h: mapping.columns.get(h, IGNORE) for h in preview.headers}
    preview.mapping = mapping
    preview.rows = len(table.rows)
    preview.file_problems = _file_problems(mapping)
    if preview.file_problems:
        return preview
    rows, origins = _usage_rows(table, mapping, preview)
    report = upsert_usage(rows, source=UsageSource.FILE, dry_run=True, most_problems=len(rows))
    for problem in report.problems:
        number, headers = origins[problem.index]
        header = headers.get(problem.field) or headers.get("day", "")
        preview.problems.append(Problem(number, header, problem.value, problem.message))
    preview.problems.sort(key=lambda p: (p.row, p.column))
    bad = {p.row for p in preview.problems}
    preview.bad_rows = len(bad)
    if bad:  # the counts are those of the valid rows, written only when asked for
        rows = [row for row, (number, _h) in zip(rows, origins, strict=True) if number not in bad]
        report = upsert_usage(rows, source=UsageSource.FILE, dry_run=not (write and valid_only))
    elif write:
        report = upsert_usage(rows, source=UsageSource.FILE)
    preview.usage_rows = len(rows)
    preview.created, preview.updated = report.created, report.updated
    preview.unchanged, preview.written = report.unchanged, report.written
    preview.tools = sorted({str(row["tool"]) for row in rows})
    days = sorted({row["day"] for row in rows})
    if days:
        preview.first_day, preview.last_day = days[0], days[-1]
    return preview


# --- the uploaded file, between its preview and its import ---------------------------------


def _folder() -> Path:
    return Path(settings.DATA_DIR) / UPLOADS


@dataclass
class Upload:
    token: str
    filename: str
    mapping: Mapping

    @property
    def path(self) -> Path:
        return _folder() / f"{self.token}.bin"

    def content(self) -> bytes:
        return self.path.read_bytes()

    def save(self) -> None:
        meta = {"filename": self.filename, "mapping": asdict(self.mapping)}
        (_folder() / f"{self.token}.json").write_text(json.dumps(meta))

    def delete(self, request: HttpRequest) -> None:
        for suffix in (".bin", ".json"):
            (_folder() / f"{self.token}{suffix}").unlink(missing_ok=True)
        kept = [t for t in request.session.get(SESSION_KEY, []) if t != self.token]
        request.session[SESSION_KEY] = kept


def keep(request: HttpRequest, content: bytes, filename: str, mapping: Mapping) -> Upload:
    """Keep a file read without a problem for its preview; files older than a day go."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - KEPT_SECONDS:
            old.unlink(missing_ok=True)
    upload = Upload(secrets.token_urlsafe(24), Path(filename).name[:200], mapping)
    upload.path.write_bytes(content)
    upload.save()
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-4:], upload.token]
    return upload


def find(request: HttpRequest, token: str) -> Upload | None:
    """The upload `token` of this session, if it is still kept."""
    if not TOKEN.match(token) or token not in request.session.get(SESSION_KEY, []):
        return None
    meta = _folder() / f"{token}.json"
    if not meta.exists() or not (_folder() / f"{token}.bin").exists():
        return None
    data = json.loads(meta.read_text())
    return Upload(token, str(data["filename"]), Mapping(**data["mapping"]))
