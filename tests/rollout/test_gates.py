"""Readiness gates of a wave, measured live, and opening it: met gates open it; failing ones
need a written reason, kept in the wave's history with the gates as measured. From 50 staff,
the page shows the works council's gate on each system the wave deploys."""

import datetime

import pytest
from django.utils import formats, timezone, translation

from tests.governance.test_governance import big  # noqa: F401  (fixture: 50 staff)
from tests.learning.conftest import agree_plan, catalogue, framework  # noqa: F401  (fixtures)
from tremplin.assessments.models import Source
from tremplin.assessments.services import record_ratings
from tremplin.engagement.ambassador_models import Ambassador
from tremplin.governance.models import (
    Acknowledgement,
    AISystem,
    Charter,
    CouncilEvent,
    EventKind,
    Opinion,
    SystemStatus,
)
from tremplin.learning.models import Module, ModuleFormat, PlanItem, TrainingSession
from tremplin.people.models import OrgUnit
from tremplin.rollout.gates import GateError, measure, open_wave, set_gates
from tremplin.rollout.models import Wave, WaveEvent
from tremplin.skills.models import Competence, Tier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The messages below are read in English (the installation's language is French)."""
    with translation.override("en"):
        yield


@pytest.fixture
def wave(org):
    """The sales department: its director, the team lead and two sellers."""
    wave = Wave.objects.create(name="Vague 1", starts_on=timezone.localdate())
    wave.units.set([OrgUnit.objects.get(code="COM")])
    return wave


def _tier1(framework, person, level):  # noqa: F811
    competences = Competence.objects.filter(framework=framework, tier=Tier.LITERACY)
    record_ratings(person=person, levels=dict.fromkeys(competences, level),
                   source=Source.SELF, assessor=person)  # fmt: skip


def test_gates_measured_on_the_wave_and_opening_refused_without_a_reason(
    org,
    wave,
    framework,  # noqa: F811
):
    set_gates(wave, {"assessed": 50, "literacy": 50}, org.users["lead"])
    assessed, literacy = measure(wave)
    assert (assessed.count, assessed.of, assessed.met) == (0, 4, False)
    _tier1(framework, org.people["seller_a"], 2)
    _tier1(framework, org.people["seller_b"], 0)  # assessed, not at level 1
    assessed, literacy = measure(wave)
    assert (assessed.count, assessed.value, assessed.met) == (2, 50.0, True)
    assert (literacy.count, literacy.met) == (1, False)
    with pytest.raises(GateError, match="Give the reason"):
        open_wave(wave, org.users["lead"], "  ")
    assert Wave.objects.get(pk=wave.pk).opened_at is None
    opened = open_wave(wave, org.users["lead"], "Les sessions commencent lundi.")
    assert opened.opened_at is not None and opened.override_reason.startswith("Les sessions")
    event = WaveEvent.objects.get(wave=wave, kind="override")
    assert event.details["reason"] == "Les sessions commencent lundi."
    assert [g["met"] for g in event.details["gates"]] == [True, False]
    with pytest.raises(GateError, match="open already"):
        open_wave(wave, org.users["lead"], "again")


def test_met_gates_open_the_wave_without_a_reason(org, wave, framework):  # noqa: F811
    set_gates(wave, {"literacy": 25}, org.users["lead"])
    _tier1(framework, org.people["seller_a"], 1)
    opened = open_wave(wave, org.users["lead"])
    assert opened.override_reason == ""
    assert WaveEvent.objects.filter(wave=wave).values_list("kind", flat=True).last() == "opened"


def test_the_sessions_gate_counts_seats_for_those_whose_plan_needs_one(org, wave, catalogue):  # noqa: F811
    plan = agree_plan(org.people["seller_a"], org.people["sales_director"])
    item = plan.items.order_by("position").first()
    Module.objects.filter(pk=item.module_id).update(format=ModuleFormat.WORKSHOP)
    PlanItem.objects.filter(plan=plan).exclude(pk=item.pk).update(status="done")
    set_gates(wave, {"sessions": 100}, org.users["lead"])
    (gate,) = measure(wave)
    assert (gate.count, gate.of, gate.met) == (0, 1, False)
    TrainingSession.objects.create(
        module=item.module, starts_at=timezone.now() + datetime.timedelta(days=3),
        duration_hours=3, capacity=1, language="fr", place="Lyon", provider="P",
    )  # fmt: skip
    (gate,) = measure(wave)
    assert (gate.count, gate.of, gate.met) == (1, 1, True)


def test_the_readiness_page_sets_gates_and_opens_with_a_reason(client, org, wave):
    client.force_login(org.users["lead"])
    url = f"/rollout/waves/{wave.pk}/readiness/"
    client.post(url, {"action": "gates", "gate_assessed": "on", "threshold_assessed": "90",
                      "threshold_literacy": "999"})  # fmt: skip
    assert Wave.objects.get(pk=wave.pk).gates == {"assessed": 90}
    page = client.post(url, {"action": "open"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Give the reason" in page.content.decode()
    client.post(url, {"action": "open", "reason": "Pilot feedback is good"})
    assert Wave.objects.get(pk=wave.pk).override_reason == "Pilot feedback is good"
    client.force_login(org.users["manager"])
    assert client.get(url).status_code == 403


def test_the_readiness_page_shows_the_council_s_gate_on_each_system_the_wave_deploys(
    client,
    org,
    wave,
    big,  # noqa: F811
):
    system = AISystem.objects.create(name="Copilote", status=SystemStatus.APPROVED)
    system.waves.add(wave)
    client.force_login(org.users["lead"])
    url = f"/rollout/waves/{wave.pk}/readiness/"

    def page() -> str:
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    shown = page()
    assert "no consultation logged" in shown and "<strong>blocked</strong>" in shown
    assert 'name="reason"' in shown  # the gate is not met: opening needs a reason
    consultation = CouncilEvent.objects.create(
        kind=EventKind.CONSULTATION, subject="Déploiement du copilote",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )  # fmt: skip
    consultation.systems.add(system)
    shown = page()
    deadline = formats.date_format(consultation.deadline, "SHORT_DATE_FORMAT")
    assert f'href="/governance/council/{consultation.pk}/">Déploiement du copilote' in shown
    assert f"no opinion yet, deadline {deadline}" in shown
    assert "<strong>blocked</strong>" in shown and 'href="/governance/council/"' in shown
    consultation.opinion, consultation.opinion_on = Opinion.FAVOURABLE, timezone.localdate()
    consultation.save()
    shown = page()
    assert "Favourable (" in shown and "<td>passed</td>" in shown
    assert "blocked" not in shown and 'name="reason"' not in shown
    client.post(url, {"action": "open"})  # every gate met: no reason needed
    assert Wave.objects.get(pk=wave.pk).opened_at is not None


def test_under_fifty_staff_the_readiness_page_says_the_council_s_gate_does_not_apply(
    client, org, wave
):
    AISystem.objects.create(name="Copilote", status=SystemStatus.APPROVED).waves.add(wave)
    client.force_login(org.users["lead"])
    shown = client.get(f"/rollout/waves/{wave.pk}/readiness/", HTTP_ACCEPT_LANGUAGE="en")
    text = shown.content.decode()
    assert "Under 50 active staff" in text and "this gate does not apply" in text
    assert "blocked" not in text


def test_the_ambassador_and_charter_gates_are_measured_on_the_wave(client, org, wave):
    wave.units.add(OrgUnit.objects.get(code="FIN"))  # sales and finance: 7 people, 2 teams
    serving = Ambassador.objects.create(person=org.people["accountant"], status="active")
    serving.teams.set([OrgUnit.objects.get(code="FIN")])
    Ambassador.objects.create(person=org.people["seller_a"]).teams.set(
        [OrgUnit.objects.get(code="COM")]
    )  # only proposed: covers nobody yet
    old = Charter.objects.create(version=1, title_fr="C", title_en="C", body_fr="T",
                                 body_en="T", published_on=timezone.localdate())  # fmt: skip
    Acknowledgement.objects.create(charter=old, person=org.people["seller_a"])
    client.force_login(org.users["lead"])
    url = f"/rollout/waves/{wave.pk}/readiness/"
    client.post(url, {"action": "gates", "gate_ambassadors": "on", "threshold_ambassadors": "100",
                      "gate_charter": "on", "threshold_charter": "50"})  # fmt: skip
    assert Wave.objects.get(pk=wave.pk).gates == {"ambassadors": 100, "charter": 50}
    ambassadors, charter = measure(Wave.objects.get(pk=wave.pk))
    assert (ambassadors.count, ambassadors.of, ambassadors.met) == (1, 2, False)
    assert (charter.count, charter.of, charter.met) == (1, 7, False)
    serving.teams.set([OrgUnit.objects.get(code="DG")])  # the unit above both
    current = Charter.objects.create(version=2, title_fr="C", title_en="C", body_fr="T",
                                     body_en="T", published_on=timezone.localdate())  # fmt: skip
    for key in ("seller_b", "team_lead", "sales_director", "controller"):
        Acknowledgement.objects.create(charter=current, person=org.people[key])
    ambassadors, charter = measure(Wave.objects.get(pk=wave.pk))
    assert (ambassadors.count, ambassadors.of, ambassadors.met) == (2, 2, True)
    assert (charter.count, charter.of, charter.met) == (4, 7, True)  # the current version only
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Share of the wave&#x27;s teams an ambassador covers" in page
    assert "57 % (4 / 7)" in page and "measured once" not in page
