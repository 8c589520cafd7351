"""The programme roadmap: the shipped steps in both languages, followed by the lead, approved
by the executive sponsor (what changed since is shown), read by the works council; the
timeline of steps, waves and sessions."""

import datetime

import pytest
from django.utils import timezone, translation

from tests.learning.conftest import catalogue, framework  # noqa: F401  (fixtures)
from tremplin.learning.models import Module, TrainingSession
from tremplin.rollout.models import RoadmapApproval, RoadmapStep, StepStatus, Wave
from tremplin.rollout.roadmap import changed_since_approval, load_default_roadmap, timeline

pytestmark = pytest.mark.django_db


def test_the_shipped_roadmap_has_the_five_phases_and_the_dialogue_in_both_languages(org):
    assert load_default_roadmap() == 22
    assert load_default_roadmap() == 0  # loaded again: nothing added, nothing overwritten
    phases = list(dict.fromkeys(RoadmapStep.objects.values_list("phase", flat=True)))
    assert phases == ["CULTURE", "MAPPING", "DEVELOP", "ENGAGE", "VALUE", "DIALOGUE"]
    assert RoadmapStep.objects.filter(phase="DIALOGUE").count() == 9
    step = RoadmapStep.objects.get(code="DIALOGUE-WORK")
    with translation.override("fr"):
        assert "risques professionnels" in step.title
    with translation.override("en"):
        assert "occupational-risk" in step.title


def test_the_lead_follows_a_step_and_the_sponsor_approves(client, org):
    load_default_roadmap()
    step = RoadmapStep.objects.get(code="MAPPING-CAMPAIGN")
    client.force_login(org.users["lead"])
    url = f"/rollout/roadmap/steps/{step.pk}/"
    bad = client.post(url, {"status": "doing", "owner_id": "NOBODY", "due_on": "2027-02-01"})
    assert bad.status_code == 200 and "NOBODY" in bad.content.decode()
    client.post(f"/rollout/roadmap/steps/{step.pk}/",
                {"status": "doing", "owner_id": org.people["hr"].employee_id,
                 "due_on": "2027-02-01", "evidence": "https://intranet/cr-cse.pdf"})  # fmt: skip
    step.refresh_from_db()
    assert step.status == StepStatus.DOING and step.owner == org.people["hr"]
    assert client.post("/rollout/roadmap/", {"action": "approve"}).status_code == 403
    client.force_login(org.users["cse"])  # reads it, cannot approve nor edit
    assert "intranet/cr-cse.pdf" in client.get("/rollout/roadmap/").content.decode()
    assert client.post("/rollout/roadmap/", {"action": "approve"}).status_code == 403
    assert client.get(f"/rollout/roadmap/steps/{step.pk}/").status_code == 403
    client.force_login(org.users["executive"])
    client.post("/rollout/roadmap/", {"action": "approve", "note": "Go"})
    approval = RoadmapApproval.objects.get()
    assert approval.by == org.people["ceo"] and approval.note == "Go"
    assert changed_since_approval(approval) == []
    RoadmapStep.objects.filter(pk=step.pk).update(status=StepStatus.DONE)
    assert changed_since_approval(approval) == ["MAPPING-CAMPAIGN"]
    page = client.get("/rollout/roadmap/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 step changed since." in page


def test_the_timeline_shows_steps_waves_and_sessions_by_month(org, catalogue):  # noqa: F811
    load_default_roadmap()
    today = timezone.localdate()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    RoadmapStep.objects.filter(code="CULTURE-GOALS").update(due_on=next_month)
    Wave.objects.create(name="Vague 1", starts_on=next_month + datetime.timedelta(days=3))
    TrainingSession.objects.create(
        module=Module.objects.first(), duration_hours=2, capacity=5, language="fr", place="L",
        provider="P", starts_at=timezone.make_aware(datetime.datetime.combine(
            next_month + datetime.timedelta(days=5), datetime.time(10))),
    )  # fmt: skip
    months = timeline()
    assert months[0].first == today.replace(day=1) and len(months) == 12
    month = next(m for m in months if m.first == next_month)
    assert [s.code for s in month.steps] == ["CULTURE-GOALS"]
    assert [w.name for w in month.waves] == ["Vague 1"] and len(month.sessions) == 1


def test_the_demo_roadmap_is_under_way_and_approved(org):
    from tremplin.rollout.demo import build_roadmap

    assert build_roadmap() == 7  # the first five in order, and the dialogue's first two
    approval = RoadmapApproval.objects.get()
    assert approval.by == org.people["ceo"] and changed_since_approval(approval) == []
    assert RoadmapStep.objects.filter(owner=org.people["hr"]).count() == 22
