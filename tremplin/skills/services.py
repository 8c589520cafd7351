from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from tremplin.people.models import JobFamily
from tremplin.skills.interchange import import_framework
from tremplin.skills.models import Framework, JobFamilyTarget

DEFAULT_FRAMEWORK = Path(__file__).resolve().parent.parent / "data" / "frameworks" / "default.json"


@transaction.atomic
def save_job_family_targets(
    *,
    framework: Framework,
    family: JobFamily,
    entries: dict[str, tuple[int | None, Decimal, bool]],
) -> int:
    """Set the job family's overrides; a competence with no level inherits its persona's.

    Returns how many overrides the job family now has.
    """
    competences = {c.code: c for c in framework.competences.all()}
    JobFamilyTarget.objects.filter(competence__framework=framework, job_family=family).delete()
    targets = [
        JobFamilyTarget(
            competence=competences[code],
            job_family=family,
            level=level,
            weight=weight,
            priority=priority,
        )
        for code, (level, weight, priority) in entries.items()
        if level is not None and code in competences
    ]
    JobFamilyTarget.objects.bulk_create(targets)
    return len(targets)


def load_default_framework(*, activate: bool = True) -> Framework:
    """Load the shipped framework once; loading it again changes nothing."""
    data = json.loads(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    meta = data["framework"]
    existing = Framework.objects.filter(code=meta["code"], version=meta["version"]).first()
    if existing is not None:
        return existing
    return import_framework(data, activate=activate or not Framework.objects.exists())
