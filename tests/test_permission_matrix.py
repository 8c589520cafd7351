"""Who may open what: every view of the URL configuration × every role (and anonymous) × the
reader's own record, a record in their reporting line and one outside it, by GET and by POST.

Each view's rule is declared below; a view added without a rule fails the first test, so no
page escapes the matrix. Allowed: a page or a redirect elsewhere than the sign-in page. Refused:
403 or 404 (anonymous: the sign-in page). A manager reads their line; being in someone's line
without the manager role (the executive sponsor's is the whole company) gives nothing.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tremplin.assessments.models import Campaign, CareerInterview
from tremplin.engagement.challenge_models import Challenge, Community
from tremplin.learning.catalogue import load_default_catalogue
from tremplin.learning.models import Module, Plan, TrainingSession
from tremplin.rollout.models import Communication, RoadmapStep, Wave
from tremplin.rollout.roadmap import load_default_roadmap
from tremplin.skills.services import load_default_framework
from tremplin.voice.models import Idea
from tremplin.voice.services import create_survey, templates

ROLES = ["lead", "executive", "manager", "employee", "ambassador", "cse", None]
SIGNED = {"lead", "executive", "manager", "employee", "ambassador", "cse"}
LEAD = {"lead"}
READERS = {"lead", "executive", "manager", "cse"}
LISTERS = {"lead", "manager"}
SPONSORS = {"lead", "executive", "cse"}  # the roadmap: the lead, the sponsor, the council
# url name -> who may GET it; "person" views follow the person rule (own, line, lead).
RULES: dict[str, set[str] | str] = {
    "home": SIGNED, "people:directory": SIGNED, "people:export": LISTERS,
    "people:org_chart": SIGNED, "people:import_upload": LEAD, "people:accounts": LEAD,
    "people:invitations": LEAD, "people:detail": "person",
    "skills:browser": SIGNED, "skills:framework": SIGNED, "skills:export": LEAD,
    "skills:import": LEAD, "skills:competence": SIGNED, "skills:targets": LEAD,
    "skills:targets_edit": LEAD,
    "assessments:overview": SIGNED, "assessments:person": "person",
    "assessments:campaigns": LEAD, "assessments:campaign_new": LEAD,
    "assessments:campaign": LISTERS, "assessments:campaign_edit": LEAD,
    "assessments:interviews": SIGNED, "assessments:reassessments": SIGNED,
    "assessments:interview": "interview", "assessments:bank": LEAD,
    "assessments:bank_export": LEAD, "assessments:item_new": LEAD,
    "assessments:quiz_settings": LEAD, "assessments:calibration": LEAD,
    "learning:mine": SIGNED, "learning:catalogue": SIGNED, "learning:catalogue_import": LEAD,
    "learning:catalogue_export": LEAD, "learning:person": "person", "learning:plans": SIGNED,
    "learning:plan": "plan", "learning:team_gaps": LISTERS, "learning:company_gaps": LEAD,
    "learning:settings": LEAD, "learning:generate_population": LEAD,
    "learning:sessions": SIGNED, "learning:session_new": LEAD, "learning:session": SIGNED,
    "learning:session_sheet": LEAD, "learning:session_groups": LEAD,
    "notifications:preferences": SIGNED, "notifications:outbox": LEAD,
    "rollout:waves": LEAD, "rollout:wave_new": LEAD, "rollout:wave_edit": LEAD,
    "rollout:roadmap": SPONSORS, "rollout:timeline": SPONSORS,
    "rollout:step_edit": LEAD, "rollout:readiness": LEAD,
    "rollout:communications": SPONSORS, "rollout:communication_new": LEAD,
    "rollout:communication_edit": LEAD,
    "insights:overview": READERS, "insights:heatmap": READERS,
    "insights:distribution": READERS, "insights:progression": READERS,
    "insights:compare": READERS, "insights:published": READERS, "insights:plans": LEAD,
    "insights:report": {"lead", "executive", "cse"}, "insights:settings": LEAD,
    "voice:surveys": SIGNED, "voice:survey": LEAD, "voice:question_new": LEAD,
    "voice:question_edit": LEAD, "voice:results": SPONSORS, "voice:ideas": SIGNED,
    "voice:idea_new": SIGNED, "voice:alike": SIGNED, "voice:idea": SIGNED,
    "engagement:coach": SIGNED, "engagement:home": SIGNED, "engagement:ambassadors": LEAD,
    "engagement:mentoring": SIGNED, "engagement:pairs": LEAD,
    "engagement:communities": SIGNED, "engagement:community": SIGNED,
    "engagement:challenges": SIGNED, "engagement:challenge": SIGNED,
    "engagement:badges": SIGNED,
    "governance:charter": SIGNED, "governance:systems": SPONSORS,
    "governance:system_new": SPONSORS, "governance:council": SPONSORS,
    "governance:observatory": SPONSORS, "governance:register": SPONSORS,
    "risks:diagnostics": READERS, "risks:diagnostic_new": LEAD, "risks:register": READERS,
    "accountability:home": LEAD, "accountability:audit": LEAD,
    "accountability:audit_export": LEAD, "accountability:mine": SIGNED,
    "accountability:person": LEAD, "accountability:person_export": LEAD,
    "api_tokens:tokens": LEAD, "insights:usage": LEAD,
}  # fmt: skip
# Views reached by POST only, with a body a real page would send, or that need a state the
# matrix does not build (a token, a quiz in progress, a rating's file, a run): their own tests
# cover them (tests named beside each).
ELSEWHERE = {
    "login", "logout", "start", "start_framework", "start_catalogue", "welcome", "set_language",
    "people:import_preview", "people:account",  # tests/people/test_pages, test_accounts
    "assessments:assess", "assessments:evidence_file",  # tests/assessments/test_pages.py
    "assessments:campaign_close", "assessments:campaign_remind",  # test_campaigns.py
    "assessments:reassess", "assessments:interview_new",  # test_reassessments, test_pages
    "assessments:quiz_start", "assessments:quiz", "assessments:quiz_result",  # test_quiz.py
    "assessments:item_edit", "assessments:calibration_run",  # test_calibration.py
    "learning:generate", "learning:plan_action", "learning:run",  # tests/learning
    "learning:session_action", "learning:session_certificate",  # tests/learning/test_sessions
    "learning:appetite", "learning:days_away",  # tests/learning/test_groups.py
    "rollout:communication_action",  # tests/rollout/test_communications.py
    "calendar_feed",  # a secret address, no sign-in: tests/learning/test_session_emails.py
    "rollout:wave_delete", "insights:refresh",  # test_waves.py, test_dashboards.py
    "voice:survey_new", "voice:survey_action", "voice:answer",  # tests/voice/test_surveys.py
    "voice:idea_action", "voice:network",  # tests/voice/test_ideas.py, test_network.py
    "engagement:ambassador", "engagement:ambassador_action", "engagement:ambassador_new",
    "engagement:my_ambassadorship",  # tests/engagement/test_ambassadors.py
    "engagement:pair", "engagement:pair_action",  # tests/engagement/test_mentoring.py
    "engagement:community_action", "engagement:challenge_action",  # test_communities, …
    # Public by design (a credential is checked by anyone): tests/engagement/test_badges.py
    "engagement:rotate", "engagement:verify", "engagement:issuer", "engagement:issuer_key",
    "engagement:revocations", "engagement:credential", "engagement:badge",
    "governance:charter_action", "governance:system",
    "governance:council_event", "governance:impact",  # tests/governance/test_governance.py
    "risks:diagnostic", "risks:line", "risks:version_export",  # tests/risks/test_risks.py
    "sso:login", "sso:callback",  # sign-in itself: anyone; 404 when SSO is off (tests/sso)
}  # fmt: skip


def _names(patterns, namespace: str = "") -> list[str]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            found += _names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return found


def test_every_view_has_a_rule():
    # The API's operations have their own matrix, by role and scope: tests/api/test_api_matrix.py
    names = {n for n in _names(get_resolver().url_patterns) if not n.startswith("api:")}
    assert names - set(RULES) - ELSEWHERE == set()
    assert set(RULES) - names == set()


@pytest.fixture
def world(org):
    framework = load_default_framework()
    load_default_catalogue()
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Spring", opens_on=today, closes_on=today + datetime.timedelta(days=9)
    )
    wave = Wave.objects.create(name="Pilot", pilot=True)
    session = TrainingSession.objects.create(
        module=Module.objects.first(), starts_at=timezone.now() + datetime.timedelta(days=2),
        duration_hours=3, capacity=8, language="fr", place="Lyon", provider="Partner",
    )  # fmt: skip
    plans = {key: Plan.objects.create(person=org.people[key], starts_in=today.year) for key in
             ("seller_a", "seller_b", "accountant")}  # fmt: skip
    interviews = {
        key: CareerInterview.objects.create(person=org.people[key], manager=org.people[held],
                                            held_on=today)
        for key, held in (("seller_a", "team_lead"), ("seller_b", "sales_director"),
                          ("accountant", "finance_head"))
    }  # fmt: skip
    load_default_roadmap()
    communication = Communication.objects.create(
        wave=wave, audience="wave", kind="announcement", channel="intranet", title_fr="Annonce",
        title_en="Announcement", at=timezone.now() + datetime.timedelta(days=4),
    )  # fmt: skip
    survey = create_survey(templates()["trust_pulse"], by=None)
    survey.sent_at = survey.opens_at = timezone.now()
    survey.closes_at = timezone.now() + datetime.timedelta(days=3)
    survey.save()
    idea = Idea.objects.create(title="Résumés", problem="Long reports", author=org.people["hr"])
    community = Community.objects.create(name="Prompts", topic="T")
    closes = timezone.now() + datetime.timedelta(days=2)
    challenge = Challenge.objects.create(kind="hunt", title="Hunt", brief="B", closes_at=closes)
    return {"idea": idea, "community": community, "challenge": challenge, "survey": survey,
            "framework": framework, "campaign": campaign,
            "wave": wave, "plans": plans,
            "interviews": interviews, "session": session, "communication": communication,
            "step": RoadmapStep.objects.first()}  # fmt: skip


# The subject of each object view, seen from each role: their own record, one in the line of
# the manager (seller B, under the sales director), one outside it (the accountant).
SUBJECTS = ["own", "line", "outside"]


def _subject(org, role: str | None, which: str):
    if which == "own":
        user = org.users.get(role) if role else None
        return user.person if user is not None else org.people["seller_a"]
    return org.people["seller_b" if which == "line" else "accountant"]


def _url(name: str, world, person) -> str:
    framework = world["framework"]
    args = {
        "people:export": ["csv"],
        "skills:framework": [framework.pk],
        "skills:export": [framework.pk, "json"],
        "people:detail": [person.pk],
        "people:account": [person.pk],
        "assessments:person": [person.pk],
        "learning:person": [person.pk],
        "assessments:campaign": [world["campaign"].pk],
        "assessments:campaign_edit": [world["campaign"].pk],
        "assessments:bank_export": ["json"],
        "learning:catalogue_export": ["json"],
        "rollout:wave_edit": [world["wave"].pk],
        "learning:session": [world["session"].pk],
        "learning:session_sheet": [world["session"].pk],
        "rollout:step_edit": [world["step"].pk],
        "rollout:readiness": [world["wave"].pk],
        "rollout:communication_edit": [world["communication"].pk],
        "voice:survey": [world["survey"].pk],
        "voice:results": [world["survey"].pk],
        "voice:idea": [world["idea"].pk],
        "engagement:community": [world["community"].pk],
        "engagement:challenge": [world["challenge"].pk],
        "voice:question_new": [world["survey"].pk],
        "voice:question_edit": [world["survey"].pk, world["survey"].questions.first().pk],
        "skills:competence": [framework.competences.first().pk],
        "skills:targets_edit": [framework.pk, person.job_family_id],
        "accountability:audit_export": ["csv"],
        "accountability:mine": ["json"],
        "accountability:person": [person.pk],
        "accountability:person_export": [person.pk, "json"],
    }.get(name, [])
    if name == "learning:plan":
        args = [Plan.objects.filter(person=person).values_list("pk", flat=True).first() or 0]
    if name == "assessments:interview":
        found = CareerInterview.objects.filter(person=person).first()
        args = [found.pk if found else 0]
    return reverse(name, args=args)


def _may(org, role: str | None, name: str, person) -> bool:
    rule = RULES[name]
    if role is None:
        return False
    if isinstance(rule, set):
        return role in rule
    missing = ((rule == "interview" and not CareerInterview.objects.filter(person=person).exists())
               or (rule == "plan" and not Plan.objects.filter(person=person).exists()))  # fmt: skip
    if role == "lead":
        return not missing
    me = org.users[role].person
    own = person.pk == me.pk
    in_line = role == "manager" and person.reports_to(me)
    if rule == "interview":  # the person, or the manager who held it while it is their line
        record = CareerInterview.objects.filter(person=person).first()
        return record is not None and (own or (record.manager_id == me.pk and in_line))
    if rule == "plan" and not Plan.objects.filter(person=person).exists():
        return False
    return own or in_line


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_what_its_rule_allows(client, org, world, role):
    if role is not None:
        client.force_login(org.users[role])
    wrong = []
    for name in sorted(RULES):
        subjects = SUBJECTS if isinstance(RULES[name], str) else ["own"]
        for which in subjects:
            person = _subject(org, role, which)
            url = _url(name, world, person)
            status = client.get(url).status_code
            location = client.get(url).get("Location", "") if status == 302 else ""
            allowed = status == 200 or (status == 302 and "/login/" not in location)
            if allowed != _may(org, role, name, person) or status >= 500:
                wrong.append(f"{name} [{which}] {url} -> {status} {location}")
            # An empty POST: refused as the GET is (or 405 where the view takes no POST).
            posted = client.post(url)
            refused = posted.status_code in (403, 404, 405) or "/login/" in posted.get(
                "Location", ""
            )
            if (not refused and not _may(org, role, name, person)) or posted.status_code >= 500:
                wrong.append(f"POST {name} [{which}] {url} -> {posted.status_code}")
    assert not wrong, "\n".join(wrong)


# Lists every reader may open, showing only the people that reader may see.
LISTS = ["people:directory", "learning:plans", "assessments:interviews"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r is not None])
def test_lists_name_nobody_the_reader_may_not_see(client, org, world, role):
    client.force_login(org.users[role])
    for name in LISTS:
        page = client.get(reverse(name), follow=True).content.decode()
        for which in ("line", "outside"):
            person = _subject(org, role, which)
            if role != "lead" and not _may(org, role, "people:detail", person):
                assert person.full_name not in page, (name, role, person)
