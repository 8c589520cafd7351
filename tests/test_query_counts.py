"""Every main page runs as many SQL queries with a few campaigns and people as with many: the
count depends on the page, never on the data's size (the load benchmark's finding was an
assessment page running four queries per open campaign)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tremplin.assessments.models import Campaign
from tremplin.people.models import Person
from tremplin.people.services import refresh_reporting_paths
from tremplin.skills.services import load_default_framework

COMMON = ["/", "/assessments/", "/development/", "/assessments/interviews/", "/people/org-chart/",
          "/assessments/to-reassess/"]  # fmt: skip
PAGES = {
    "employee": COMMON,
    "manager": [*COMMON, "/people/", "/development/plans/", "/development/gaps/team/"],
    "lead": [*COMMON, "/people/", "/assessments/campaigns/", "/development/plans/",
             "/people/accounts/", "/rollout/waves/"],
}  # fmt: skip


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(path, follow=True)
    assert response.status_code == 200, path
    return len(seen)


def _grow(org, n: int) -> None:
    """`n` more open campaigns (each kind of population) and `n` more people in the line."""
    today = timezone.localdate()
    sales = org.people["seller_a"].org_unit
    for i in range(n):
        campaign = Campaign.objects.create(
            name=f"Campaign {i} of {n}", quiz=True, opens_on=today,
            closes_on=today + datetime.timedelta(days=9 + i),
        )  # fmt: skip
        if i % 3 == 1:
            campaign.org_units.add(sales)
        elif i % 3 == 2:
            campaign.people.add(org.people["seller_a"], org.people["seller_b"])
        Person.objects.create(
            employee_id=f"GROW{n}-{i}", first_name="Extra", last_name=f"N{i}", org_unit=sales,
            job_family=org.people["seller_a"].job_family, manager=org.people["team_lead"],
        )  # fmt: skip
    refresh_reporting_paths()


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PAGES))
def test_queries_do_not_grow_with_the_data(client, org, role):
    load_default_framework()
    client.force_login(org.users[role])
    _grow(org, 6)  # past the lead's home, which shows the first five campaigns
    for path in PAGES[role]:  # once first: the session's own queries are not the page's
        _queries(client, path)
    few = {path: _queries(client, path) for path in PAGES[role]}
    _grow(org, 24)
    many = {path: _queries(client, path) for path in PAGES[role]}
    assert many == few
