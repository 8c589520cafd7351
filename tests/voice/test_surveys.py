"""Surveys from templates, sent to a population, answered once, closed and sealed; what is
refused and why; an attacker who tries to link anonymous responses to their authors."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from tests.voice.attack import guesses
from tests.voice.surveying import open_survey
from tremplin.notifications.models import Message
from tremplin.notifications.outbox import send_due
from tremplin.people.models import OrgUnit, Person
from tremplin.voice import services
from tremplin.voice.models import Anonymity, Invitation, Response, Survey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_every_shipped_template_is_valid_and_makes_a_survey(org):
    shipped = services.templates()
    assert {"post_session", "trust_pulse", "feedback_workshop", "manager_usage", "shadow_ai",
            "help_network", "sentiment"} <= set(shipped)  # fmt: skip
    for code, data in shipped.items():
        assert services.template_errors(data) == [], code
        survey = services.create_survey(data, by=None)
        assert survey.questions.count() == len(data["questions"])
    assert shipped["help_network"]["anonymity"] == Anonymity.NAMED


def test_a_broken_template_file_is_refused_saying_what_and_nothing_is_written(client, org):
    client.force_login(org.users["lead"])
    broken = services.templates()["trust_pulse"]
    broken["questions"][1]["kind"] = "slider"
    broken["questions"][2]["show_if"] = {"question": "later", "in": ["1"]}
    upload = SimpleUploadedFile("t.json", json.dumps(broken).encode(), "application/json")
    page = client.post("/voice/surveys/new/", {"file": upload}, follow=True).content.decode()
    assert "Question 2, kind: is not a known kind of question." in page
    assert "Question 3, show_if: must name an earlier question." in page
    garbage = SimpleUploadedFile("t.json", b"{not json", "application/json")
    page = client.post("/voice/surveys/new/", {"file": garbage}, follow=True).content.decode()
    assert "The file is not a JSON survey template" in page
    assert not Survey.objects.exists()


def test_sent_to_the_population_each_told_by_e_mail_and_reminded_until_they_answer(org):
    for person in org.people.values():
        person.email = f"{person.employee_id.lower()}@example.org"
        person.save()
    survey = open_survey("trust_pulse")
    assert survey.invited == len(org.people) == Invitation.objects.filter(survey=survey).count()
    assert Message.objects.filter(kind="survey_invitation").count() == len(org.people)
    services.answer(survey, org.people["seller_a"], {
        "understand_why": "4", "trust_responsible": "3", "worry_job_change": "2",
        "know_charter": "5", "know_who_to_ask": "4", "main_fear": "none",
    })  # fmt: skip
    assert services.remind(survey) == len(org.people) - 1
    now = timezone.now()
    reminders = Message.objects.filter(kind="survey_reminder")
    reminded = set(reminders.filter(due_at__lte=now).values_list("to", flat=True))
    assert "seller_a@example.org" not in reminded
    # the automatic reminder, two days before closing, is not sent to whoever has answered
    automatic = reminders.filter(due_at__gt=now)
    assert automatic.count() == len(org.people)
    send_due(now=survey.closes_at - datetime.timedelta(days=1))
    dropped = automatic.get(to="seller_a@example.org")
    assert dropped.dropped == "already answered" and dropped.sent_at is None


def test_an_anonymous_response_has_no_person_and_cannot_be_given_twice(org):
    survey = open_survey("sentiment")
    me = org.people["seller_a"]
    answers = {"quality": "4", "effort": "4", "speed": "5", "productivity": "4"}
    response = services.answer(survey, me, answers)
    assert response.person is None and response.answers["speed"] == 5
    assert not [f for f in Response._meta.get_fields() if f.get_internal_type() in
                ("DateTimeField", "DateField", "AutoField", "BigAutoField")]  # fmt: skip
    with pytest.raises(services.SurveyError, match="already answered"):
        services.answer(survey, me, answers)
    outsider = Person.objects.create(employee_id="NEW", first_name="New", last_name="Comer")
    with pytest.raises(services.SurveyError, match="not sent to you"):
        services.answer(survey, outsider, answers)
    services.close_now(survey)
    with pytest.raises(services.SurveyError, match="closed"):
        services.answer(survey, org.people["seller_b"], answers)
    assert Response.objects.filter(survey=survey).count() == 1


def test_answers_are_checked_with_the_show_if_logic(org):
    survey = open_survey("post_session")
    me = org.people["seller_a"]
    happy = {"overall_satisfaction": "5", "content_useful": "4", "pace_right": "4",
             "trainer_clear": "5", "apply_next_week": "4", "recommend": "9",
             "improve": "should not be kept: the question is not shown"}  # fmt: skip
    with pytest.raises(services.Refused) as refused:
        services.answer(survey, me, {**happy, "recommend": "11", "pace_right": ""})
    assert {(p.question, p.code) for p in refused.value.problems} == {
        ("recommend", "out_of_range"), ("pace_right", "required")}  # fmt: skip
    assert not Response.objects.exists()
    response = services.answer(survey, me, happy)
    assert "improve" not in response.answers


def test_the_colleague_picker_refuses_yourself_and_unknown_people(client, org):
    survey = open_survey("help_network")
    client.force_login(org.users["employee"])  # seller A
    url = f"/voice/surveys/{survey.pk}/answer/"
    page = client.get(url).content.decode()
    assert "This survey is named" in page and "only the programme lead sees them" in page
    page = client.post(url, {"q-go_to": ["SELLER_A"], "q-help_others": "often",
                             "q-ambassador": "yes"}).content.decode()  # fmt: skip
    assert "Name colleagues other than yourself." in page
    page = client.post(
        url, {"q-go_to": ["nobody@nowhere.test"], "q-help_others": "often", "q-ambassador": "yes"}
    )
    assert "This colleague is not known" in page.content.decode()
    client.post(url, {"q-go_to": ["SELLER_B", "TEAM_LEAD"],
                      "q-help_others": "often", "q-ambassador": "yes"})  # fmt: skip
    response = Response.objects.get(survey=survey)
    assert response.person == org.people["seller_a"]
    assert set(response.answers["go_to"]) == {org.people["seller_b"].pk,
                                                       org.people["team_lead"].pk}  # fmt: skip


def test_a_survey_not_sent_to_you_or_closed_refuses_on_its_page(client, org):
    survey = open_survey("sentiment")
    outsider = Person.objects.create(employee_id="NEW", first_name="New", last_name="Comer")
    from tests.conftest import make_user

    client.force_login(make_user("newcomer", outsider))
    page = client.get(f"/voice/surveys/{survey.pk}/answer/")
    assert page.status_code == 403 and "was not sent to you" in page.content.decode()


def test_a_lead_builds_a_survey_question_by_question(client, org):
    client.force_login(org.users["lead"])
    survey = services.create_survey(services.templates()["sentiment"], by=None)
    url = f"/voice/surveys/{survey.pk}/questions/new/"
    page = client.post(url, {"key": "tool", "text_fr": "Outil ?", "text_en": "Tool?",
                             "kind": "single", "option_lines": "a | A"})  # fmt: skip
    assert "expected key | French | English" in page.content.decode()
    page = client.post(url, {"key": "why", "text_fr": "Pourquoi ?", "text_en": "Why?",
                             "kind": "text", "show_if_question": "nothing",
                             "show_if_values": "1"})  # fmt: skip
    assert "Must name an earlier question." in page.content.decode()
    client.post(url, {"key": "tool", "text_fr": "Outil ?", "text_en": "Tool?", "kind": "single",
                      "required": "on", "option_lines": "a | Un | One\nb | Deux | Two",
                      "show_if_question": "speed", "show_if_values": "4, 5"})  # fmt: skip
    added = survey.questions.get(key="tool")
    assert added.options[1] == {"key": "b", "fr": "Deux", "en": "Two"}
    assert added.show_if == {"question": "speed", "in": ["4", "5"]}
    assert added.order == survey.questions.count()


def test_anonymous_responses_cannot_be_linked_to_their_authors_once_sealed(org, transactional_db):
    people = [Person.objects.create(employee_id=f"P{i:02d}", first_name="P", last_name=str(i))
              for i in range(30)]  # fmt: skip
    survey = services.create_survey(services.templates()["sentiment"], by=None)
    survey.units.set(OrgUnit.objects.filter(parent=None))
    unit = OrgUnit.objects.get(parent=None)
    Person.objects.filter(pk__in=[p.pk for p in people]).update(org_unit=unit)
    now = timezone.now()
    services.send(survey, opens_at=now - datetime.timedelta(minutes=1),
                  closes_at=now + datetime.timedelta(days=3))  # fmt: skip
    order = []
    for i, person in enumerate(people):
        # each answer says whose it is, for the test to check the attacker's guesses
        services.answer(
            survey,
            person,
            {
                "quality": "3",
                "effort": "3",
                "speed": "3",
                "productivity": "3",
                "comment": f"me={person.pk}",
            },
        )
        order.append(person.pk)
        assert i >= 0

    def right(guessed: dict[str, int]) -> int:
        truth = {str(r.pk): int(r.answers["comment"].removeprefix("me="))
                 for r in Response.objects.filter(survey=survey)}  # fmt: skip
        return sum(truth[r] == p for r, p in guessed.items())

    before = {name: right(g) for name, g in guesses(survey, order).items()}
    assert max(before.values()) == 30, before  # unsealed, the attacker links everyone
    services.close_now(survey)
    after = {name: right(g) for name, g in guesses(survey, order).items()}
    # a random pairing gets 1 right on average; 9 or more happens once in a million
    assert max(after.values()) <= 8, after
    assert Invitation.objects.filter(survey=survey, answered=True).count() == 0
    assert Survey.objects.get(pk=survey.pk).answered == 30


def test_the_satisfaction_survey_goes_to_those_present_once_attendance_is_taken(org):
    from tremplin.learning.catalogue import load_default_catalogue
    from tremplin.learning.models import Enrolment, EnrolmentStatus, Module, TrainingSession
    from tremplin.learning.sessions import record_attendance
    from tremplin.skills.services import load_default_framework

    load_default_framework()
    load_default_catalogue()
    session = TrainingSession.objects.create(
        module=Module.objects.first(), starts_at=timezone.now() - datetime.timedelta(hours=4),
        duration_hours=3, capacity=8, language="fr", place="Lyon", provider="Partner",
    )  # fmt: skip
    a, b, c = (org.people[k] for k in ("seller_a", "seller_b", "accountant"))
    for person in (a, b, c):
        Enrolment.objects.create(
            session=session, person=person, status=EnrolmentStatus.ENROLLED, since=timezone.now()
        )
    record_attendance(session, {a.pk: "present", b.pk: "absent"}, by=None, recorder=None)
    survey = Survey.objects.get(session=session)
    assert survey.template == "post_session" and survey.is_open()
    assert set(survey.invitations.values_list("person_id", flat=True)) == {a.pk}
    record_attendance(session, {c.pk: "present"}, by=None, recorder=None)  # marked later
    assert Survey.objects.filter(session=session).count() == 1
    assert set(survey.invitations.values_list("person_id", flat=True)) == {a.pk, c.pk}


def test_a_survey_from_scratch_is_named_then_filled(client, org):
    client.force_login(org.users["lead"])
    client.post("/voice/surveys/new/", {"template": "blank"})
    survey = Survey.objects.get()
    url = f"/voice/surveys/{survey.pk}/"
    client.post(
        url,
        {
            "title_fr": "Pouls de décembre",
            "title_en": "December pulse",
            "intro_fr": "",
            "intro_en": "",
            "anonymity": "anonymous",
            "retention_days": "365",
        },
    )
    survey.refresh_from_db()
    assert survey.title_en == "December pulse"
    survey.units.set(OrgUnit.objects.filter(parent=None))
    now = timezone.now()
    with pytest.raises(services.SurveyError, match="no questions"):
        services.send(survey, opens_at=now, closes_at=now + datetime.timedelta(days=3))
    page = client.post(
        f"{url}questions/new/",
        {"key": "who", "text_fr": "Qui ?", "text_en": "Who?", "kind": "colleagues"},
    )
    assert "Only a named survey may ask to name colleagues." in page.content.decode()
    assert not survey.questions.exists()


def test_a_survey_answered_leaves_the_list_of_those_to_answer(client, org):
    survey = open_survey("sentiment")
    services.answer(
        survey,
        org.people["seller_a"],
        {"quality": "4", "effort": "4", "speed": "4", "productivity": "4"},
    )
    client.force_login(org.users["employee"])  # seller A; the others have not answered
    assert (
        f"/voice/surveys/{survey.pk}/answer/" not in client.get("/voice/surveys/").content.decode()
    )
    client.force_login(org.users["manager"])
    assert f"/voice/surveys/{survey.pk}/answer/" in client.get("/voice/surveys/").content.decode()


def test_the_worker_is_asked_to_seal_the_survey_when_it_closes(org, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    survey = open_survey("sentiment", days=4)
    queued = DBTaskResult.objects.filter(task_path__endswith="close_due_task")
    assert [t.run_after for t in queued] == [survey.closes_at]


def _label(page: str, field: str) -> str:
    found = re.search(rf'<label for="id_{field}">.*?</label>', page, re.S)
    return found.group(0) if found else ""


def test_a_question_s_problems_are_said_under_their_field_not_by_internal_names(client, org):
    client.force_login(org.users["lead"])
    survey = services.create_survey(services.templates()["sentiment"], by=None)
    url = f"/voice/surveys/{survey.pk}/questions/new/"
    page = client.post(url, {"key": "speed", "text_fr": "Outil ?", "text_en": "Tool?",
                             "kind": "multiple", "option_lines": "a | Un | One",
                             "show_if_question": "nothing", "show_if_values": "1"})  # fmt: skip
    page = page.content.decode()
    for internal in ("options:", "show_if:", "key:"):
        assert internal not in page
    alert = '<small role="alert">{}</small>'
    assert alert.format("Another question of this survey already has this key.") in _label(
        page, "key"
    )
    assert alert.format("A choice needs at least two options.") in _label(page, "option_lines")
    assert alert.format("Must name an earlier question.") in _label(page, "show_if_question")
    assert not survey.questions.filter(key="speed", text_en="Tool?").exists()


def test_an_empty_draft_says_it_has_no_question_without_numbering_it(client, org):
    client.force_login(org.users["lead"])
    client.post("/voice/surveys/new/", {"template": "blank"})
    page = client.get(f"/voice/surveys/{Survey.objects.get().pk}/").content.decode()
    assert '<p class="muted">No question yet.</p>' in page and "<ol>" not in page
    listing = client.get("/voice/surveys/").content.decode()
    assert ">Import the template file</button>" in listing


def test_counts_agree_with_their_noun_on_the_survey_and_results_pages(client, org):
    survey = open_survey("sentiment")
    Survey.objects.filter(pk=survey.pk).update(invited=1, answered=1)
    client.force_login(org.users["lead"])
    for url in (f"/voice/surveys/{survey.pk}/", f"/voice/surveys/{survey.pk}/results/"):
        page = client.get(url).content.decode()
        assert "1 person invited, 1 answer." in page, url
        assert "1 answers" not in page and "1 people" not in page


def test_a_draft_offers_the_sessions_held_by_module_local_time_and_place(client, org):
    from tremplin.learning.catalogue import load_default_catalogue
    from tremplin.learning.models import Module, TrainingSession
    from tremplin.skills.services import load_default_framework

    load_default_framework()
    load_default_catalogue()
    module = Module.objects.first()
    held = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    held -= datetime.timedelta(days=10)
    for place, starts in (("Lyon", held), ("Nantes", held),
                          ("Caen", held + datetime.timedelta(days=30))):  # fmt: skip
        TrainingSession.objects.create(module=module, starts_at=starts, duration_hours=3,
                                       capacity=8, language="fr", place=place)  # fmt: skip
    client.force_login(org.users["lead"])
    client.post("/voice/surveys/new/", {"template": "blank"})
    page = client.get(f"/voice/surveys/{Survey.objects.get().pk}/").content.decode()
    offered = re.search(r'<select name="session".*?</select>', page, re.S).group(0)
    when = held.strftime("%d/%m/%Y 09:00")
    assert f"{escape(module.title_en)} · {when} · Lyon" in offered
    assert f"{escape(module.title_en)} · {when} · Nantes" in offered
    assert "Caen" not in offered and module.code not in offered


def _with_addresses(org):
    for person in org.people.values():
        person.email = f"{person.employee_id.lower()}@example.org"
        person.save()


def test_reminding_twice_within_a_day_reminds_nobody_again_and_says_so(client, org):
    _with_addresses(org)
    survey = open_survey("sentiment")
    client.force_login(org.users["lead"])
    url = f"/voice/surveys/{survey.pk}/action/"
    first = client.post(url, {"action": "remind"}, follow=True).content.decode()
    assert f"{len(org.people)} reminders written." in first
    second = client.post(url, {"action": "remind"}, follow=True).content.decode()
    assert "were reminded less than 24 hours ago: nobody is reminded again before" in second
    sent_now = Message.objects.filter(kind="survey_reminder", due_at__lte=timezone.now())
    assert sent_now.count() == len(org.people)  # one each, not two
    sent_now.update(due_at=timezone.now() - datetime.timedelta(hours=25))
    assert services.remind(survey) == len(org.people)  # a day later, again


def test_a_closed_survey_s_e_mails_still_waiting_are_dropped(client, org):
    _with_addresses(org)
    survey = open_survey("sentiment")
    automatic = Message.objects.filter(kind="survey_reminder", due_at__gt=timezone.now())
    assert automatic.count() == len(org.people)
    services.close_now(survey)
    assert set(automatic.values_list("dropped", flat=True)) == {"survey closed"}
    client.force_login(org.users["employee"])
    page = client.get("/account/emails/").content.decode()
    assert "not sent: the survey closed" in page and "to be sent" not in page
