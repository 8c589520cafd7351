"""Reassessment after training: the competences a completed module raised, rated again by the
person and by their manager, from a per-person list rather than a campaign per completion."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.assessments.models import Reassessment, Source
from tremplin.assessments.services import AssessmentError, record_ratings
from tremplin.people.models import Person
from tremplin.skills.models import Competence

DUE_DAYS = 30  # a reassessment is due a month after the last module completed


def request_reassessment(
    *, person: Person, competences: Iterable[Competence], module: str, on: datetime.date
) -> Reassessment:
    """Add a module's competences to the person's open reassessment (opening one if none)."""
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)  # one open per person, even racing
        found = Reassessment.objects.open().filter(person=person).first()
        due = on + datetime.timedelta(days=DUE_DAYS)
        if found is None:
            found = Reassessment.objects.create(person=person, requested_on=on, due_on=due)
        if module not in found.modules:
            found.modules = [*found.modules, module]
        found.due_on = max(found.due_on, due)
        found.save()
        found.competences.add(*competences)
    return found


def record_reassessment(
    *,
    reassessment: Reassessment,
    source: str,
    assessor: Person,
    levels: Mapping[Competence, int],
) -> Reassessment:
    """Record one party's levels once: as ratings of the person (self or manager)."""
    fields: dict[str, str] = {Source.SELF: "self_done_at", Source.MANAGER: "manager_done_at"}
    field = fields.get(source)
    if field is None:
        raise AssessmentError(_("Only the person and their manager reassess."))
    with transaction.atomic():
        found = Reassessment.objects.select_for_update().get(pk=reassessment.pk)
        if getattr(found, field) is not None:
            raise AssessmentError(_("This reassessment was already recorded."))
        wanted = set(found.competences.values_list("pk", flat=True))
        if {c.pk for c in levels} != wanted:
            raise AssessmentError(_("Rate every competence of the reassessment."))
        record_ratings(person=found.person, levels=levels, source=source, assessor=assessor)
        setattr(found, field, timezone.now())
        found.save(update_fields=[field])
    return found
