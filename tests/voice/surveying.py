"""A survey from a shipped template, sent and open now: the starting point of the voice tests."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from tremplin.people.models import OrgUnit
from tremplin.voice import services
from tremplin.voice.models import Survey


def open_survey(
    code: str,
    *,
    units: QuerySet[OrgUnit] | list[OrgUnit] | None = None,
    anonymity: str | None = None,
    days: int = 7,
) -> Survey:
    """Sent to `units` (the whole company by default), open from a minute ago for `days`."""
    data = services.templates()[code]
    if anonymity is not None:
        data = data | {"anonymity": anonymity}
    survey = services.create_survey(data, by=None)
    survey.units.set(OrgUnit.objects.filter(parent=None) if units is None else units)
    now = timezone.now()
    services.send(
        survey,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=days),
    )
    return survey
