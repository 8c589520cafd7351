"""A person's rights over their data: everything Tremplin holds on them (exported as JSON and
as a readable PDF), and erasure (the person kept as a pseudonym, identity and free text gone,
aggregates kept)."""

from __future__ import annotations

import datetime
import json
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.accountability import details
from tremplin.accountability.holdings import HOLDINGS, Holding
from tremplin.accountability.labels import column_name, table_name
from tremplin.accountability.models import Action, AuditEntry, Erasure
from tremplin.people.models import Person

User = get_user_model()
PERSON_FIELDS = ("employee_id", "first_name", "last_name", "email", "org_unit", "job_family",
                 "site", "manager", "hire_date", "active", "left_on", "external",
                 "preferred_language", "ai_appetite")  # fmt: skip
ACCOUNT_FIELDS = ("username", "email", "first_name", "last_name", "date_joined", "last_login")


REVOKED = gettext_lazy("The holder's data was erased at their request.")


def _installation(text: Any) -> str:
    """Text stored for everyone, in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


class ErasureError(Exception):
    """The erasure is refused; the message says why."""


@dataclass
class Section:
    """One table's rows held on the person, read two ways: by a machine (the JSON export: codes,
    ISO dates) and by a person (the PDF: a choice's label, dates in the reader's language and
    local time)."""

    label: str  # app_label.Model
    name: str  # the model's plural name, in the current language
    fields: list[models.Field[Any, Any]]
    values: list[dict[str, Any]]  # each row's values, as Django reads them

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(field, its name in the current language)."""
        return [(f.name, column_name(f)) for f in self.fields]

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [{name: _value(value) for name, value in row.items()} for row in self.values]

    @property
    def shown(self) -> list[dict[str, str]]:
        return [{f.name: _shown(f, row[f.name]) for f in self.fields} for row in self.values]


def _target(model: type[models.Model], path: str) -> type[models.Model] | None:
    """The model a field path ("plan__person") ends on."""
    current: type[models.Model] = model
    for part in path.split("__"):
        field = current._meta.get_field(part)
        related = field.related_model
        if related is None or isinstance(related, str):
            return None
        current = related
    return current


def _match(holding: Holding, paths: tuple[str, ...], person: Person) -> Q | None:
    model = apps.get_model(holding.model)
    query = Q()
    for path in paths:
        target = _target(model, path)
        if target is Person:
            query |= Q(**{path: person.pk})
        elif target is User and person.user_id is not None:
            query |= Q(**{path: person.user_id})
    return query or None


PENDING = gettext_lazy(
    "Not included: an assessment of you that someone else has started but not yet submitted;"
    " it appears here once submitted. The data-protection officer's export of your data"
    " includes it."
)


def rows_of(holding: Holding, person: Person, own: bool = False) -> models.QuerySet[Any]:
    """The rows that are the person's: those they own (their ratings, not those they gave:
    these are their colleagues' data), or, in a table without an owner, those naming them
    (a campaign or a wave they are in, a session they train). `own`: for the person's own
    download, without what another is still writing about them (`Holding.pending`)."""
    model = apps.get_model(holding.model)
    query = _match(holding, (holding.owner,) if holding.owner else holding.also, person)
    if query is None:
        return model.objects.none()
    rows = model.objects.filter(query)
    if own and holding.pending:
        author = _match(holding, holding.also[:1], person) or Q(pk__in=[])
        rows = rows.exclude(Q(**{f"{holding.pending}__isnull": True}) & ~author)
    return rows.distinct().order_by("pk")  # the same order on any database


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, uuid.UUID | datetime.time):  # a named survey response's id
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return value


def _columns(holding: Holding) -> list[models.Field[Any, Any]]:
    model = apps.get_model(holding.model)
    chosen = []
    for field in model._meta.concrete_fields:
        if field.name in holding.hide or field.get_internal_type() == "BinaryField":
            continue
        if holding.fields and field.name not in holding.fields:
            continue
        chosen.append(field)
    return chosen


def _when(moment: datetime.datetime) -> str:
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def _object(value: Any) -> str:
    """A row a column points at, as a reader knows it: a few models' own names (written for
    logs and the admin) carry a code or a date in ISO form, in UTC."""
    label = value._meta.label
    if label == "assessments.Rating":
        return f"{value.competence.code} {value.level} ({value.get_source_display()})"
    if label == "assessments.QuizSession":
        return _when(value.started_at)
    if label == "learning.TrainingSession":
        return f"{value.module.code} {_when(value.starts_at)}"
    return str(value)


def _structure(value: dict[str, Any] | list[Any]) -> str:
    """A JSON value kept in a column: a list of codes as a list, a flat mapping as pairs."""
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict) and all(isinstance(v, str | int | float) for v in value.values()):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    return json.dumps(value, ensure_ascii=False, sort_keys=True)  # PostgreSQL reorders keys


def _shown(field: models.Field[Any, Any], value: Any) -> str:
    """A value as the reader of the PDF reads it: a choice by its label, a date in their
    language's format, a moment in local time."""
    if value is None or value in ("", [], {}) or isinstance(value, bytes | memoryview):
        return "—"
    if field.model is AuditEntry and field.name == "detail":  # the application's codes in words
        return details.shown(str(value))
    if field.name in ("language", "languages"):  # codes, without choices on the field
        names = dict(settings.LANGUAGES)
        codes = value if isinstance(value, list) else [value]
        return ", ".join(str(names.get(code, code)) for code in codes)
    if field.choices and isinstance(value, str | int) and not isinstance(value, bool):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return _when(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.time):
        return formats.time_format(value, "TIME_FORMAT")
    if isinstance(value, float | Decimal):
        return str(formats.localize(value))
    if isinstance(value, models.Model):
        return _object(value)
    if isinstance(value, dict | list):
        return _structure(value)[:2000]
    return str(value)[:4000]


def _named(model: type[models.Model], names: tuple[str, ...]) -> list[models.Field[Any, Any]]:
    fields = [model._meta.get_field(name) for name in names]
    return [f for f in fields if isinstance(f, models.Field)]


def sections(person: Person, own: bool = False) -> Iterator[Section]:
    """Everything held on the person, table by table (those with rows only); `own`: as the
    person downloads it themselves (see `rows_of`)."""
    fields = _named(Person, PERSON_FIELDS)
    yield Section("people.Person", str(Person._meta.verbose_name), fields,
                  [{f.name: getattr(person, f.name) for f in fields}])  # fmt: skip
    if person.user is not None:
        account = _named(User, ACCOUNT_FIELDS)
        yield Section("auth.User", str(User._meta.verbose_name), account,
                      [{f.name: getattr(person.user, f.name) for f in account}])  # fmt: skip
    for holding in HOLDINGS:
        model = apps.get_model(holding.model)
        columns = _columns(holding)
        related = [f.name for f in columns if f.is_relation]
        values = [
            {f.name: getattr(row, f.name) for f in columns}
            for row in rows_of(holding, person, own).select_related(*related)[:10_000]
        ]
        if values:
            yield Section(holding.model, table_name(model), columns, values)


def export(person: Person, own: bool = False) -> dict[str, Any]:
    """The person's data as one JSON-ready object."""
    data = {
        "format": "tremplin-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "person": person.pk,
        "tables": [
            {"table": s.label, "name": s.name, "rows": s.rows} for s in sections(person, own)
        ],
    }
    if own:
        data["not_included"] = str(PENDING)
    return data


def holding_counts(person: Person) -> list[tuple[str, int]]:
    """(table's name, rows) for every table holding something on the person."""
    found = []
    for holding in HOLDINGS:
        count = rows_of(holding, person).count()
        if count:
            found.append((table_name(apps.get_model(holding.model)), count))
    return found


def already_erased(erasure: Erasure) -> str:
    day = formats.date_format(timezone.localdate(erasure.at), "SHORT_DATE_FORMAT")
    return _("This person's data was already erased on %(day)s.") % {"day": day}


def _empty(field: models.Field[Any, Any]) -> Any:
    if field.null:
        return None
    default = field.get_default()
    return default if default is not None else ""


def _code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        code = "P-" + "".join(secrets.choice(alphabet) for _ in range(8))
        if not Person.objects.filter(employee_id=code).exists():
            return code


def erase(person: Person, by: AbstractBaseUser | AnonymousUser | None, reason: str) -> Erasure:
    """Pseudonymise the person and remove what identifies them; refused twice, without a
    reason, or for oneself."""
    reason = reason.strip()
    if not reason:
        raise ErasureError(_("Say why the data is erased (the request, or the rule applied)."))
    if by is not None and by.is_authenticated and person.user_id == by.pk:
        raise ErasureError(_("Nobody erases their own data here: ask the data-protection officer."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        done = Erasure.objects.filter(person=person).first()
        if done is not None:
            raise ErasureError(already_erased(done))
        code = _code()
        counts: dict[str, int] = {}
        for holding in HOLDINGS:
            if not holding.owner or not (holding.clear or holding.delete):
                continue
            rows = rows_of(holding, person)
            model = apps.get_model(holding.model)
            ids = list(rows.values_list("pk", flat=True))
            if not ids:
                continue
            if holding.delete:
                model.objects.filter(pk__in=ids).delete()
            else:
                model.objects.filter(pk__in=ids).update(
                    **{f: _empty(model._meta.get_field(f)) for f in holding.clear}
                )
            counts[holding.model] = len(ids)
        revoked = (
            apps.get_model("engagement.Award")
            .objects.filter(person=person, revoked_at=None)
            .update(revoked_at=timezone.now(), revoked_because=_installation(REVOKED))
        )
        if revoked:
            counts["engagement.Award (revoked)"] = revoked
        user_id = person.user_id
        if user_id is not None:
            User.objects.filter(pk=user_id).update(
                username=code, email="", first_name="", last_name="", is_active=False,
                password="!" + secrets.token_hex(20),
            )  # fmt: skip
            AuditEntry.objects.filter(user_id=user_id).update(actor=code)
        AuditEntry.objects.filter(person=person).exclude(detail="").update(detail="")
        Person.objects.filter(pk=person.pk).update(
            employee_id=code, first_name="", last_name=code, email="", hire_date=None,
            ai_appetite="", active=False, left_on=person.left_on or timezone.localdate(),
        )  # fmt: skip
        erasure = Erasure.objects.create(
            person=person, by_id=by.pk if by is not None and by.is_authenticated else None,
            reason=reason[:300], pseudonym=code, counts=counts,
        )  # fmt: skip
        from tremplin.accountability.audit import record

        record(by, Action.ERASE, person_id=person.pk, detail=code)
    return erasure
