"""Item bank interchange: JSON (the shipped format) and CSV, checked before anything is written.

Items are matched on their code: importing a bank again updates texts and status and keeps the
calibrated parameters unless the file gives its own (a, b, c).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.assessments.models import Item, ItemStatus
from tremplin.lengths import too_long
from tremplin.skills.queries import active_framework
from tremplin.spreadsheets import (
    FileProblems,
    SpreadsheetError,
    cell_text,
    csv_bytes,
    expected,
    read_table,
)
from tremplin.uploads import UploadError, read_json

DEFAULT_BANK = Path(__file__).resolve().parent.parent / "data" / "items" / "bank.json"
FORMAT = "tremplin-item-bank"
MAX_OPTIONS = 6
TEXT_FIELDS = ("stem_fr", "stem_en", "explanation_fr", "explanation_en")
CSV_COLUMNS = [
    "code",
    "competences",
    "status",
    "prior_difficulty",
    "a",
    "b",
    "c",
    "correct",
    "stem_fr",
    "stem_en",
    *[f"option_{n}_{lang}" for lang in ("fr", "en") for n in range(1, MAX_OPTIONS + 1)],
    "explanation_fr",
    "explanation_en",
]


class BankFormatError(FileProblems):
    pass


def _number(raw: Any, low: float, high: float) -> float | None:
    try:
        value = float(str(raw).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def check_item(
    row: dict[str, Any], where: str, known: set[str]
) -> tuple[dict[str, Any], list[str]]:
    """Normalise one item; problems say where, which field and what was expected."""
    problems: list[str] = []

    def problem(field: str, what: str) -> None:
        problems.append(expected(where, field, what))

    item: dict[str, Any] = {"code": str(row.get("code") or "").strip()}
    if not item["code"]:
        problem("code", _("a code"))
    for field, most in too_long(Item, item, ["code"]):
        problem(field, _("a code of %(most)s characters at most") % {"most": most})
    competences = row.get("competences") or []
    if isinstance(competences, str):
        competences = competences.replace(",", " ").split()
    item["competences"] = [str(c).strip() for c in competences]
    unknown = [c for c in item["competences"] if c not in known]
    if not item["competences"]:
        problem("competences", _("at least one competence code"))
    elif unknown:
        problem(
            "competences",
            _("codes of the active framework (unknown: %(codes)s)") % {"codes": ", ".join(unknown)},
        )
    item["status"] = str(row.get("status") or ItemStatus.PILOT).strip()
    if item["status"] not in ItemStatus.values:
        problem("status", " / ".join(ItemStatus.values))
    item["prior_difficulty"] = _number(row.get("prior_difficulty"), -4, 4)
    if item["prior_difficulty"] is None:
        problem("prior_difficulty", _("a number between -4 and 4"))
    for field, low, high in (("a", -4, 6), ("b", -6, 6), ("c", 0, 0.6)):
        raw = row.get(field)
        if raw in (None, ""):
            continue
        item[field] = _number(raw, low, high)
        if item[field] is None:
            problem(field, _("a number between %(low)s and %(high)s") % {"low": low, "high": high})
    for field in TEXT_FIELDS:
        item[field] = str(row.get(field) or "").strip()
        if not item[field]:
            problem(field, _("a text"))
    for lang in ("fr", "en"):
        options = row.get(f"options_{lang}")
        if options is None:
            options = [row.get(f"option_{n}_{lang}") for n in range(1, MAX_OPTIONS + 1)]
        item[f"options_{lang}"] = [str(o).strip() for o in options if str(o or "").strip()]
        if not 2 <= len(item[f"options_{lang}"]) <= MAX_OPTIONS:
            problem(f"options_{lang}", _("between 2 and 6 options"))
    if len(item["options_fr"]) != len(item["options_en"]):
        problem("options_en", _("as many options as in French"))
    correct = _number(row.get("correct"), 0, len(item["options_fr"]) - 1)
    if correct is None or correct != int(correct):
        problem("correct", _("the number of the right option, counted from 0"))
    else:
        item["correct"] = int(correct)
    return item, problems


def check_items(rows: Iterable[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    framework = active_framework()
    known = set(framework.competences.values_list("code", flat=True)) if framework else set()
    items: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for where, row in rows:
        item, found = check_item(row, where, known)
        if item["code"] in seen:
            found.append(_("%(where)s, code: %(code)s appears twice.") % {"where": where, **item})
        seen.add(item["code"])
        problems += found
        items.append(item)
    if problems:
        raise BankFormatError(problems)
    if not items:
        raise BankFormatError([_("The file holds no items.")])
    return items


def parse_json(data: bytes) -> list[dict[str, Any]]:
    try:
        document = read_json(data)
    except UploadError as error:
        raise BankFormatError([str(error)]) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BankFormatError([_('Not a Tremplin item bank (expected "format": "%s").') % FORMAT])
    rows = document.get("items")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise BankFormatError([_('"items" must be a list of objects.')])
    return check_items((_("item %(n)s") % {"n": n}, row) for n, row in enumerate(rows, start=1))


def parse_csv(data: bytes) -> list[dict[str, Any]]:
    try:
        table = read_table(data, "bank.csv")
    except SpreadsheetError as error:
        raise BankFormatError([str(error)]) from error
    header = [cell_text(h).strip().lower() for h in table.header]
    missing = [c for c in ("code", "competences", "correct", "stem_fr") if c not in header]
    if missing:
        raise BankFormatError(
            [_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    return check_items(
        (
            _("row %(n)s") % {"n": number},
            dict(zip(header, [cell_text(c) for c in cells], strict=False)),
        )
        for number, cells in table.rows
    )


def save_items(items: list[dict[str, Any]]) -> tuple[int, int]:
    """Create or update items by code, all or nothing; returns (created, updated)."""
    existing = {i.code: i for i in Item.objects.filter(code__in=[x["code"] for x in items])}
    created = updated = 0
    with transaction.atomic():
        for data in items:
            item = existing.get(data["code"]) or Item(
                code=data["code"], a=1.0, b=data["prior_difficulty"], c=0.0
            )
            for field, value in data.items():
                setattr(item, field, value)
            if item.pk:
                updated += 1
            else:
                created += 1
            item.save()
    return created, updated


def load_default_bank() -> tuple[int, int]:
    return save_items(parse_json(DEFAULT_BANK.read_bytes()))


def export_json(items: Iterable[Item]) -> bytes:
    rows = [
        {
            "code": i.code,
            "competences": i.competences,
            "status": i.status,
            "prior_difficulty": i.prior_difficulty,
            "a": round(i.a, 4),
            "b": round(i.b, 4),
            "c": round(i.c, 4),
            "stem_fr": i.stem_fr,
            "stem_en": i.stem_en,
            "options_fr": i.options_fr,
            "options_en": i.options_en,
            "correct": i.correct,
            "explanation_fr": i.explanation_fr,
            "explanation_en": i.explanation_en,
        }
        for i in items
    ]
    document = {"format": FORMAT, "format_version": 1, "items": rows}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def export_csv(items: Iterable[Item]) -> bytes:
    rows = []
    for i in items:
        options = [
            (i.options_fr + [""] * MAX_OPTIONS)[:MAX_OPTIONS],
            (i.options_en + [""] * MAX_OPTIONS)[:MAX_OPTIONS],
        ]
        rows.append(
            [
                i.code,
                " ".join(i.competences),
                i.status,
                i.prior_difficulty,
                round(i.a, 4),
                round(i.b, 4),
                round(i.c, 4),
                i.correct,
                i.stem_fr,
                i.stem_en,
                *options[0],
                *options[1],
                i.explanation_fr,
                i.explanation_en,
            ]
        )
    return csv_bytes(CSV_COLUMNS, rows)
