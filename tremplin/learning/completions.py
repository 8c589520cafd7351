"""Completions reported by a learning platform (the API, xAPI statements, a completions file):
each recorded once (its reference recognised when sent again), the module of the person's
agreed plan completed, else a training rating written as a completion of the plan would."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.assessments.models import Source
from tremplin.assessments.services import record_ratings
from tremplin.learning.models import (
    Completion,
    ItemStatus,
    Module,
    PlanItem,
    PlanStatus,
)
from tremplin.learning.services import PlanError, item_complete, levels_brought
from tremplin.people.models import Person


class CompletionError(Exception):
    """The completion is refused; the message says why."""


def record_completion(
    *,
    person: Person,
    module: Module,
    on: datetime.date,
    source: str,
    score: float | None = None,
    reference: str = "",
) -> tuple[Completion, bool]:
    """The completion, and whether it is new (False: the reference was recorded before)."""
    if on > timezone.localdate():
        raise CompletionError(_("A completion cannot be dated in the future."))
    if score is not None and not 0 <= score <= 1:
        raise CompletionError(_("A score is between 0 and 1."))
    reference = reference[:100]
    if reference:
        earlier = Completion.objects.filter(source=source, reference=reference).first()
        if earlier is not None:
            return earlier, False
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                person=person,
                module=module,
                completed_on=on,
                score=score,
                source=source,
                reference=reference,
            )
            item = (
                PlanItem.objects.filter(
                    plan__person=person,
                    module=module,
                    plan__status__in=(PlanStatus.AGREED, PlanStatus.IN_PROGRESS),
                )
                .exclude(status=ItemStatus.DONE)
                .first()
            )
            if item is not None:
                item_complete(item=item, by=None, recorder=None, on=on)
                completion.item = item
                completion.save(update_fields=["item"])
            else:
                _training_ratings(person, module, on)
    except IntegrityError:  # the same reference sent twice at once: the first one stands
        earlier = Completion.objects.filter(source=source, reference=reference).first()
        if earlier is None:
            raise
        return earlier, False
    except PlanError as refused:
        raise CompletionError(str(refused)) from None
    return completion, True


def _training_ratings(person: Person, module: Module, on: datetime.date) -> None:
    """The levels the module brings, as a completion of the plan writes them."""
    levels = levels_brought(person, module)
    if levels:
        record_ratings(
            person=person, levels=levels, source=Source.TRAINING, assessor=None, assessed_on=on
        )
