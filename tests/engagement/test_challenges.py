"""Challenges: entries only while open and free of confidential items, a team before entering
a team challenge, one vote per entry and never for one's own or one's team's, reviews by the
jury, results per team once published, and the winner's badge."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tremplin.engagement.badge_models import Award
from tremplin.engagement.challenge_models import (
    Challenge,
    ChallengeKind,
    Review,
    Submission,
    SubmissionVote,
)
from tremplin.engagement.challenges import team_results

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HOUR = datetime.timedelta(hours=1)


def _challenge(kind=ChallengeKind.PROMPTATHON, teams=False, open_=True, **fields):
    now = timezone.now()
    return Challenge.objects.create(
        kind=kind, title="Défi", brief="Relancer un client", teams=teams,
        opens_at=now - 2 * HOUR, closes_at=now + (HOUR if open_ else -HOUR), **fields,
    )  # fmt: skip


def _post(client, found, **data):
    return client.post(f"/engagement/challenges/{found.pk}/action/", data, follow=True)


def test_an_entry_after_closing_is_refused_and_nothing_is_kept(client, org):
    found = _challenge(open_=False)
    client.force_login(org.users["employee"])
    page = _post(client, found, action="submit", prompt="Relance ce client poliment.")
    assert "no longer accepted" in page.content.decode() and not Submission.objects.exists()


def test_a_hunt_entry_needs_its_claim_and_proof_and_nothing_confidential(client, org):
    found = _challenge(kind=ChallengeKind.HUNT)
    client.force_login(org.users["employee"])
    page = _post(client, found, action="submit", output="Texte", claim="Faux", proof="")
    assert "Every field is needed" in page.content.decode()
    page = _post(client, found, action="submit", output="Écrire à jean.dupont@client.fr",
                 claim="Faux", proof="Source")  # fmt: skip
    assert "jean.dupont@client.fr" in page.content.decode() and not Submission.objects.exists()
    _post(client, found, action="submit", output="Texte", claim="Faux", proof="Source")
    assert Submission.objects.get().author == org.people["seller_a"]


def test_a_team_challenge_is_entered_through_a_team(client, org):
    found = _challenge(teams=True)
    client.force_login(org.users["employee"])
    page = _post(client, found, action="submit", prompt="Résume.")
    assert "Join a team" in page.content.decode()
    _post(client, found, action="join", team="Les Rapides")
    _post(client, found, action="submit", prompt="Résume cet échange en trois points.")
    assert Submission.objects.get().team.name == "Les Rapides"


def test_one_vote_per_entry_never_one_s_own_nor_one_s_team_s(client, org):
    found = _challenge(teams=True)
    client.force_login(org.users["employee"])
    _post(client, found, action="join", team="A")
    _post(client, found, action="submit", prompt="Résume cet échange en trois points.")
    entry = Submission.objects.get()
    page = _post(client, found, action="vote", submission=entry.pk)
    assert "your own entry" in page.content.decode()
    client.force_login(org.users["manager"])
    _post(client, found, action="join", team="A")  # a team mate
    assert "your own entry or your team" in _post(client, found, action="vote",
                                                  submission=entry.pk).content.decode()  # fmt: skip
    client.force_login(org.users["ambassador"])
    _post(client, found, action="vote", submission=entry.pk)
    page = _post(client, found, action="vote", submission=entry.pk)
    assert "already voted" in page.content.decode()
    entry.refresh_from_db()
    assert entry.votes_count == 1 == SubmissionVote.objects.count()
    (team,) = team_results(found)  # two members: the vote still counts once
    assert (team.members, team.entries, team.votes) == (2, 1, 1)
    assert _post(client, found, action="vote", submission="x").status_code == 404


def test_the_jury_reviews_results_are_per_team_and_the_winner_earns_the_badge(
    client, org, suggested
):
    found = _challenge(teams=True)
    found.jury.set([org.people["accountant"]])
    for user, team in (("employee", "A"), ("manager", "B")):
        client.force_login(org.users[user])
        _post(client, found, action="join", team=team)
        _post(client, found, action="submit", prompt=f"Prompt de l'équipe {team}, précis.")
    entry = Submission.objects.get(team__name="A")
    client.force_login(org.users["employee"])  # not on the jury
    _post(client, found, action="winner", submission=entry.pk)
    entry.refresh_from_db()
    assert not entry.winner
    client.force_login(org.users["ambassador"])
    page = _post(client, found, action="publish")
    assert "once the challenge has closed" in page.content.decode()
    _post(client, found, action="winner", submission=entry.pk)
    found.closes_at = timezone.now() - HOUR
    found.save()
    _post(client, found, action="publish")
    client.force_login(org.users["cse"])
    page = client.get(f"/engagement/challenges/{found.pk}/").content.decode()
    assert "By team" in page and "Seller_A" not in page  # teams, never a person's ranking
    entry.refresh_from_db()
    assert entry.winner and entry.review == Review.VALIDATED
    assert Award.objects.filter(badge__slug="hallucination-hunter",
                                person=org.people["seller_a"]).exists()  # fmt: skip


def test_only_the_lead_creates_a_challenge(client, org):
    now = timezone.now()
    data = {"kind": "hunt", "title": "T", "brief": "B", "opens_at": now, "closes_at": now - HOUR}
    client.force_login(org.users["employee"])
    assert client.post("/engagement/challenges/", data).status_code == 403
    client.force_login(org.users["lead"])
    page = client.post("/engagement/challenges/", data)
    assert "closes after it opens" in page.content.decode() and not Challenge.objects.exists()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_challenge_form_fills_its_dates_as_the_browser_reads_them(client, org, language):
    client.cookies["django_language"] = language
    client.force_login(org.users["lead"])
    html = client.get("/engagement/challenges/").content.decode()
    opens = re.search(r'<input type="datetime-local" name="opens_at" value="([^"]*)"', html)
    assert opens and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", opens[1])
    closes = (timezone.localtime() + 3 * HOUR).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "hunt", "title": "T", "brief": "B", "opens_at": opens[1], "closes_at": closes}
    assert client.post("/engagement/challenges/", data).status_code == 302
    saved = Challenge.objects.get()
    assert timezone.localtime(saved.closes_at).strftime("%Y-%m-%dT%H:%M") == closes
