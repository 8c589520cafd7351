"""Communities of practice: anyone joins, members share prompts and resources (nothing
confidential), hosts plan meetings, and the home page shows stories told with consent."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tremplin.engagement.ambassador_models import Ambassador, AmbassadorStatus
from tremplin.engagement.challenge_models import Community

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def community(org):
    Ambassador.objects.create(person=org.people["accountant"], status=AmbassadorStatus.ACTIVE)
    found = Community.objects.create(name="Prompts", topic="Les prompts du quotidien")
    found.hosts.set([org.people["accountant"]])
    return found


def _post(client, community, **data):
    return client.post(f"/engagement/communities/{community.pk}/action/", data, follow=True)


def test_members_share_what_is_not_confidential(client, org, community):
    client.force_login(org.users["employee"])
    share = {
        "action": "resource",
        "kind": "prompt",
        "title": "Relance",
        "body": "Relance poliment.",
    }
    assert _post(client, community, **share).status_code == 403  # not a member yet
    _post(client, community, action="join")
    page = _post(client, community, **share | {"body": "Appelle le 06 12 34 56 78"})
    assert "confidential" in page.content.decode() and not community.resources.exists()
    _post(client, community, **share)
    assert community.resources.get().author == org.people["seller_a"]
    page = _post(client, community, action="resource", kind="link", title="Guide", body="", url="")
    assert "content or a link" in page.content.decode()


def test_hosts_plan_meetings_others_cannot(client, org, community):
    when = (timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"action": "meeting", "starts_at": when, "minutes": 60, "place": "Salle B"}
    client.force_login(org.users["employee"])
    _post(client, community, action="join")
    assert _post(client, community, **data).status_code == 403
    client.force_login(org.users["ambassador"])
    _post(client, community, **data)
    assert community.meetings.count() == 1
    assert "Salle B" in client.get(f"/engagement/communities/{community.pk}/").content.decode()
    assert _post(client, community, action="remove", resource="abc").status_code == 200


def test_only_the_lead_creates_a_community(client, org, community):
    data = {"name": "Data", "topic": "T", "hosts": [org.people["accountant"].pk]}
    client.force_login(org.users["employee"])
    assert client.post("/engagement/communities/", data).status_code == 403
    client.force_login(org.users["lead"])
    client.post("/engagement/communities/", data)
    assert Community.objects.filter(name="Data").exists()
