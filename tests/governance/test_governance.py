"""Governance: the charter published, acknowledged (never before publication) and reminded to
those who have not; the register refusing a high-risk system without its area and taking in
shadow uses only as counts; the works council's opinion gating a wave that deploys a system
in a company of 50 or more, an override logged where the council reads it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import formats, timezone

from tests.voice.surveying import open_survey
from tremplin.governance import services
from tremplin.governance.models import AISystem, Charter, CouncilEvent, EventKind, SystemStatus
from tremplin.notifications.events import stale
from tremplin.notifications.models import Message
from tremplin.people.models import Person
from tremplin.rollout.gates import GateError, open_wave
from tremplin.rollout.models import Wave
from tremplin.voice.services import answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = datetime.date.today


def _charter(version=1, published=None):
    return Charter.objects.create(
        version=version,
        title_fr="Charte",
        title_en="Charter",
        body_fr="Texte",
        body_en="Text",
        published_on=published,
    )


def test_a_charter_is_acknowledged_once_published_and_reminded_to_those_who_have_not(client, org):
    draft = _charter()
    with pytest.raises(services.GovernanceError, match="not published"):
        services.acknowledge(draft, org.people["seller_a"])
    with pytest.raises(services.GovernanceError, match="not in the past"):
        services.publish(draft, timezone.localdate() - datetime.timedelta(days=1))
    for p in Person.objects.all():
        p.email = f"{p.employee_id.lower()}@example.com"
        p.save(update_fields=["email"])
    assert services.publish(draft, timezone.localdate()) == Person.objects.count()
    with pytest.raises(services.GovernanceError, match="published already"):
        services.publish(draft, timezone.localdate())
    client.force_login(org.users["employee"])
    assert "acknowledge the AI usage charter" in client.get("/").content.decode()
    client.post("/governance/charter/", {"charter": draft.pk})
    client.post("/governance/charter/", {"charter": draft.pk})  # twice: still one
    assert draft.acknowledgements.get().person == org.people["seller_a"]
    assert "acknowledge the AI usage charter" not in client.get("/").content.decode()
    invitation = Message.objects.filter(
        kind="charter_to_acknowledge", person=org.people["seller_a"]
    ).get()
    assert stale(invitation) == "charter acknowledged"
    client.force_login(org.users["lead"])
    page = client.get("/governance/charter/").content.decode()
    assert f"{Person.objects.count() - 1} people have not acknowledged" in page
    client.post("/governance/charter/action/", {"action": "remind", "charter": draft.pk})
    reminded = set(Message.objects.filter(kind="charter_reminder").values_list("person", flat=True))
    assert org.people["seller_a"].pk not in reminded and len(reminded) == Person.objects.count() - 1


def test_the_lead_writes_versions_others_cannot(client, org):
    client.force_login(org.users["manager"])
    data = {"action": "new", "title_fr": "C", "title_en": "C", "body_fr": "T", "body_en": "T"}
    assert client.post("/governance/charter/action/", data).status_code == 403
    client.force_login(org.users["lead"])
    client.post("/governance/charter/action/", data)
    client.post("/governance/charter/action/", data)
    assert list(Charter.objects.order_by("version").values_list("version", flat=True)) == [1, 2]


def test_the_register_refuses_what_is_incomplete_and_is_not_the_employees(client, org):
    client.force_login(org.users["employee"])
    assert client.get("/governance/systems/").status_code == 403
    client.force_login(org.users["cse"])
    assert client.get("/governance/systems/").status_code == 200
    assert client.post("/governance/systems/new/", {"name": "X"}).status_code == 403
    client.force_login(org.users["lead"])
    data = {
        "name": "Tri des CV",
        "status": "forbidden",
        "role": "deployer",
        "category": "high_risk",
        "annex_area": "",
    }
    page = client.post("/governance/systems/new/", data).content.decode()
    assert "names its Annex III area" in page and not AISystem.objects.exists()
    page = client.post(
        "/governance/systems/new/", data | {"annex_area": "employment", "supervisors": [99999]}
    ).content.decode()
    assert "Select a valid choice" in page and not AISystem.objects.exists()
    client.post(
        "/governance/systems/new/",
        data | {"annex_area": "employment", "supervisors": [org.people["hr"].pk]},
    )
    assert AISystem.objects.get().supervisors.get() == org.people["hr"]


def test_shadow_uses_enter_the_register_only_as_counts_of_five_or_more(org):
    survey = open_survey("shadow_ai", anonymity="anonymous")
    people = list(Person.objects.order_by("pk"))
    for i, person in enumerate(people):
        answer(
            survey,
            person,
            {
                "uses_unofficial": "yes_often",
                "which_tools": ["chatbot"] + (["image"] if i < 3 else []),
                "used_for": ["writing"],
                "data_shared": ["public_only"],
                "why_not_official": "access",
            },
        )
    found = services.discover(survey)
    assert [(s.status, s.reported_by) for s in found] == [(SystemStatus.DISCOVERED, len(people))]
    assert "image" not in found[0].name.lower() and AISystem.objects.count() == 1
    with pytest.raises(services.GovernanceError):
        services.discover(open_survey("trust_pulse"))


@pytest.fixture
def big(org):
    """Enough staff for a works council: 50 people."""
    unit = org.people["seller_a"].org_unit
    Person.objects.bulk_create(
        [
            Person(employee_id=f"X{i}", first_name="X", last_name=str(i), org_unit=unit)
            for i in range(50 - Person.objects.count())
        ]
    )


def test_a_wave_deploying_a_system_waits_for_the_council_s_opinion(client, org, big):
    wave = Wave.objects.create(name="Vague 1", starts_on=TODAY())
    system = AISystem.objects.create(name="Copilote", status=SystemStatus.APPROVED)
    system.waves.add(wave)
    with pytest.raises(GateError, match="opinion on Copilote"):
        open_wave(wave, org.users["lead"])
    consultation = CouncilEvent.objects.create(
        kind=EventKind.CONSULTATION,
        subject="Copilote",
        deadline=TODAY() + datetime.timedelta(days=5),
    )
    consultation.systems.add(system)
    assert services.pending_opinions(wave) == [system]
    assert services.pending_opinions(wave, TODAY() + datetime.timedelta(days=6)) == []
    client.force_login(org.users["lead"])
    page = client.post(
        "/governance/council/",
        {
            "held_on": TODAY(),
            "kind": "consultation",
            "subject": "Avis",
            "opinion": "favourable",
            "opinion_on": TODAY() + datetime.timedelta(days=1),
        },
    ).content.decode()
    assert "not ahead" in page
    page = client.post(
        f"/governance/council/{consultation.pk}/",
        {
            "held_on": TODAY(),
            "kind": "consultation",
            "subject": "Copilote",
            "systems": [system.pk],
            "opinion": "favourable",
        },
    ).content.decode()
    assert "Give the date of the opinion" in page
    client.post(
        f"/governance/council/{consultation.pk}/",
        {
            "held_on": TODAY(),
            "kind": "consultation",
            "subject": "Copilote",
            "systems": [system.pk],
            "opinion": "favourable",
            "opinion_on": TODAY(),
        },
    )
    assert services.pending_opinions(wave) == []
    open_wave(wave, org.users["lead"])


def test_opening_before_the_opinion_needs_a_reason_shown_to_the_council(client, org, big):
    wave = Wave.objects.create(name="Vague 2", starts_on=TODAY())
    AISystem.objects.create(name="Copilote").waves.add(wave)
    open_wave(wave, org.users["lead"], reason="Contrat signé, formation déjà planifiée")
    override = CouncilEvent.objects.get(kind=EventKind.OVERRIDE)
    assert override.wave == wave and "Copilote" in override.subject
    client.force_login(org.users["cse"])
    page = client.get("/governance/council/").content.decode()
    assert "Contrat signé" in page and "Vague 2 opened before the opinion" in page
    assert client.post("/governance/council/", {"subject": "x"}).status_code == 403


def test_a_small_company_does_not_wait_for_a_council(org):
    wave = Wave.objects.create(name="Vague 1", starts_on=TODAY())
    AISystem.objects.create(name="Copilote").waves.add(wave)
    open_wave(wave, org.users["lead"])
    assert not CouncilEvent.objects.exists()


def test_the_observatory_is_written_by_the_lead_and_read_by_the_council(client, org):
    from tremplin.governance.models import JobImpact
    from tremplin.skills.models import Competence
    from tremplin.skills.services import load_default_framework

    load_default_framework()
    prompt = Competence.objects.get(framework__is_active=True, code="T2-PROMPT")
    family = org.people["seller_a"].job_family
    url = f"/governance/observatory/{family.pk}/"
    client.force_login(org.users["cse"])
    assert client.get(url).status_code == 403
    client.force_login(org.users["lead"])
    data = {"tasks": "Relances clients", "evolution": "modified", "training": "Atelier"}
    page = client.post(url, data | {"critical": [prompt.pk], "declining": [prompt.pk]})
    assert "both critical and less important" in page.content.decode()
    assert not JobImpact.objects.exists()
    client.post(url, data | {"critical": [prompt.pk]})
    assert JobImpact.objects.get().critical.get() == prompt
    client.force_login(org.users["cse"])
    assert "Relances clients" in client.get("/governance/observatory/").content.decode()
    client.force_login(org.users["employee"])
    assert client.get("/governance/observatory/").status_code == 403


def test_a_new_version_refused_comes_back_open_with_what_was_typed_and_the_error_at_its_field(
    client, org
):
    _charter(published=TODAY())
    client.force_login(org.users["lead"])
    data = {"action": "new", "title_fr": "Charte révisée", "title_en": "Charter",
            "body_fr": "Le nouveau texte", "body_en": "  "}  # fmt: skip
    response = client.post("/governance/charter/action/", data)
    page = response.content.decode()
    assert response.status_code == 200 and Charter.objects.count() == 1
    assert "<details open>" in page
    assert 'value="Charte révisée"' in page and "Le nouveau texte</textarea>" in page
    english = re.search(r"Text \(English\)<textarea[^>]*>\s*</textarea>(.*?)</label>", page, re.S)
    assert english and "This field is required." in english.group(1)
    assert page.count("This field is required.") == 1  # not also at the top of the page


def test_the_council_log_refuses_a_deadline_or_an_opinion_dated_before_the_meeting(client, org):
    client.force_login(org.users["lead"])
    meeting = TODAY() - datetime.timedelta(days=10)
    data = {"held_on": meeting, "kind": "consultation", "subject": "Copilote",
            "deadline": meeting - datetime.timedelta(days=1), "opinion": "favourable",
            "opinion_on": meeting - datetime.timedelta(days=2)}  # fmt: skip
    page = client.post("/governance/council/", data).content.decode()
    shown = formats.date_format(meeting, "SHORT_DATE_FORMAT")

    def error_at(label: str) -> str:
        found = re.search(rf"{label}<input[^>]*>(.*?)</label>", page, re.S)
        return found.group(1) if found else ""

    assert f"cannot come before the meeting: give {shown} or a later date" in error_at(
        "Deadline for the opinion"
    )
    assert f"cannot be given before the meeting: give {shown} or a later date" in error_at(
        "Opinion given on"
    )
    assert not CouncilEvent.objects.exists()
    client.post("/governance/council/", data | {"deadline": meeting, "opinion_on": meeting})
    assert CouncilEvent.objects.get().deadline == meeting


def test_an_override_on_systems_with_long_names_fits_the_council_log(org, big):
    """The subject names the wave and every system waiting for the opinion: two systems named
    in 200 characters overflowed its column (a 500 on PostgreSQL when opening the wave)."""
    wave = Wave.objects.create(name="V" * 120, starts_on=TODAY())
    for letter in "AB":
        AISystem.objects.create(name=letter * 200).waves.add(wave)
    open_wave(wave, org.users["lead"], reason="Contrat signé")
    override = CouncilEvent.objects.get(kind=EventKind.OVERRIDE)
    assert len(override.subject) == 300 and override.subject.startswith("V" * 120)
