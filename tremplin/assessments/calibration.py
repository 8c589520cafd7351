"""Calibration of the item bank from the answers collected, in the background or from a file."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tremplin.assessments.models import CalibrationRun, Item, ItemStatus, QuizAnswer
from tremplin.compute.calibration import Calibration, Responses, calibrate
from tremplin.spreadsheets import SpreadsheetError, cell_text, read_table


class ResponsesFileError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LabelledResponses:
    data: Responses
    people: list[str]
    items: list[str]


def parse_responses(content: bytes, filename: str = "responses.csv") -> LabelledResponses:
    """A `person,item,correct` file: correct is 1, 0, or empty when the item was not presented."""
    try:
        table = read_table(content, filename)
    except SpreadsheetError as error:
        raise ResponsesFileError([str(error)]) from error
    header = [cell_text(h).strip().lower() for h in table.header]
    missing = [c for c in ("person", "item", "correct") if c not in header]
    if missing:
        raise ResponsesFileError(
            [
                _("Missing columns: %(columns)s (expected person, item, correct).")
                % {"columns": ", ".join(missing)}
            ]
        )
    at = {name: header.index(name) for name in ("person", "item", "correct")}
    people: dict[str, int] = {}
    items: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    rows: list[tuple[int, int, bool]] = []
    problems: list[str] = []
    for number, cells in table.rows:
        values = {k: cell_text(cells[i]).strip() if i < len(cells) else "" for k, i in at.items()}
        if not values["person"] or not values["item"]:
            problems.append(_("Row %(row)s: person and item are required.") % {"row": number})
            continue
        if values["correct"] == "":
            continue  # not presented
        if values["correct"] not in ("0", "1"):
            problems.append(
                _("Row %(row)s, correct: expected 1, 0 or empty, found “%(value)s”.")
                % {"row": number, "value": values["correct"]}
            )
            continue
        p = people.setdefault(values["person"], len(people))
        i = items.setdefault(values["item"], len(items))
        if (p, i) in seen:
            problems.append(
                _("Row %(row)s: %(person)s already answered %(item)s.") % {"row": number, **values}
            )
            continue
        seen.add((p, i))
        rows.append((p, i, values["correct"] == "1"))
    if problems:
        raise ResponsesFileError(problems)
    if not rows:
        raise ResponsesFileError([_("The file holds no answers.")])
    person, item, correct = zip(*rows, strict=True)
    return LabelledResponses(
        Responses.of(person, item, correct, len(people), len(items)), list(people), list(items)
    )


def collected_responses() -> tuple[Responses, list[Item]]:
    """Every answer given in the quiz to items not retired."""
    answers = list(
        QuizAnswer.objects.filter(choice__isnull=False)
        .exclude(item__status=ItemStatus.RETIRED)
        .values_list("session__person_id", "item_id", "correct")
    )
    items = list(Item.objects.exclude(status=ItemStatus.RETIRED).order_by("pk"))
    if not answers:
        raise ValueError(_("No answers have been collected yet."))
    person_index: dict[int, int] = {}
    item_index = {item.pk: n for n, item in enumerate(items)}
    person = [person_index.setdefault(p, len(person_index)) for p, _i, _c in answers]
    item = [item_index[i] for _p, i, _c in answers]
    correct = [bool(c) for _p, _i, c in answers]
    return Responses.of(person, item, correct, len(person_index), len(items)), items


def _number(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


def apply(result: Calibration, items: list[Item]) -> list[dict[str, object]]:
    """Store the new parameters of items with enough answers and no flag; report on all.

    A pilot item that passes becomes calibrated (scored); a flagged item keeps its former
    parameters and status until the programme lead reviews it.
    """
    now = timezone.now()
    report: list[dict[str, object]] = []
    with transaction.atomic():
        for n, item in enumerate(items):
            line = result.reports[n]
            accepted = not line.flags
            if accepted:
                item.a = float(result.items.a[n])
                item.b = float(result.items.b[n])
                item.c = float(result.items.c[n])
                item.calibrated_at = now
                if item.status == ItemStatus.PILOT:
                    item.status = ItemStatus.CALIBRATED
            item.fit_flags = list(line.flags)
            item.save(update_fields=["a", "b", "c", "calibrated_at", "status", "fit_flags"])
            report.append(
                {
                    "code": item.code,
                    "a": round(float(result.items.a[n]), 4),
                    "b": round(float(result.items.b[n]), 4),
                    "c": round(float(result.items.c[n]), 4),
                    "answers": line.answers,
                    "p_correct": _number(line.p_correct),
                    "fit_p": _number(line.fit_p),
                    "flags": list(line.flags),
                    "accepted": accepted,
                }
            )
    return report


def run_calibration(run: CalibrationRun) -> CalibrationRun:
    CalibrationRun.objects.filter(pk=run.pk).update(status=CalibrationRun.Status.RUNNING)
    try:
        data, items = collected_responses()
        result = calibrate(data, model=run.model)
        run.report = apply(result, items)
        run.answers = int(data.person.size)
        run.people = data.n_people
        run.status = CalibrationRun.Status.DONE
    except Exception as error:  # the run records why it failed; the page shows it
        run.status = CalibrationRun.Status.FAILED
        run.error = str(error)
    run.finished_at = timezone.now()
    run.save()
    return run


@task()
def calibrate_bank(run_id: int) -> str:
    run = run_calibration(CalibrationRun.objects.get(pk=run_id))
    return str(run.status)


def parameters_csv(labelled: LabelledResponses, result: Calibration) -> list[list[object]]:
    rows: list[list[object]] = []
    for n, code in enumerate(labelled.items):
        rows.append(
            [
                code,
                round(float(result.items.a[n]), 4),
                round(float(result.items.b[n]), 4),
                round(float(result.items.c[n]), 4),
            ]
        )
    return rows


def flags_of(labelled: LabelledResponses, result: Calibration) -> list[tuple[str, list[str]]]:
    return [
        (code, list(result.reports[n].flags))
        for n, code in enumerate(labelled.items)
        if result.reports[n].flags
    ]
