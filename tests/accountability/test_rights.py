"""A person's data: exported whole (JSON, readable PDF) to themselves and to the officers;
erased as a pseudonym whose levels still count, identity and free text gone, never twice."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from tests.conftest import make_user
from tests.pdftext import pdf_text
from tests.voice.surveying import open_survey
from tremplin.accountability import rights
from tremplin.accountability.models import Action, AuditEntry, Erasure
from tremplin.assessments.models import (
    Campaign,
    CareerInterview,
    CurrentLevel,
    Draft,
    Rating,
    Source,
)
from tremplin.notifications.models import Message
from tremplin.people.models import Person, Role, RoleAssignment
from tremplin.skills.models import Competence
from tremplin.skills.services import load_default_framework
from tremplin.voice.services import answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
SECRET = "I would rather leave than use that chatbot"


def _history(org):
    load_default_framework()
    seller, manager = org.people["seller_a"], org.people["sales_director"]
    competence = Competence.objects.order_by("pk").first()
    Rating.objects.create(
        person=seller,
        competence=competence,
        level=3,
        source=Source.MANAGER,
        assessed_on=datetime.date(2026, 3, 1),
        assessor=manager,
        evidence_text="Built the prompt library",
    )
    Rating.objects.create(
        person=org.people["seller_b"],
        competence=competence,
        level=2,
        source=Source.MANAGER,
        assessed_on=datetime.date(2026, 3, 1),
        evidence_text="Someone else's evidence",
    )
    CareerInterview.objects.create(
        person=seller,
        manager=manager,
        held_on=datetime.date(2026, 4, 1),
        learned="Prompting",
        wishes=SECRET,
        priorities="Data",
    )
    Message.objects.create(
        person=seller,
        kind="survey_invitation",
        to="seller@example.com",
        subject="Survey",
        text="Dear Seller_A",
        due_at=timezone.now(),
    )
    seller.email = "seller@example.com"
    seller.save(update_fields=["email"])
    return seller, competence


def test_a_person_downloads_their_own_data_and_nobody_elses(client, org):
    seller, _competence = _history(org)
    named = open_survey("help_network", anonymity="named")  # a response with a UUID for id
    said = answer(named, seller, {"go_to": [org.people["seller_b"].pk], "help_others": "often",
                                  "ambassador": "maybe"})  # fmt: skip
    client.force_login(org.users["employee"])
    data = json.loads(client.get("/data-protection/mine.json").content)
    tables = {t["table"]: t["rows"] for t in data["tables"]}
    assert tables["people.Person"][0]["email"] == "seller@example.com"
    assert [r["evidence_text"] for r in tables["assessments.Rating"]] == [
        "Built the prompt library"
    ]
    assert tables["assessments.CareerInterview"][0]["wishes"] == SECRET
    assert tables["auth.User"][0]["username"] == "employee"
    assert "html" not in tables["notifications.Message"][0]
    assert [r["id"] for r in tables["voice.Response"]] == [str(said.pk)]
    assert "Someone else's evidence" not in json.dumps(data)
    assert client.get(f"/data-protection/people/{seller.pk}/export.json").status_code == 403
    assert client.get("/data-protection/mine.exe").status_code == 404
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.detail.startswith(f"personal-data-{seller.pk}")


def test_an_assessment_someone_else_is_still_writing_stays_out_of_the_own_download(client, org):
    """The manager's unsubmitted rating of the person is not in the person's own download
    (they do not see it in the application either); their own draft and a submitted one are;
    the officers' export has all three."""
    seller, manager = org.people["seller_a"], org.people["sales_director"]
    day = datetime.date(2026, 3, 1)
    campaign = Campaign.objects.create(name="Spring", opens_on=day, closes_on=day)
    autumn = Campaign.objects.create(name="Autumn", opens_on=day, closes_on=day)
    drafts = {
        "mine": Draft.objects.create(campaign=campaign, person=seller, assessor=seller,
                                     source=Source.SELF, levels={"A1": 2}),
        "pending": Draft.objects.create(campaign=campaign, person=seller, assessor=manager,
                                        source=Source.MANAGER, levels={"A1": 1},
                                        comment="Not convinced yet"),
        "sent": Draft.objects.create(campaign=autumn, person=seller, assessor=manager,
                                     source=Source.MANAGER, levels={"A1": 3},
                                     submitted_at=timezone.now()),
    }  # fmt: skip
    client.force_login(org.users["employee"])
    data = json.loads(client.get("/data-protection/mine.json").content)
    rows = next(t["rows"] for t in data["tables"] if t["table"] == "assessments.Draft")
    assert sorted(r["id"] for r in rows) == sorted([drafts["mine"].pk, drafts["sent"].pk])
    assert "Not convinced yet" not in json.dumps(data)
    assert "not yet submitted" in data["not_included"]
    assert "Not convinced yet" not in pdf_text(client.get("/data-protection/mine.pdf"))
    officer = rights.export(seller)
    rows = next(t["rows"] for t in officer["tables"] if t["table"] == "assessments.Draft")
    assert len(rows) == 3 and "not_included" not in officer


def test_the_readable_pdf_holds_every_table(client, org, tmp_path):
    pytest.importorskip("weasyprint")
    seller, _competence = _history(org)
    client.force_login(org.users["lead"])
    response = client.get(f"/data-protection/people/{seller.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    for expected in (
        "Personal data held by Tremplin",
        "Seller_A Test",
        "Built the prompt",
        SECRET[:20],
        "career interviews",
        "ratings",
    ):
        assert expected.lower() in " ".join(text.split()).lower(), expected


def test_erasure_keeps_the_levels_as_a_pseudonym_and_removes_identity_and_free_text(client, org):
    seller, competence = _history(org)
    levels_before = CurrentLevel.objects.filter(competence=competence).count()
    officer = make_user("dpo", None, Role.DATA_PROTECTION)
    client.force_login(org.users["lead"])
    client.get(f"/people/{seller.pk}/")  # a read, whose page path stays (no name in it)
    client.force_login(officer)
    page = client.get(f"/data-protection/people/{seller.pk}/").content.decode()
    assert "Career interviews" in page and "Export (JSON)" in page
    refused = client.post(
        f"/data-protection/people/{seller.pk}/",
        {"reason": "Request of 2026-11-30", "confirm": "WRONG"},
    )
    assert "not the person&#x27;s employee id" in refused.content.decode()
    assert not Erasure.objects.exists()
    client.post(
        f"/data-protection/people/{seller.pk}/",
        {"reason": "Request of 2026-11-30", "confirm": "SELLER_A"},
    )
    erasure = Erasure.objects.get()
    seller.refresh_from_db()
    assert (seller.first_name, seller.last_name, seller.email) == ("", erasure.pseudonym, "")
    assert seller.employee_id == erasure.pseudonym and not seller.active
    assert seller.full_name == erasure.pseudonym
    rating = Rating.objects.get(person=seller)
    assert (rating.level, rating.evidence_text) == (3, "")
    assert Rating.objects.get(person=org.people["seller_b"]).evidence_text
    interview = CareerInterview.objects.get(person=seller)
    assert (interview.learned, interview.wishes, interview.priorities) == ("", "", "")
    assert CurrentLevel.objects.filter(competence=competence).count() == levels_before
    assert not Message.objects.filter(person=seller).exists()
    assert not RoleAssignment.objects.filter(user=org.users["employee"]).exists()
    account = type(org.users["employee"]).objects.get(pk=org.users["employee"].pk)
    assert not account.is_active and account.username == erasure.pseudonym
    assert not account.check_password("pw-employee")
    assert SECRET not in json.dumps(rights.export(seller))
    assert "Seller_A" not in json.dumps(rights.export(seller))
    assert AuditEntry.objects.filter(action=Action.ERASE, person=seller, user=officer).exists()
    again = client.post(
        f"/data-protection/people/{seller.pk}/", {"reason": "again", "confirm": seller.employee_id}
    ).content.decode()
    assert "already erased on" in again and "Erase the data" not in again
    with pytest.raises(rights.ErasureError, match="already erased"):
        rights.erase(seller, officer, "twice")
    assert Erasure.objects.count() == 1


def test_nobody_erases_themselves_and_a_reason_is_required(org):
    with pytest.raises(rights.ErasureError, match="data-protection officer"):
        rights.erase(org.people["hr"], org.users["lead"], "mine")
    with pytest.raises(rights.ErasureError, match="Say why"):
        rights.erase(org.people["seller_b"], org.users["lead"], "  ")
    assert Person.objects.filter(first_name="Seller_B").exists()


def test_only_the_officers_reach_a_persons_data_page(client, org):
    target = org.people["seller_b"]
    for who in ("manager", "employee", "cse", "executive", "ambassador"):
        client.force_login(org.users[who])
        assert client.get(f"/data-protection/people/{target.pk}/").status_code == 403, who
        assert (
            client.post(
                f"/data-protection/people/{target.pk}/", {"reason": "x", "confirm": "SELLER_B"}
            ).status_code
            == 403
        ), who
    assert not Erasure.objects.exists()


def test_a_json_value_reads_in_one_order_on_any_database():
    """PostgreSQL gives a JSON object's keys back shortest first: the readable export sorts
    them, so a draft's levels read the same from either database."""
    assert rights._structure({"T1-PROMPT": 3, "T1-AI": 2}) == "T1-AI: 2, T1-PROMPT: 3"
    assert (
        rights._structure({"b": [1], "a": {"d": 1, "c": 2}}) == '{"a": {"c": 2, "d": 1}, "b": [1]}'
    )
