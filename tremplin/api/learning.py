"""Completions from a learning platform: as JSON, as xAPI statements (`completed` or `passed`
on an activity mapped to a module), or as a CSV of course completions. Each recorded once."""

import datetime
import unicodedata
import uuid
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from tremplin.api.core import ERRORS, Refused, need
from tremplin.learning.completions import CompletionError, record_completion
from tremplin.learning.models import CompletionSource, Module
from tremplin.people.models import Person, Role, user_has_role
from tremplin.spreadsheets import SpreadsheetError, cell_text, read_table

router = Router(tags=["completions"])
MAX_ROWS = 50_000
VERBS = {"http://adlnet.gov/expapi/verbs/completed", "http://adlnet.gov/expapi/verbs/passed"}
# Headers of a completions file, compared without case or accents.
HEADERS = {
    "employee_id": {"employee id", "employee_id", "matricule"},
    "email": {"email", "e-mail", "mail", "user", "user principal name", "courriel"},
    "module": {"module", "module code", "course", "course code", "code module", "formation"},
    "completed_on": {"completed on", "completion date", "date", "date de fin", "termine le"},
    "score": {"score", "note"},
}


class CompletionIn(Schema):
    module: str = Field(min_length=1, max_length=30, description="The module's code")
    employee_id: str = Field("", max_length=64)
    email: str = Field("", max_length=254)
    completed_on: datetime.date
    score: float | None = Field(None, ge=0, le=1, description="Scaled score, 0 to 1")
    reference: str = Field("", max_length=100, description="The platform's id: sent twice, once")


class CompletionsIn(Schema):
    completions: list[CompletionIn] = Field(max_length=MAX_ROWS)


class CompletionsOut(Schema):
    recorded: int
    already: int


def _lead(request: HttpRequest) -> None:
    need(request, "completions:write")
    if not user_has_role(request.user, Role.LEAD):
        raise Refused(403, _("Forbidden"), _("Completions come from the programme's platform."))


Who = tuple[str, str]  # (employee id, e-mail): the employee id wins when both are given


def _people(keys: list[Who]) -> list[Person | None]:
    """Each row's person, found in two queries for all the rows."""
    ids = {e for e, _m in keys if e}
    mails = {m.lower() for e, m in keys if not e and m}
    by_id = {p.employee_id: p for p in Person.objects.filter(employee_id__in=ids)}
    by_mail: dict[str, Person] = {}
    for person in Person.objects.annotate(mail=Lower("email")).filter(mail__in=mails):
        by_mail.setdefault(person.email.lower(), person)  # the first, in the people's order
    return [by_id.get(e) if e else by_mail.get(m.lower()) for e, m in keys]


def _record(rows: list[tuple[Who, Module | None, dict[str, Any]]], source: str) -> dict[str, Any]:
    people = _people([who for who, _module, _row in rows])
    rows_found = [(p, m, r) for p, (_who, m, r) in zip(people, rows, strict=True)]
    errors = []
    for index, (person, module, _row) in enumerate(rows_found):
        if person is None:
            errors.append(
                {
                    "index": index,
                    "field": "person",
                    "message": _("No person with this employee id or e-mail."),
                }
            )
        if module is None:
            errors.append(
                {
                    "index": index,
                    "field": "module",
                    "message": _("No module with this code or activity."),
                }
            )
    if errors:
        raise Refused(
            422,
            _("Completions not recorded"),
            _("Some rows name nobody or no module; nothing was recorded."),
            errors,
        )
    recorded = already = 0
    with transaction.atomic():
        for index, (person, module, row) in enumerate(rows_found):
            assert person is not None and module is not None
            try:
                _completion, new = record_completion(
                    person=person,
                    module=module,
                    on=row["on"],
                    score=row.get("score"),
                    source=source,
                    reference=row.get("reference", ""),
                )
            except CompletionError as refused:
                transaction.set_rollback(True)
                raise Refused(
                    422,
                    _("Completions not recorded"),
                    str(refused),
                    [{"index": index, "field": "completed_on", "message": str(refused)}],
                ) from None
            recorded, already = recorded + new, already + (not new)
    return {"recorded": recorded, "already": already}


@router.post(
    "/completions",
    response={200: CompletionsOut, **ERRORS},
    summary="Modules completed in a learning platform",
)
def completions(request: HttpRequest, body: CompletionsIn) -> Any:
    _lead(request)
    modules = {
        m.code: m for m in Module.objects.filter(code__in={c.module for c in body.completions})
    }
    rows = [
        (
            (c.employee_id, c.email),
            modules.get(c.module),
            {"on": c.completed_on, "score": c.score, "reference": c.reference},
        )
        for c in body.completions
    ]
    return _record(rows, CompletionSource.API)


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in folded if not unicodedata.combining(c)).replace("_", " ")


@router.post(
    "/completions/file",
    response={200: CompletionsOut, **ERRORS},
    summary="A CSV or XLSX of course completions (employee id or e-mail, module, date)",
)
def completions_file(request: HttpRequest, file: File[UploadedFile]) -> Any:
    _lead(request)
    try:
        table = read_table(file.read(), file.name or "")
    except SpreadsheetError as refused:
        raise Refused(422, _("File refused"), str(refused)) from None
    columns: dict[str, int] = {}
    for n, header in enumerate(table.header):
        for name, names in HEADERS.items():
            if _plain(header) in {_plain(h) for h in names}:
                columns.setdefault(name, n)
    missing = [n for n in ("module", "completed_on") if n not in columns]
    if missing or not ({"employee_id", "email"} & set(columns)):
        raise Refused(
            422,
            _("Columns missing"),
            _("The file needs a module, a date and an employee id or e-mail column."),
        )

    def value(cells: list[Any], name: str) -> str:
        n = columns.get(name)
        return cell_text(cells[n]).strip() if n is not None and n < len(cells) else ""

    modules = {m.code: m for m in Module.objects.all()}
    rows: list[tuple[Who, Module | None, dict[str, Any]]] = []
    errors = []
    for index, (_number, cells) in enumerate(table.rows):
        raw = value(cells, "completed_on")
        on = parse_date(raw) or _french_date(raw)
        score_text = value(cells, "score").replace(",", ".")
        try:
            score = float(score_text) if score_text else None
        except ValueError:
            score = None
            errors.append(
                {
                    "index": index,
                    "field": "score",
                    "message": _("expected a number, got “%s”") % score_text,
                }
            )
        if score is not None and score > 1:
            score = score / 100 if score <= 100 else None
        if on is None:
            errors.append(
                {
                    "index": index,
                    "field": "completed_on",
                    "message": _("expected a date, got “%s”") % raw,
                }
            )
        rows.append(
            (
                (value(cells, "employee_id"), value(cells, "email")),
                modules.get(value(cells, "module")),
                {"on": on, "score": score},
            )
        )
    if errors:
        raise Refused(
            422, _("Completions not recorded"), _("Some rows are not as expected."), errors
        )
    return _record(rows, CompletionSource.FILE)


def _french_date(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text[:10], "%d/%m/%Y").date()
    except ValueError:
        return None


class Statement(Schema):
    id: str | None = Field(None, max_length=100)
    actor: dict[str, Any]
    verb: dict[str, Any]
    object: dict[str, Any]
    result: dict[str, Any] | None = None
    timestamp: str | None = Field(None, max_length=40)


def _actor(actor: dict[str, Any]) -> Who:
    mbox = str(actor.get("mbox", ""))
    if mbox.startswith("mailto:"):
        return "", mbox[7:]
    account = actor.get("account")
    if isinstance(account, dict) and account.get("name"):
        return str(account["name"])[:64], ""
    return "", ""


def _local_day(moment: datetime.datetime | None) -> datetime.date:
    """The installation's day of a statement's timestamp: an LMS sends UTC ("…Z"), and a
    module finished at 00:30 in Paris was recorded the day before (the year before, on the
    night of 31 December); one sent with an offset east of Paris could fall on tomorrow and be
    refused with its whole batch. No timestamp: today, here."""
    if moment is None:
        return timezone.localdate()
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


@router.post(
    "/xapi/statements",
    response={200: list[str], **ERRORS},
    summary="xAPI statements: completed or passed on an activity mapped to a module",
)
def statements(request: HttpRequest, body: list[Statement]) -> Any:
    _lead(request)
    if len(body) > MAX_ROWS:
        raise Refused(422, _("Too many statements"), _("At most 50,000 at once."))
    activities = {str(st.object.get("id", ""))[:300] for st in body} - {""}
    modules: dict[str, Module] = {}
    for found in Module.objects.filter(xapi_activity__in=activities):  # in code order
        modules.setdefault(found.xapi_activity, found)
    ids: list[str] = []
    rows: list[tuple[Who, Module | None, dict[str, Any]]] = []
    for statement in body:
        sid = statement.id or str(uuid.uuid4())
        ids.append(sid)
        if str(statement.verb.get("id", "")) not in VERBS:
            continue  # other verbs (launched, experienced …) are not completions
        if (statement.result or {}).get("success") is False:
            continue  # failed
        activity = str(statement.object.get("id", ""))[:300]
        module = modules.get(activity)
        moment = parse_datetime(statement.timestamp or "") if statement.timestamp else None
        scaled = ((statement.result or {}).get("score") or {}).get("scaled")
        rows.append(
            (
                _actor(statement.actor),
                module,
                {
                    "on": _local_day(moment),
                    "score": max(0.0, min(1.0, float(scaled)))
                    if isinstance(scaled, int | float)
                    else None,
                    "reference": sid,
                },
            )
        )
    _record(rows, CompletionSource.XAPI)
    return ids
