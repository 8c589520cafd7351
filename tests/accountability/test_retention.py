"""Retention rules: each kind of data removed once past its time, and only it; the risk
assessment's versions never, the audit log not before six months; people gone for long erased
once, as a pseudonym."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.voice.surveying import open_survey
from tremplin.accountability import retention
from tremplin.accountability.models import AuditEntry, Erasure, RetentionRule, Target
from tremplin.notifications.models import Message
from tremplin.voice import services
from tremplin.voice.models import Response, Result
from tremplin.voice.results import build_result

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = datetime.timedelta(days=1)


def _rules(**months):
    retention.defaults()
    RetentionRule.objects.exclude(target__in=months).update(active=False)
    for target, value in months.items():
        RetentionRule.objects.filter(target=target).update(months=value, active=True)


def test_a_rule_that_would_delete_the_risk_versions_or_the_log_too_soon_is_refused(client, org):
    client.force_login(org.users["lead"])
    page = client.post(
        "/data-protection/",
        {"new-target": "risk_versions", "new-months": "600", "new-active": "on"},
        follow=True,
    )
    assert "kept for good" in page.content.decode()
    assert not RetentionRule.objects.filter(target=Target.RISK_VERSIONS).exists()
    rule = RetentionRule.objects.get(target=Target.AUDIT_LOG)
    page = client.post(
        "/data-protection/",
        {"rule": rule.pk, f"rule{rule.pk}-target": "audit_log", f"rule{rule.pk}-months": "2"},
        follow=True,
    )
    assert "at least 6 months" in page.content.decode()
    rule.refresh_from_db()
    assert rule.months == 12
    RetentionRule.objects.create(target=Target.RISK_VERSIONS, months=1)  # written around the form
    with pytest.raises(Exception, match="kept for good"):
        retention.apply_rules()
    client.force_login(org.users["manager"])
    assert client.get("/data-protection/").status_code == 403


def test_named_answers_go_after_their_time_the_network_scores_stay(org):
    survey = open_survey("help_network", days=3)
    p = org.people
    services.answer(
        survey,
        p["seller_a"],
        {"go_to": [p["team_lead"].pk], "help_others": "often", "ambassador": "maybe"},
    )
    services.close_now(survey)
    _rules(named_answers=12)
    retention.apply_rules(timezone.now() + 360 * DAY)
    assert Response.objects.filter(survey=survey).count() == 1
    retention.apply_rules(timezone.now() + 370 * DAY)
    assert not Response.objects.filter(survey=survey).exists()
    assert Result.objects.get(survey=survey).data["network"]  # the scores, drawn
    assert RetentionRule.objects.get(target=Target.NAMED_ANSWERS).last_count == 1


def test_survey_comments_go_the_other_answers_stay(org):
    survey = open_survey("sentiment", anonymity="confidential")
    text_key = survey.questions.filter(kind="text").values_list("key", flat=True).first()
    assert text_key
    for person in org.people.values():
        services.answer(survey, person, {**_required(survey), text_key: "Too slow for me"})
    services.close_now(survey)
    kept = build_result(survey).data["tables"]
    result = Result.objects.get(survey=survey)
    assert result.data["comments"][text_key]["count"] == len(org.people)
    result.data["comments"][text_key]["shown"] = ["Too slow for me"]  # as from 10 respondents
    result.save(update_fields=["data"])
    _rules(survey_comments=24)
    retention.apply_rules(timezone.now() + 740 * DAY)
    for response in Response.objects.filter(survey=survey):
        assert text_key not in response.answers and response.answers
    result = Result.objects.get(survey=survey)
    assert all(not c["shown"] for c in result.data["comments"].values())
    assert result.data["comments"][text_key]["count"] == len(org.people)  # a count stays
    assert result.data["tables"] == kept


def _required(survey):
    answers = {}
    for question in survey.questions.all():
        if question.required and question.kind in ("likert5", "likert7"):
            answers[question.key] = 4
        elif question.required and question.kind == "single":
            answers[question.key] = question.options[0]["key"]
        elif question.required and question.kind == "multiple":
            answers[question.key] = [question.options[0]["key"]]
        elif question.required and question.kind == "scale10":
            answers[question.key] = 7
    return answers


def test_people_gone_for_long_are_erased_once_emails_and_old_log_lines_go(org):
    gone = org.people["controller"]
    gone.active = False
    gone.save(update_fields=["active"])
    _rules(people_gone=36, emails=12, audit_log=12)
    now = timezone.now()
    Message.objects.create(
        person=org.people["seller_a"],
        kind="x",
        to="a@example.com",
        subject="s",
        text="t",
        due_at=now,
        sent_at=now,
    )
    AuditEntry.objects.create(action="read", at=now - 400 * DAY)
    AuditEntry.objects.create(action="read", at=now - 100 * DAY)
    retention.apply_rules(now)
    gone.refresh_from_db()
    assert gone.left_on == timezone.localdate(now) and gone.first_name == "Controller"
    assert AuditEntry.objects.filter(action="read").count() == 1
    retention.apply_rules(now + 3 * 366 * DAY)
    gone.refresh_from_db()
    assert gone.first_name == "" and Erasure.objects.get().person == gone
    assert not Message.objects.exists()
    retention.apply_rules(now + 4 * 366 * DAY)  # erased once only
    assert Erasure.objects.count() == 1
    call_command("retention")


def test_someone_back_is_no_longer_counted_as_gone(org):
    person = org.people["accountant"]
    person.active = False
    person.save(update_fields=["active"])
    retention.apply_rules()
    person.refresh_from_db()
    assert person.left_on is not None
    person.active = True
    person.save(update_fields=["active"])
    retention.apply_rules()
    person.refresh_from_db()
    assert person.left_on is None
