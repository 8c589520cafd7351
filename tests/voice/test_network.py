"""The help network of a named survey: computed from who named whom, shown to the lead alone,
deleted after its retention period."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.voice.surveying import open_survey
from tremplin.compute.network import analyse
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
    assert "Team_Lead Test" in page and "PageRank" in page
