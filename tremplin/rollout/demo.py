"""The demo company's pilot and waves, from `data/demo/recipe.json`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from tremplin.people.models import OrgUnit, Person, Role
from tremplin.rollout.models import (
    Communication,
    RoadmapApproval,
    RoadmapStep,
    StepStatus,
    Wave,
    WaveEvent,
)
from tremplin.rollout.roadmap import approve, load_default_roadmap


def build_waves(recipe: dict[str, Any], today: dt.date | None = None) -> list[Wave]:
    """The recipe's waves, each opened by the programme lead on its start date when that date
    has come (its history says so), as a company that uses Tremplin from the start has them."""
    today = today or timezone.localdate()
    units = {u.code: u for u in OrgUnit.objects.all()}
    lead = User.objects.filter(role_assignments__role=Role.LEAD).order_by("pk").first()
    waves = []
    for entry in recipe["waves"]:
        starts_on = today - dt.timedelta(days=entry["starts_days_ago"])
        wave, _ = Wave.objects.update_or_create(
            name=entry["name"], defaults={"pilot": entry["pilot"], "starts_on": starts_on}
        )
        wave.units.set([units[code] for code in entry["units"]])
        if wave.opened_at is None and starts_on <= today:
            _opened(wave, timezone.make_aware(dt.datetime.combine(starts_on, dt.time(9))), lead)
        waves.append(wave)
    return waves


def _opened(wave: Wave, at: dt.datetime, by: User | None) -> None:
    wave.opened_at, wave.opened_by = at, by
    wave.save(update_fields=["opened_at", "opened_by"])
    event = WaveEvent.objects.create(wave=wave, by=by, kind="opened", details={"gates": []})
    WaveEvent.objects.filter(pk=event.pk).update(at=at)


def build_roadmap(today: dt.date | None = None) -> int:
    """The shipped roadmap, under way: the first phases done or in progress, owned by the
    programme lead and dated, the dialogue's first steps done with their minutes, approved by
    the executive sponsor two months ago. Returns the number of steps done."""
    today = today or timezone.localdate()
    load_default_roadmap()
    lead = Person.objects.filter(user__role_assignments__role=Role.LEAD).first()
    sponsor = Person.objects.filter(user__role_assignments__role=Role.EXECUTIVE).first()
    steps = list(RoadmapStep.objects.all())
    for k, step in enumerate(steps):
        step.owner = lead
        step.due_on = today + dt.timedelta(days=30 * (k - 6))
        step.status = StepStatus.DONE if k < 5 else StepStatus.DOING if k < 8 else StepStatus.TODO
        if step.phase == "DIALOGUE" and step.code in ("DIALOGUE-GOALS", "DIALOGUE-FORUM"):
            step.status = StepStatus.DONE
            step.evidence = "Compte rendu de la réunion du CSE (intranet, dossier IA)"
    RoadmapStep.objects.bulk_update(steps, ["owner", "due_on", "status", "evidence"])
    approval = approve(sponsor, "Feuille de route validée en comité de direction.")
    RoadmapApproval.objects.filter(pk=approval.pk).update(at=timezone.now() - dt.timedelta(days=60))
    return sum(s.status == StepStatus.DONE for s in steps)


def build_communications(recipe: dict[str, Any]) -> int:
    """The demo's communication calendar from the recipe: an announcement sent last month,
    an invitation to the pilot's people whose e-mails go out in two days, then a managers'
    meeting, a success story and the results to come, owned by the programme lead."""
    from tremplin.rollout.communications import schedule_emails

    lead = Person.objects.filter(user__role_assignments__role=Role.LEAD).first()
    waves = {w.name: w for w in Wave.objects.all()}
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for entry in recipe["communications"]:
        fields = {k: entry[k] for k in ("audience", "kind", "channel", "title_fr", "title_en",
                                        "body_fr", "body_en")}  # fmt: skip
        communication = Communication.objects.create(
            wave=waves.get(entry["wave"] or ""), owner=lead,
            at=now + dt.timedelta(days=entry["days"]), **fields,
        )  # fmt: skip
        if entry["status"] == "scheduled":
            schedule_emails(communication)
        elif entry["status"] != "planned":
            communication.status = entry["status"]
            communication.save(update_fields=["status"])
    return len(recipe["communications"])
