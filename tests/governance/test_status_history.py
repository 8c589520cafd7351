"""The register's dated status history: written when a system is entered or its status
changes (by whom), shown on the system's page, begun for the systems already entered, and
read by the Article 4 dossier of a past day — the systems allowed that day, not today."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from tests.voice.surveying import open_survey
from tremplin.governance import literacy, services
from tremplin.governance.models import AISystem, StatusChange, SystemStatus
from tremplin.people.models import Person
from tremplin.voice.services import answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
SYSTEM = {"name": "Copilote", "role": "deployer", "category": "minimal", "annex_area": ""}


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _in_dossier(days_ago: int) -> list[str]:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return [row.name for row in literacy.build(day).systems]


def test_a_system_approved_then_forbidden_is_in_the_dossiers_of_the_days_it_was_allowed(
    client, org
):
    client.force_login(org.users["lead"])
    client.post("/governance/systems/new/", SYSTEM | {"status": "approved"})
    system = AISystem.objects.get()
    client.post(f"/governance/systems/{system.pk}/", SYSTEM | {"status": "approved",
                                                               "vendor": "Mistral"})  # fmt: skip
    client.post(f"/governance/systems/{system.pk}/", SYSTEM | {"status": "forbidden"})
    changes = list(system.status_changes.order_by("changed_at", "pk"))
    assert [(c.status, c.by) for c in changes] == [("approved", org.users["lead"]),
                                                   ("forbidden", org.users["lead"])]  # fmt: skip
    # Entered 60 days ago, forbidden 20 days ago.
    AISystem.objects.filter(pk=system.pk).update(created_at=_days_ago(60))
    StatusChange.objects.filter(pk=changes[0].pk).update(changed_at=_days_ago(60))
    StatusChange.objects.filter(pk=changes[1].pk).update(changed_at=_days_ago(20))
    assert _in_dossier(90) == []  # not entered yet
    assert _in_dossier(40) == ["Copilote"]  # approved then
    assert _in_dossier(0) == []  # forbidden since
    client.force_login(org.users["cse"])
    page = client.get(f"/governance/systems/{system.pk}/").content.decode()
    history = page[page.index("Status history") :]
    assert history.index("Forbidden") < history.index("Approved")  # latest first
    assert history.count(org.users["lead"].get_username()) == 2
    # A change nobody signed (entered by a task, or its author's account deleted) reads "—".
    StatusChange.objects.filter(pk=changes[0].pk).update(by=None)
    page = client.get(f"/governance/systems/{system.pk}/").content.decode()
    history = page[page.index("Status history") :]
    assert history.count(org.users["lead"].get_username()) == 1 and "<td>—</td>" in history


def test_a_system_allowed_after_the_day_is_not_in_that_day_s_dossier(org):
    system = AISystem(name="Transcription", status=SystemStatus.DISCOVERED,
                      created_at=_days_ago(50))  # fmt: skip
    services.save_system(system=system, by=None)
    assert system.reviewed_at is None
    system.status = SystemStatus.TOLERATED
    services.save_system(system=system, by=org.users["lead"])
    system.refresh_from_db()
    assert system.reviewed_at is not None  # leaving "discovered" marks it reviewed
    system.status_changes.filter(status=SystemStatus.TOLERATED).update(changed_at=_days_ago(10))
    assert _in_dossier(30) == [] and _in_dossier(5) == ["Transcription"]


def test_shadow_uses_discovered_are_entered_with_their_history(org):
    survey = open_survey("shadow_ai", anonymity="anonymous")
    for person in Person.objects.all():
        answer(survey, person, {"uses_unofficial": "yes_often", "which_tools": ["chatbot"],
                                "used_for": ["writing"], "data_shared": ["public_only"],
                                "why_not_official": "access"})  # fmt: skip
    (found,) = services.discover(survey, by=org.users["lead"])
    services.discover(survey)  # counted again: no new status
    assert list(found.status_changes.values_list("status", "by")) == [
        (SystemStatus.DISCOVERED, org.users["lead"].pk)
    ]


def test_the_history_begins_with_each_system_s_status_at_its_creation(org):
    entered = _days_ago(300)
    system = AISystem.objects.create(name="Ancien", status=SystemStatus.APPROVED)
    AISystem.objects.filter(pk=system.pk).update(created_at=entered)
    migration = importlib.import_module("tremplin.governance.migrations.0004_status_history_begun")
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # once only
    (change,) = system.status_changes.all()
    assert (change.status, change.changed_at, change.by) == ("approved", entered, None)
    assert _in_dossier(200) == ["Ancien"]


def test_only_the_lead_changes_a_status(client, org):
    system = AISystem(name="Copilote", status=SystemStatus.APPROVED)
    services.save_system(system=system, by=org.users["lead"])
    client.force_login(org.users["cse"])
    response = client.post(f"/governance/systems/{system.pk}/", SYSTEM | {"status": "forbidden"})
    assert response.status_code == 403
    assert list(system.status_changes.values_list("status", flat=True)) == ["approved"]
