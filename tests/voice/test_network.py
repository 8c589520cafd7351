"""The help network of a named survey: computed from who named whom, shown to the lead alone,
deleted after its retention period."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tests.voice.surveying import open_survey
from tremplin.compute.network import analyse
from tremplin.voice import network as help_network
from tremplin.voice import services
from tremplin.voice.models import Response

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_in_degree_people_alone_and_requests_across_units():
    found = analyse({1: [2, 3], 2: [3], 3: [], 4: [3]}, {1: 10, 2: 10, 3: 20, 4: 20})
    assert found.asked == [(3, 3), (2, 1)]
    assert (found.respondents, found.alone, found.requests, found.across_units) == (4, 1, 4, 2)


def test_the_lead_alone_reads_the_network_its_answers_deleted_after_retention(client, org):
    survey = open_survey("help_network", days=3)
    now = timezone.now()
    p = org.people
    for who, named in (
        ("seller_a", ["team_lead"]),
        ("seller_b", ["team_lead", "accountant"]),
        ("controller", ["accountant"]),
    ):
        services.answer(
            survey,
            p[who],
            {"go_to": [p[n].pk for n in named], "help_others": "often", "ambassador": "maybe"},
        )
    client.force_login(org.users["lead"])
    page = client.get(f"/voice/surveys/{survey.pk}/network/").content.decode()
    assert "Team_Lead Test" in page and "Who the others go to" in page
    client.force_login(org.users["cse"])
    assert client.get(f"/voice/surveys/{survey.pk}/network/").status_code == 403
    services.close_now(survey)
    services.close_due(now + datetime.timedelta(days=survey.retention_days - 1))
    assert Response.objects.filter(survey=survey).count() == 3
    services.close_due(now + datetime.timedelta(days=survey.retention_days + 1))
    assert not Response.objects.filter(survey=survey).exists()
    client.force_login(org.users["lead"])  # the answers are gone, the scores are kept
    page = client.get(f"/voice/surveys/{survey.pk}/network/").content.decode()
    assert "Team_Lead Test" in page and "Sought for help" in page and "Bridges groups" in page


def _answered(org):
    """Three respondents naming four colleagues: five people, four help links."""
    survey = open_survey("help_network")
    p = org.people
    for who, named in (
        ("seller_a", ["team_lead"]),
        ("seller_b", ["team_lead", "accountant"]),
        ("controller", ["accountant"]),
    ):
        services.answer(
            survey,
            p[who],
            {"go_to": [p[n].pk for n in named], "help_others": "often", "ambassador": "maybe"},
        )
    return survey


def _drawing(page: str) -> str:
    start = page.index('<svg class="network"')
    return page[start : page.index("</svg>", start)]


def test_the_network_is_drawn_one_circle_a_person_one_arrow_a_link(client, org):
    survey = _answered(org)
    client.force_login(org.users["lead"])
    page = client.get(f"/voice/surveys/{survey.pk}/network/").content.decode()
    svg = _drawing(page)
    assert 'role="img"' in svg and 'aria-label="Help network drawn: 5 people' in svg
    assert svg.count("<circle") == 5 and svg.count("<title>") == 5
    assert svg.count("<line") == 4 and svg.count('marker-end="url(#arrow)"') == 4
    assert "Team_Lead Test (Direction commerciale) — Named by 2" in svg
    assert 'class="ambassador"' in svg  # the accountant holds the ambassador role
    assert "Everyone in the network is drawn: 5 people." in page


def test_the_drawing_survives_the_deletion_of_the_answers(client, org):
    survey = _answered(org)
    client.force_login(org.users["lead"])
    before = _drawing(client.get(f"/voice/surveys/{survey.pk}/network/").content.decode())
    Response.objects.filter(survey=survey).delete()
    after = _drawing(client.get(f"/voice/surveys/{survey.pk}/network/").content.decode())
    assert after == before and after.count("<circle") == 5


def test_the_drawings_numbers_stay_numbers_in_french(client, org):
    survey = _answered(org)
    client.force_login(org.users["lead"])
    client.cookies["django_language"] = "fr"
    svg = _drawing(client.get(f"/voice/surveys/{survey.pk}/network/").content.decode())
    numbers = re.findall(r' (?:cx|cy|r|x1|y1|x2|y2|x|y)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers), numbers


def test_a_large_network_draws_only_its_most_named_people(client, org, monkeypatch):
    monkeypatch.setattr(help_network, "DRAWN", 3)
    survey = _answered(org)
    client.force_login(org.users["lead"])
    page = client.get(f"/voice/surveys/{survey.pk}/network/").content.decode()
    svg = _drawing(page)
    assert svg.count("<circle") == 3 and "The 3 people most named for help are drawn, of 5" in page
    assert "Team_Lead Test" in svg and "Accountant Test" in svg
