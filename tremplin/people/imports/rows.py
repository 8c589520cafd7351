"""Row by row: turn cells into typed values, or say which row, which column, what was expected."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from tremplin.people.imports.references import PATH_SEPARATOR
from tremplin.people.models import OrgUnit
from tremplin.spreadsheets import Cell, cell_text

DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
YES = {"oui", "o", "yes", "y", "1", "true", "vrai", "actif", "active", "en poste", "x"}
NO = {"non", "n", "no", "0", "false", "faux", "inactif", "inactive", "sorti", "parti"}
LANGUAGES = {
    "fr": "fr",
    "francais": "fr",
    "français": "fr",
    "french": "fr",
    "en": "en",
    "anglais": "en",
    "english": "en",
}
# Role names a file may use (after lower-casing and removing accents), French and English. The
# programme lead's role is given in the administration only.
ROLES = {
    "employee": "employee", "collaborateur": "employee", "collaboratrice": "employee",
    "salarie": "employee", "salariee": "employee",
    "manager": "manager", "responsable": "manager",
    "executive": "executive", "sponsor": "executive", "direction": "executive",
    "dirigeant": "executive", "dirigeante": "executive",
    "ambassador": "ambassador", "ambassadeur": "ambassador", "ambassadrice": "ambassador",
    "works council": "works_council", "works_council": "works_council", "cse": "works_council",
    "elu cse": "works_council", "elue cse": "works_council",
}  # fmt: skip
UNIT_NAME = OrgUnit._meta.get_field("name").max_length or 200
MAX_LENGTH = {
    "employee_id": 64,
    "first_name": 150,
    "last_name": 150,
    "email": 254,
    "org_unit": 600,
    "job_family": 200,
    "site": 200,
    "manager": 64,
}


@dataclass
class RowProblem:
    row: int
    column: str
    message: str
    value: str = ""
    warning: bool = False  # the row is kept, the field left empty

    def __str__(self) -> str:
        where = _("row %(row)s, column “%(column)s”") % {"row": self.row, "column": self.column}
        return f"{where}: {self.message}"


@dataclass
class PersonRow:
    row: int
    employee_id: str
    values: dict[str, object] = field(default_factory=dict)  # only the fields the file holds


def is_email(text: str) -> bool:
    """An address Django accepts, or an internationalised one (RFC 6531: letters beyond ASCII
    in the local part, such as jérôme@exemple.fr)."""
    try:
        validate_email(text)
        return True
    except ValidationError:
        pass
    local, at, domain = text.rpartition("@")
    if not at or not local or len(local) > 64 or any(c in local for c in ' "(),:;<>[\\]@'):
        return False
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    try:
        validate_email("x@" + domain)  # the domain, IDNA included, as Django checks it
    except ValidationError:
        return False
    return all(c.isprintable() for c in local)


def parse_row(
    number: int, cells: list[Cell], field_of_column: dict[int, str], header: list[str]
) -> tuple[PersonRow, list[RowProblem]]:
    problems: list[RowProblem] = []
    values: dict[str, object] = {}
    for index, name in field_of_column.items():
        raw = cells[index] if index < len(cells) else None
        column = header[index]
        text = cell_text(raw).strip()

        def problem(message: str, column: str = column, text: str = text) -> None:
            problems.append(RowProblem(number, column, message, text))

        def warn(message: str, column: str = column, text: str = text) -> None:
            problems.append(RowProblem(number, column, message, text, warning=True))

        if name in MAX_LENGTH and len(text) > MAX_LENGTH[name]:
            problem(_("at most %s characters") % MAX_LENGTH[name])
            continue
        if name in ("employee_id", "first_name", "last_name"):
            if not text:
                problem(_("this field is required"))
            values[name] = text
        elif name == "email":
            if text and not is_email(text):
                warn(
                    _("not an e-mail address (such as jeanne.martin@example.fr): “%s”; "
                      "the person is imported without one") % text
                )  # fmt: skip
                text = ""
            values[name] = text.lower()
        elif name == "hire_date":
            date = parse_date(raw)
            if date is None and text and (DATE.match(text) or ISO_DATE.match(text)):
                warn(_("“%s” is not a day of the calendar (check the day and the month); "
                       "the hire date is left empty") % text)  # fmt: skip
            elif date is None and text:
                warn(_("expected a date as dd/mm/yyyy, got “%s”; the hire date is left empty")
                     % text)  # fmt: skip
            values[name] = date
        elif name in ("active", "external"):
            key = text.lower()
            if key and key not in YES and key not in NO:
                problem(_("expected oui/non (or yes/no, 1/0), got “%s”") % text)
            values[name] = key not in NO if name == "active" else key in YES
        elif name == "preferred_language":
            language = LANGUAGES.get(text.lower()) if text else None
            if text and language is None:
                warn(_("expected fr or en, got “%s”; the language is left as it was") % text)
            values[name] = language
        elif name == "roles":
            words = [w.strip() for w in re.split(r"[,;/|+]", text) if w.strip()]
            unknown = [w for w in words if _plain(w) not in ROLES]
            if unknown:
                problem(
                    _("expected roles among employee, manager, executive, ambassador, works "
                      "council (or collaborateur, manager, direction, ambassadeur, CSE), got “%s”")
                    % ", ".join(unknown)
                )  # fmt: skip
            values[name] = sorted({ROLES[_plain(w)] for w in words if _plain(w) in ROLES})
        else:  # org_unit, job_family, site, manager: references resolved later
            if name == "org_unit" and any(
                len(part) > UNIT_NAME for part in PATH_SEPARATOR.split(text)
            ):
                problem(_("each unit's name holds at most %s characters") % UNIT_NAME)
                continue
            values[name] = text
    employee_id = str(values.pop("employee_id", ""))
    return PersonRow(row=number, employee_id=employee_id, values=values), problems


def _plain(word: str) -> str:
    """Lower case, no accents, single spaces: "Élue  CSE" → "elue cse"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def parse_date(raw: Cell) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = cell_text(raw).strip()
    if not text:
        return None
    match = DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = ISO_DATE.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None
