"""The risk self-diagnostic: answered only with management, staff and representatives named,
completed only once held, each answer that signals a risk proposing a risk line the lead
accepts with a known owner; the register frozen into versions of the occupational risk
assessment that are never changed nor deleted, exported as XLSX and CSV that read back (no
cell run as a formula); read by the sponsor, the council and the unit's managers, written by
the lead only."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.db.models import ProtectedError
from django.utils import timezone
from openpyxl import load_workbook

from tremplin.governance.models import AISystem, SystemStatus
from tremplin.people.models import OrgUnit
from tremplin.risks import services
from tremplin.risks.models import (
    Diagnostic,
    DiagnosticStatus,
    DuerpVersion,
    LineStatus,
    Party,
    RiskLine,
    VersionsAreKept,
)
from tremplin.risks.questionnaire import DIMENSIONS, parse, questionnaire

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = timezone.localdate
SIGNALS = {"responsibility_check": 4, "know_how_loss": 3, "surveillance_activity": 3}


@pytest.fixture
def system(db):
    return AISystem.objects.create(name="Writing assistant", status=SystemStatus.APPROVED)


def _start(org, system, unit="COM", parties=Party.values, held_on=None):
    found = services.start(system=system, unit=OrgUnit.objects.get(code=unit),
                           held_on=held_on or TODAY(), by=org.users["lead"])  # fmt: skip
    people = {Party.MANAGEMENT: "sales_director", Party.STAFF: "seller_a",
              Party.REPRESENTATIVES: "controller"}  # fmt: skip
    for party in parties:
        services.add_participant(diagnostic=found, person=org.people[people[party]], party=party)
    return found


def _all_answers(**marked):
    return {s.key: marked.get(s.key, 1) for s in questionnaire().statements}


def _completed(org, system, unit="COM"):
    found = _start(org, system, unit)
    services.record(diagnostic=found, answers=_all_answers(**SIGNALS))
    services.complete(diagnostic=found)
    return found


def _in_register(found, owner):
    for line in found.lines.all():
        services.accept(line=line, owner=owner, due_on=TODAY() + datetime.timedelta(days=60))


def test_the_questionnaire_ships_six_dimensions_of_four_statements_in_both_languages():
    asked = questionnaire()
    assert tuple(asked.keys()) == DIMENSIONS
    assert all(len(d.statements) == 4 for d in asked.dimensions)
    for s in asked.statements:
        for text in (s.text, s.hazard, s.action):
            assert text.fr.strip() and text.en.strip() and text.fr != text.en
        assert 1 <= s.severity <= 4
    assert [v for v, _label in asked.scale] == [1, 2, 3, 4]
    with pytest.raises(ValueError, match="scale: the points"):
        parse({"version": 1, "prompt": {"fr": "x"}, "scale": [], "dimensions": []})
    scale = [{"value": v, "fr": str(v), "en": str(v)} for v in (1, 2, 3, 4)]
    with pytest.raises(ValueError, match="relations: a French and an English text"):
        parse(
            {
                "version": 1,
                "prompt": {},
                "scale": scale,
                "dimensions": [{"key": "relations", "fr": "Relations", "statements": []}],
            }
        )


def test_a_diagnostic_is_not_answered_without_the_three_parties(client, org, system):
    found = _start(org, system, parties=[Party.MANAGEMENT, Party.STAFF])
    with pytest.raises(services.RiskError, match="staff representatives"):
        services.record(diagnostic=found, answers={"autonomy_pace": 2})
    found.answers = _all_answers()  # answered behind the rules' back: still not completed
    found.save()
    with pytest.raises(services.RiskError, match="answer together"):
        services.complete(diagnostic=found)
    client.force_login(org.users["lead"])
    page = client.get(f"/risks/{found.pk}/").content.decode()
    assert "name at least one participant for staff representatives" in page
    assert 'name="s-autonomy_pace"' not in page  # the questionnaire stays closed
    response = client.post(f"/risks/{found.pk}/", {"action": "complete", **{
        f"s-{k}": v for k, v in _all_answers().items()}}, follow=True)  # fmt: skip
    assert "answer together" in response.content.decode()
    found.refresh_from_db()
    assert found.status == DiagnosticStatus.DRAFT and not found.lines.exists()


def test_a_participant_is_an_active_person_named_once(client, org, system):
    found = _start(org, system, parties=[])
    client.force_login(org.users["lead"])
    page = client.post(f"/risks/{found.pk}/", {"action": "add", "party": "staff",
                                               "employee_id": "NOBODY"}, follow=True)  # fmt: skip
    assert "Unknown participant: no active person has the employee id “NOBODY”" in (
        page.content.decode()
    )
    client.post(f"/risks/{found.pk}/", {"action": "add", "party": "staff",
                                        "employee_id": "SELLER_A"})  # fmt: skip
    page = client.post(f"/risks/{found.pk}/", {"action": "add", "party": "management",
                                               "employee_id": "SELLER_A"}, follow=True)  # fmt: skip
    assert "takes part already" in page.content.decode()
    assert list(found.participants.values_list("party", flat=True)) == ["staff"]


def test_a_completed_diagnostic_is_held_today_or_before(client, org, system):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    found = _start(org, system, held_on=tomorrow)  # planned ahead: fine as a draft
    services.record(diagnostic=found, answers=_all_answers())
    with pytest.raises(services.RiskError, match="in the future"):
        services.complete(diagnostic=found)
    client.force_login(org.users["lead"])
    form = {"action": "complete", "held_on": tomorrow.isoformat(),
            **{f"s-{k}": v for k, v in _all_answers().items()}}  # fmt: skip
    page = client.post(f"/risks/{found.pk}/", form, follow=True).content.decode()
    assert "is in the future" in page
    found.refresh_from_db()
    assert found.is_draft
    form["held_on"] = TODAY().isoformat()
    client.post(f"/risks/{found.pk}/", form)
    found.refresh_from_db()
    assert found.status == DiagnosticStatus.COMPLETED and found.completed_at is not None


def test_completing_needs_every_answer_and_refuses_values_off_the_scale(client, org, system):
    found = _start(org, system)
    answers = _all_answers()
    answers.pop("autonomy_pace")
    services.record(diagnostic=found, answers=answers)
    with pytest.raises(services.RiskError, match="1 statement is not answered"):
        services.complete(diagnostic=found)
    client.force_login(org.users["lead"])
    page = client.post(f"/risks/{found.pk}/", {"action": "save", "s-autonomy_pace": "9"},
                       follow=True).content.decode()  # fmt: skip
    assert "answer from 1 (not at all) to 4 (strongly)" in page
    with pytest.raises(services.RiskError, match="not a statement"):
        services.record(diagnostic=found, answers={"made_up": 2})
    assert "autonomy_pace" not in Diagnostic.objects.get(pk=found.pk).answers


def test_each_answer_that_signals_a_risk_proposes_a_line_and_the_scores_show_it(
    client, org, system
):
    found = _completed(org, system)
    lines = {ln.statement: ln for ln in found.lines.all()}
    assert set(lines) == set(SIGNALS)
    check = lines["responsibility_check"]
    assert (check.severity, check.likelihood, check.criticity, check.priority) == (3, 4, 12, "high")
    assert check.status == LineStatus.PROPOSED and check.unit.code == "COM"
    assert check.hazard == questionnaire().statement("responsibility_check").hazard.fr  # French
    client.force_login(org.users["lead"])
    page = client.get(f"/risks/{found.pk}/").content.decode()
    assert page.count(">point of vigilance<") == 3  # a signal in each of three dimensions
    assert "Make clear who validates, who corrects" in page  # the dimension's vigilance note
    assert "People must approve outputs without the time" in page  # the statement signalled
    with pytest.raises(services.RiskError, match="completed"):
        services.add_participant(diagnostic=found, person=org.people["seller_b"], party="staff")
    with pytest.raises(services.RiskError, match="completed"):
        services.record(diagnostic=found, answers={"autonomy_pace": 4})
    with pytest.raises(services.RiskError, match="completed"):
        services.delete_draft(diagnostic=found)
    with pytest.raises(ProtectedError):  # its lines keep it, whatever the path
        found.delete()


def test_the_lead_accepts_a_line_with_a_known_owner_and_a_due_date(client, org, system):
    found = _completed(org, system)
    line = found.lines.get(statement="know_how_loss")
    client.force_login(org.users["lead"])
    form = {"action": "accept", "hazard": "Loss of know-how", "severity": 3, "likelihood": 2,
            "existing_measures": "", "actions": "Practise without the tool",
            "owner_id": "GHOST-42", "due_on": "2031-01-31"}  # fmt: skip
    page = client.post(f"/risks/lines/{line.pk}/", form).content.decode()
    assert "Unknown owner: no active person has the employee id “GHOST-42”" in page
    assert RiskLine.objects.get(pk=line.pk).status == LineStatus.PROPOSED
    form["owner_id"] = ""
    page = client.post(f"/risks/lines/{line.pk}/", form).content.decode()
    assert "A line in the register has an owner." in page
    org.people["seller_b"].active = False
    org.people["seller_b"].save()
    form["owner_id"] = "SELLER_B"  # known, but gone
    assert "Unknown owner" in client.post(f"/risks/lines/{line.pk}/", form).content.decode()
    form["owner_id"] = "TEAM_LEAD"
    assert client.post(f"/risks/lines/{line.pk}/", form).status_code == 302
    line.refresh_from_db()
    assert (line.status, line.owner, line.due_on, line.criticity) == (
        LineStatus.OPEN,
        org.people["team_lead"],
        datetime.date(2031, 1, 31),
        6,
    )
    client.post(f"/risks/lines/{line.pk}/", {**form, "action": "done"})
    assert RiskLine.objects.get(pk=line.pk).status == LineStatus.DONE
    other = found.lines.get(statement="surveillance_activity")
    client.post(f"/risks/lines/{other.pk}/", {"action": "dismiss"})
    assert RiskLine.objects.get(pk=other.pk).status == LineStatus.DISMISSED


def test_a_version_freezes_the_register_and_is_never_changed_nor_deleted(org, system):
    with pytest.raises(services.RiskError, match="nothing to freeze"):
        services.cut_version(by=org.users["lead"])
    found = _completed(org, system)
    _in_register(found, org.people["sales_director"])
    first = services.cut_version(by=org.users["lead"], note="Before the pilot")
    assert (first.number, len(first.rows), first.created_by_name) == (1, 3, "Hr Test")
    with pytest.raises(services.RiskError, match="Nothing changed since version 1"):
        services.cut_version(by=org.users["lead"])
    line = found.lines.get(statement="responsibility_check")
    line.likelihood = 2
    line.save()
    second = services.cut_version(by=org.users["lead"])
    assert second.number == 2
    first.refresh_from_db()
    assert next(r for r in first.rows if r["line"] == line.pk)["likelihood"] == 4  # as it stood
    # Never deleted nor changed, one by one or in bulk, nor by a retention that would purge.
    for attempt in (first.delete, DuerpVersion.objects.all().delete,
                    DuerpVersion.objects.filter(number__lt=2).delete,
                    lambda: DuerpVersion.objects.update(note="purged"), first.save):  # fmt: skip
        with pytest.raises(VersionsAreKept, match="kept for good"):
            attempt()
    User.objects.filter(username="lead").delete()  # its author leaves: the version stays
    assert DuerpVersion.objects.count() == 2
    assert DuerpVersion.objects.get(number=1).created_by_name == "Hr Test"
    assert DuerpVersion.objects.get(number=1).rows == first.rows


def test_a_published_version_cannot_be_deleted_from_the_pages_either(client, org, system):
    found = _completed(org, system)
    _in_register(found, org.people["sales_director"])
    services.cut_version(by=org.users["lead"])
    client.force_login(org.users["lead"])
    assert client.delete("/risks/register/v1.xlsx").status_code == 405
    assert client.post("/risks/register/v1.csv").status_code == 405
    assert DuerpVersion.objects.count() == 1


def test_the_exports_of_a_version_read_back(client, org, system):
    found = _completed(org, system)
    _in_register(found, org.people["sales_director"])
    line = found.lines.get(statement="responsibility_check")
    line.hazard = '=HYPERLINK("http://evil.example","click")'
    line.existing_measures = "+33 6 12 34 56 78"
    line.save()
    services.cut_version(by=org.users["lead"], note="v1")
    line.hazard = "Changed after the version"
    line.save()
    client.force_login(org.users["cse"])
    response = client.get("/risks/register/v1.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="risk-assessment-v1.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("Work unit", "AI system", "Dimension of work", "Hazard", "Severity",
                           "Likelihood", "Criticity", "Priority")  # fmt: skip
    first = rows[1]  # the most critical first
    assert first[:8] == ("Direction commerciale", "Writing assistant", "Responsibility",
                         '=HYPERLINK("http://evil.example","click")', 3, 4, 12, "high")  # fmt: skip
    assert sheet.cell(row=2, column=4).data_type == "s"  # shown as text, never run
    assert first[10] == "Sales_Director Test" and first[11].date() == TODAY() + datetime.timedelta(
        days=60
    )
    assert len(rows) == 4
    about = list(book.worksheets[1].iter_rows(values_only=True))
    assert about[1][0] == 1 and about[1][3] == 3 and about[1][4] == "v1"

    response = client.get("/risks/register/v1.csv")
    assert response.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][3] == "Hazard" and len(table) == 4
    assert table[1][3] == '\'=HYPERLINK("http://evil.example","click")'  # formula neutralised
    assert table[1][8] == "'+33 6 12 34 56 78"
    assert table[1][11] == (TODAY() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")
    assert "Changed after the version" not in response.content.decode("utf-8-sig")
    assert client.get("/risks/register/v1.pdf").status_code == 404
    assert client.get("/risks/register/v9.csv").status_code == 404


def test_the_lead_runs_a_diagnostic_from_the_pages(client, org, system):
    client.force_login(org.users["lead"])
    unit = OrgUnit.objects.get(code="FIN")
    response = client.post("/risks/new/", {"system": system.pk, "unit": unit.pk,
                                           "held_on": TODAY().isoformat()})  # fmt: skip
    found = Diagnostic.objects.get()
    assert response["Location"] == f"/risks/{found.pk}/"
    for party, who in (("management", "FINANCE_HEAD"), ("staff", "ACCOUNTANT"),
                       ("representatives", "CONTROLLER")):  # fmt: skip
        client.post(f"/risks/{found.pk}/", {"action": "add", "party": party, "employee_id": who})
    answers = {f"s-{k}": v for k, v in _all_answers(autonomy_pace=4).items()}
    page = client.post(f"/risks/{found.pk}/", {"action": "complete", **answers,
                                               "notes": "One hour"}, follow=True)  # fmt: skip
    assert "Completed: 1 risk line proposed for review." in page.content.decode()
    line = RiskLine.objects.get()
    assert line.statement == "autonomy_pace" and line.unit == unit
    client.post(f"/risks/lines/{line.pk}/", {
        "action": "accept", "hazard": line.hazard, "severity": 3, "likelihood": 4,
        "actions": line.actions, "owner_id": "FINANCE_HEAD", "due_on": "2030-06-30"})  # fmt: skip
    page = client.get("/risks/register/").content.decode()
    assert line.hazard in page and "12 · high" in page
    client.post("/risks/register/", {"note": "First"})
    assert DuerpVersion.objects.get().rows[0]["owner"] == "Finance_Head Test"
    assert "/risks/register/v1.xlsx" in client.get("/risks/register/").content.decode()


def test_a_draft_may_be_deleted_a_completed_one_stays(client, org, system):
    draft = _start(org, system)
    client.force_login(org.users["lead"])
    client.post(f"/risks/{draft.pk}/", {"action": "delete"})
    assert not Diagnostic.objects.exists()
    done = _completed(org, system)
    page = client.post(f"/risks/{done.pk}/", {"action": "delete"}, follow=True)
    assert "is completed" in page.content.decode() and Diagnostic.objects.count() == 1


def test_the_employee_is_refused_everything(client, org, system):
    found = _completed(org, system)
    _in_register(found, org.people["sales_director"])
    services.cut_version(by=org.users["lead"])
    line = found.lines.first()
    client.force_login(org.users["employee"])
    for url in (
        "/risks/",
        "/risks/new/",
        f"/risks/{found.pk}/",
        f"/risks/lines/{line.pk}/",
        "/risks/register/",
        "/risks/register/v1.xlsx",
        "/risks/register/v1.csv",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/risks/register/").status_code == 403
    assert client.post(f"/risks/{found.pk}/", {"action": "delete"}).status_code == 403


def test_readers_read_and_only_the_lead_writes(client, org, system):
    sales = _completed(org, system, unit="COM")
    finance = _completed(org, system, unit="FIN")
    _in_register(sales, org.people["sales_director"])
    _in_register(finance, org.people["finance_head"])
    services.cut_version(by=org.users["lead"])
    line = sales.lines.first()
    for role in ("executive", "cse", "manager"):
        client.force_login(org.users[role])
        assert client.get(f"/risks/{sales.pk}/").status_code == 200, role
        assert client.get("/risks/register/").status_code == 200, role
        assert client.post(f"/risks/{sales.pk}/", {"action": "delete"}).status_code == 403
        assert client.post("/risks/register/").status_code == 403, role
        assert client.get(f"/risks/lines/{line.pk}/").status_code == 403, role
        assert client.get("/risks/new/").status_code == 403, role
    # The sales director reads the sales unit only, and exports no company-wide version.
    client.force_login(org.users["manager"])
    assert client.get(f"/risks/{finance.pk}/").status_code == 403
    listed = client.get("/risks/").content.decode()
    assert f"/risks/{sales.pk}/" in listed and f"/risks/{finance.pk}/" not in listed
    register = client.get("/risks/register/").content.decode()
    assert "Direction commerciale" in register and "<td>Finance</td>" not in register
    assert client.get("/risks/register/v1.xlsx").status_code == 403
    client.force_login(org.users["peer_manager"])  # heads nothing here, leads finance
    assert client.get(f"/risks/{sales.pk}/").status_code == 403
    assert client.get(f"/risks/{finance.pk}/").status_code == 200
    for role in ("executive", "cse"):
        client.force_login(org.users[role])
        assert client.get("/risks/register/v1.csv").status_code == 200
    client.force_login(org.users["ambassador"])
    assert client.get("/risks/").status_code == 403


def test_the_demo_builds_a_completed_diagnostic_with_its_register_and_a_version(org):
    from tremplin.risks.demo import build_risks

    AISystem.objects.create(name="Copilot", status=SystemStatus.APPROVED)
    message = build_risks(seed=7)
    found = Diagnostic.objects.get()
    assert found.status == DiagnosticStatus.COMPLETED and found.missing_parties() == []
    assert found.lines.filter(status=LineStatus.DISMISSED).count() == 1
    assert found.lines.filter(status=LineStatus.DONE).count() == 1
    assert DuerpVersion.objects.get().rows and "DUERP v1" in message
    assert build_risks(seed=7).endswith("already there")
