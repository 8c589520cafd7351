"""The programme's roadmap: loaded from shipped bilingual data, each step followed by the
programme lead, approved by the executive sponsor (the approval keeps the steps as they
stood), and the timeline of phases, waves and sessions."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tremplin.learning.models import TrainingSession
from tremplin.people.models import Person
from tremplin.rollout.models import RoadmapApproval, RoadmapStep, Wave

DEFAULT = Path(__file__).resolve().parent.parent / "data" / "roadmap" / "default.json"


def load_default_roadmap() -> int:
    """The shipped steps, added where missing (a step already there keeps what was written in
    it). Returns how many were added."""
    data = json.loads(DEFAULT.read_text(encoding="utf-8"))
    known = set(RoadmapStep.objects.values_list("code", flat=True))
    order = 0
    added = []
    for phase in data["phases"]:
        for step in phase["steps"]:
            order += 1
            if step["code"] in known:
                continue
            added.append(RoadmapStep(
                phase=phase["code"], phase_fr=phase["fr"], phase_en=phase["en"],
                code=step["code"], order=order, title_fr=step["fr"], title_en=step["en"],
            ))  # fmt: skip
    RoadmapStep.objects.bulk_create(added)
    return len(added)


def _state(step: RoadmapStep) -> dict[str, object]:
    return {"code": step.code, "status": step.status, "owner": step.owner_id,
            "due_on": step.due_on.isoformat() if step.due_on else None}  # fmt: skip


def approve(by: Person | None, note: str) -> RoadmapApproval:
    with transaction.atomic():
        steps = [_state(s) for s in RoadmapStep.objects.select_for_update()]
        return RoadmapApproval.objects.create(by=by, note=note.strip(), steps=steps)


def changed_since_approval(
    approval: RoadmapApproval | None, steps: Iterable[RoadmapStep] | None = None
) -> list[str]:
    """Codes of the steps (all of them unless given) whose owner, due date or status moved
    since the approval, or that were added after it."""
    if approval is None:
        return []
    then = {s["code"]: s for s in approval.steps}
    steps = RoadmapStep.objects.all() if steps is None else steps
    return [s.code for s in steps if then.get(s.code) != _state(s)]


@dataclass
class Month:
    first: datetime.date
    steps: list[RoadmapStep] = field(default_factory=list)
    waves: list[Wave] = field(default_factory=list)
    sessions: list[TrainingSession] = field(default_factory=list)


def timeline(months: int = 12) -> list[Month]:
    """From the earliest of this month and the first dated item, `months` months: the steps
    due, the waves starting and the sessions held in each."""
    today = timezone.localdate().replace(day=1)
    dated = [d for d in RoadmapStep.objects.values_list("due_on", flat=True) if d is not None]
    dated += [d for d in Wave.objects.values_list("starts_on", flat=True) if d is not None]
    start = min([today, *dated]).replace(day=1)
    start = max(start, today.replace(year=today.year - 1))  # at most a year back
    firsts = []
    for k in range(months + 1):
        year, month = divmod(start.month - 1 + k, 12)
        firsts.append(datetime.date(start.year + year, month + 1, 1))
    end = firsts.pop()  # the first day after the timeline
    found = {m: Month(m) for m in firsts}
    for step in RoadmapStep.objects.filter(due_on__gte=start, due_on__lt=end):
        assert step.due_on is not None
        found[step.due_on.replace(day=1)].steps.append(step)
    for wave in Wave.objects.filter(starts_on__gte=start, starts_on__lt=end):
        assert wave.starts_on is not None
        found[wave.starts_on.replace(day=1)].waves.append(wave)
    for session in TrainingSession.objects.filter(
        cancelled_at=None, starts_at__date__gte=start, starts_at__date__lt=end
    ).select_related("module"):
        found[timezone.localtime(session.starts_at).date().replace(day=1)].sessions.append(session)
    return list(found.values())
