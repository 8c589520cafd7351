"""Demo AI-tool usage: about 90 days of three tools for the demo company's people, adoption
rising with each person's wave (the pilot's people use the tools most, the last wave's began
when it opened), through `upsert_usage` as an import and the API would send it.

Microsoft 365 Copilot comes as its usage report does (a day of activity, no count of actions);
ChatGPT Enterprise and Le Chat Pro with their messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.utils import timezone

from tremplin.insights.usage import upsert_usage
from tremplin.insights.usage_models import UsageSource
from tremplin.people.models import Person
from tremplin.rollout.queries import wave_of_people, waves_in_order

DAYS = 90
# (name, share of a wave's adopters using it, mean actions a day of use; 0: not counted)
TOOLS = (("Microsoft 365 Copilot", 0.9, 0), ("ChatGPT Enterprise", 0.45, 9),
         ("Le Chat Pro", 0.12, 6))  # fmt: skip
# Share of a wave's people using AI tools once its rollout is well under way; the pilot's
# first. People in no wave yet try them a little.
ADOPTION = (0.8, 0.6, 0.45, 0.35)
OUTSIDE = 0.08
RAMP_DAYS = 60  # from a wave's start to its full adoption


def build_usage(seed: int = 7, today: dt.date | None = None) -> str:
    """Write the demo's usage; returns a line for the demo loader's output."""
    rng = np.random.default_rng(seed)
    today = today or timezone.localdate()
    days = [today - dt.timedelta(days=d) for d in range(DAYS, 0, -1)]  # to yesterday
    waves = waves_in_order()
    rank = {wave.pk: k for k, wave in enumerate(waves)}
    start = {wave.pk: wave.starts_on for wave in waves}
    wave_of = wave_of_people(waves)
    people = list(
        Person.objects.filter(active=True).order_by("pk").values_list("pk", "employee_id")
    )
    files: list[dict[str, Any]] = []
    sent: list[dict[str, Any]] = []
    for pk, employee_id in people:
        wave = wave_of.get(pk)
        share = OUTSIDE if wave is None else ADOPTION[min(rank[wave], len(ADOPTION) - 1)]
        opened = start.get(wave) if wave is not None else None
        adopts_at = rng.random()  # the lower, the earlier (and the more) this person uses them
        habit = rng.uniform(0.25, 0.8)  # chance of using a tool on a working day, once adopted
        chosen = [j for j, (_name, reach, _mean) in enumerate(TOOLS) if rng.random() < reach]
        for day in days:
            ramp = 1.0 if opened is None else min(max((day - opened).days / RAMP_DAYS, 0), 1)
            if adopts_at >= share * ramp:
                continue
            working = day.weekday() < 5
            for j in chosen:
                name, _reach, mean = TOOLS[j]
                if rng.random() >= (habit if working else habit / 10):
                    continue
                row = {"employee_id": employee_id, "tool": name, "day": day}
                if mean:
                    sent.append({**row, "actions": int(rng.poisson(mean)) + 1})
                else:
                    files.append(row)
    written = 0
    for rows, source in ((files, UsageSource.FILE), (sent, UsageSource.API)):
        report = upsert_usage(rows, source=source, today=today)
        assert report.ok, report.problems[:3]
        written += report.created + report.updated
    users = len({row["employee_id"] for row in (*files, *sent)})
    return f"{written} days of use of {len(TOOLS)} AI tools by {users} people over {DAYS} days"
