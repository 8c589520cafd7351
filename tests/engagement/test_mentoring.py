"""Mentoring through its pages: offers limited to what a person masters, goals to their gaps,
the matching never within a reporting line nor over a mentor's seats, the lead's approval,
both acceptances, meetings, and the feedback that closes it (and earns the badge)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.engagement.conftest import rate
from tremplin.engagement import mentoring
from tremplin.engagement.badge_models import Award
from tremplin.engagement.mentoring_models import (
    MenteeRequest,
    MentorOffer,
    Mentorship,
    MentorshipStatus,
)
from tremplin.skills.models import Competence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _pk(code):
    return Competence.objects.get(framework__is_active=True, code=code).pk


def _offer(person, codes, capacity=2):
    offer = MentorOffer.objects.create(person=person, capacity=capacity, languages=["fr"])
    offer.competences.set([_pk(c) for c in codes])
    return offer


def _ask(person, codes):
    ask = MenteeRequest.objects.create(person=person, languages=["fr"])
    ask.goals.set([_pk(c) for c in codes])
    return ask


def test_a_person_offers_only_what_they_master_and_asks_only_for_their_gaps(client, org, framework):
    seller = org.people["seller_a"]
    rate(seller, {"T2-PROMPT": 4, "T2-VERIFY": 2, "T1-LIMITS": 0})
    assert [c.code for c in mentoring.offerable(seller)] == ["T2-PROMPT"]
    goals = {c.code for c in mentoring.goals_of(seller)}
    assert "T1-LIMITS" in goals and "T2-PROMPT" not in goals
    client.force_login(org.users["employee"])
    refused = client.post("/engagement/mentoring/", {
        "form": "offer", "competences": [_pk("T2-VERIFY")], "capacity": 2, "languages": ["fr"],
        "remote": "on", "active": "on"})  # fmt: skip
    assert refused.status_code == 200 and not MentorOffer.objects.exists()
    assert "Select a valid choice" in refused.content.decode()
    client.post("/engagement/mentoring/", {
        "form": "offer", "competences": [_pk("T2-PROMPT")], "capacity": 9, "languages": ["fr"],
        "active": "on"})  # fmt: skip
    assert not MentorOffer.objects.exists()  # nine mentees is over the limit
    client.post("/engagement/mentoring/", {
        "form": "offer", "competences": [_pk("T2-PROMPT")], "capacity": 2, "languages": ["fr"],
        "active": "on"})  # fmt: skip
    assert list(
        MentorOffer.objects.get(person=seller).competences.values_list("code", flat=True)
    ) == ["T2-PROMPT"]


def test_nobody_is_matched_with_themselves_their_manager_or_anyone_in_their_line(org, framework):
    p = org.people
    for mentor in ("sales_director", "team_lead", "accountant", "seller_a"):
        rate(p[mentor], {"T2-PROMPT": 4})
        _offer(p[mentor], ["T2-PROMPT"])
    rate(p["seller_a"], {"T1-LIMITS": 0})
    _ask(p["seller_a"], ["T1-LIMITS"])  # nobody offers it: unmatched
    rate(p["team_lead"], {"T1-LIMITS": 0})
    rate(p["seller_b"], {"T2-PROMPT": 1})
    _ask(p["seller_b"], ["T2-PROMPT"])
    found = mentoring.propose()
    pairs = {(m.mentor_id, m.mentee_id) for m in Mentorship.objects.all()}
    assert pairs == {(p["accountant"].pk, p["seller_b"].pk)}, pairs
    assert found.pairs == 1 and found.unmatched == 1
    pair = Mentorship.objects.get()
    assert pair.breakdown["cross_department"] > 0 and pair.breakdown["competences"] == ["T2-PROMPT"]
    assert pair.score == pair.breakdown["total"]


def test_a_mentor_is_never_given_more_mentees_than_seats(org, framework):
    p = org.people
    rate(p["accountant"], {"T2-PROMPT": 4})
    _offer(p["accountant"], ["T2-PROMPT"], capacity=1)
    for mentee in ("seller_a", "seller_b"):
        rate(p[mentee], {"T2-PROMPT": 1})
        _ask(p[mentee], ["T2-PROMPT"])
    mentoring.propose()
    assert Mentorship.objects.filter(mentor=p["accountant"]).count() == 1
    first = Mentorship.objects.get()
    mentoring.approve(first)
    other = p["seller_b"] if first.mentee == p["seller_a"] else p["seller_a"]
    extra = Mentorship.objects.create(mentor=p["accountant"], mentee=other)
    with pytest.raises(mentoring.Refused, match="no mentoring seat left"):
        mentoring.approve(extra)
    mentoring.propose()  # the seat is taken: nothing more is proposed
    assert not Mentorship.objects.filter(status=MentorshipStatus.PROPOSED).exists()


def test_approved_accepted_logged_and_closed_with_feedback(client, org, framework, suggested):
    p = org.people
    rate(p["accountant"], {"T2-PROMPT": 4})
    _offer(p["accountant"], ["T2-PROMPT"])
    rate(p["seller_a"], {"T2-PROMPT": 1})
    _ask(p["seller_a"], ["T2-PROMPT"])
    client.force_login(org.users["lead"])
    page = client.post("/engagement/mentoring/pairs/", {"action": "match"}, follow=True)
    assert "1 pairs proposed" in page.content.decode()
    pair = Mentorship.objects.get()
    assert "gaps covered" in client.get("/engagement/mentoring/pairs/").content.decode()
    client.post("/engagement/mentoring/pairs/", {"action": "approve", "pair": pair.pk})
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.APPROVED
    url = f"/engagement/mentoring/{pair.pk}/action/"
    client.force_login(org.users["manager"])  # the mentee's manager is not a party
    assert client.post(url, {"action": "accept"}).status_code == 403
    assert client.get(f"/engagement/mentoring/{pair.pk}/").status_code == 403
    client.force_login(org.users["employee"])
    client.post(url, {"action": "accept"})
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.APPROVED and pair.mentee_accepted_at
    client.force_login(org.users["ambassador"])  # the accountant, mentor
    client.post(url, {"action": "accept"})
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = client.post(url, {"action": "meeting", "held_on": tomorrow, "minutes": 30}, follow=True)
    assert "in the future" in page.content.decode() and not pair.meetings.exists()
    client.post(url, {"action": "meeting", "held_on": timezone.localdate(), "minutes": 30,
                      "topics": "Prompts"})  # fmt: skip
    assert pair.meetings.count() == 1
    page = client.post(url, {"action": "feedback", "rating": 9}, follow=True)
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE  # a rating of 9 out of 5 closes nothing
    client.post(url, {"action": "feedback", "rating": 5, "goals_reached": "on"})
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ENDED
    again = client.post(url, {"action": "feedback", "rating": 4}, follow=True).content.decode()
    assert "already given" in again
    held = set(Award.objects.filter(badge__slug="mentoring").values_list("person", flat=True))
    assert held == {p["accountant"].pk, p["seller_a"].pk}


def test_only_the_lead_runs_the_matching(client, org, framework):
    client.force_login(org.users["manager"])
    assert client.get("/engagement/mentoring/pairs/").status_code == 403
    assert client.post("/engagement/mentoring/pairs/", {"action": "match"}).status_code == 403
    assert client.get("/engagement/mentoring/").status_code == 200
