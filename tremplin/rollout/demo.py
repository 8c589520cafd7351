"""The demo company's pilot and waves, from `data/demo/recipe.json`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tremplin.people.models import OrgUnit
from tremplin.rollout.models import Wave


def build_waves(recipe: dict[str, Any], today: dt.date | None = None) -> list[Wave]:
    today = today or timezone.localdate()
    units = {u.code: u for u in OrgUnit.objects.all()}
    waves = []
    for entry in recipe["waves"]:
        wave, _ = Wave.objects.update_or_create(
            name=entry["name"],
            defaults={
                "pilot": entry["pilot"],
                "starts_on": today - dt.timedelta(days=entry["starts_days_ago"]),
            },
        )
        wave.units.set([units[code] for code in entry["units"]])
        waves.append(wave)
    return waves
