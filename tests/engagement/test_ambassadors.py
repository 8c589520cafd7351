"""Ambassadors: a cover proposed over every department and site, the lead's invitation with a
mission, the person's answer granting or withholding the role, an activity log that refuses
the future, and pages shown only to the lead and the person."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tremplin.engagement import ambassadors
from tremplin.engagement.ambassador_models import Ambassador, AmbassadorStatus
from tremplin.engagement.badge_models import Award
from tremplin.people.models import Role, RoleAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_cover_reaches_every_department_and_decliners_are_not_proposed_again(org):
    found = ambassadors.propose()
    assert found.teams_uncovered == 0 and found.sites_uncovered == 0
    units = {a.person.org_unit.code for a in found.proposed}
    assert {"DG", "COM", "FIN"} >= units and len(found.proposed) == 3
    declined = found.proposed[0]
    ambassadors.invite(declined)
    ambassadors.answer(declined, accept=False, because="Pas le temps")
    again = ambassadors.propose()
    assert declined.person not in {a.person for a in again.proposed}
    assert Ambassador.objects.get(person=declined.person).status == AmbassadorStatus.DECLINED


def test_invited_with_a_mission_accepting_grants_the_role_ending_withdraws_it(
    client, org, suggested
):
    client.force_login(org.users["lead"])
    client.post("/engagement/ambassadors/new/", {"employee_id": "SELLER_A"})
    found = Ambassador.objects.get(person=org.people["seller_a"])
    url = f"/engagement/ambassadors/{found.pk}/action/"
    data = {"mission": "", "hours_per_month": "4", "office_hours": "Mardi", "action": "invite"}
    page = client.post(url, data, follow=True).content.decode()
    assert "Write the mission" in page
    found.refresh_from_db()
    assert found.status == AmbassadorStatus.PROPOSED
    client.post(
        url, data | {"mission": "Aider les ventes", "teams": [org.people["seller_a"].org_unit_id]}
    )
    found.refresh_from_db()
    assert found.status == AmbassadorStatus.INVITED
    client.force_login(org.users["manager"])  # not the person invited
    assert client.post(url, {"action": "accept"}).status_code == 403
    assert client.get(f"/engagement/ambassadors/{found.pk}/").status_code == 403
    client.force_login(org.users["employee"])
    assert "invited to become an ambassador" in client.get("/engagement/").content.decode()
    client.post(url, {"action": "accept"})
    found.refresh_from_db()
    user = org.users["employee"]
    assert found.status == AmbassadorStatus.ACTIVE
    assert RoleAssignment.objects.filter(user=user, role=Role.AMBASSADOR).exists()
    assert Award.objects.filter(badge__slug="ambassador", person=found.person).exists()
    assert (
        "My ambassador page" in client.get(f"/engagement/ambassadors/{found.pk}/").content.decode()
    )
    client.force_login(org.users["manager"])  # in the same department
    page = client.get("/engagement/").content.decode()
    assert "Seller_A" in page and "Mardi" in page  # the team's ambassador and office hours
    client.force_login(org.users["lead"])
    client.post(url, {"action": "end"})
    assert not RoleAssignment.objects.filter(user=user, role=Role.AMBASSADOR).exists()


def test_the_activity_log_refuses_the_future_and_adds_up_the_month(client, org):
    found = Ambassador.objects.create(
        person=org.people["accountant"], status=AmbassadorStatus.ACTIVE, mission="M",
        hours_per_month=2,
    )  # fmt: skip
    client.force_login(org.users["ambassador"])
    url = f"/engagement/ambassadors/{found.pk}/action/"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = client.post(url, {"action": "log", "on": tomorrow, "kind": "helped", "people_helped": 3,
                             "hours": "1"}, follow=True).content.decode()  # fmt: skip
    assert "in the future" in page and not found.activities.exists()
    page = client.post(
        url,
        {
            "action": "log",
            "on": timezone.localdate(),
            "kind": "helped",
            "people_helped": 1,
            "hours": "300",
        },
        follow=True,
    ).content.decode()
    assert "24 hours at most" in page and not found.activities.exists()  # fmt: skip
    for _ in range(2):
        client.post(url, {"action": "log", "on": timezone.localdate(), "kind": "helped",
                          "people_helped": 3, "hours": "1.5"})  # fmt: skip
    page = client.get(f"/engagement/ambassadors/{found.pk}/").content.decode()
    assert "3 h spent of 2 h allotted" in page and "over the time allotted" in page
    assert "6 colleagues helped" in page


def test_the_list_is_the_lead_s(client, org):
    client.force_login(org.users["executive"])
    assert client.get("/engagement/ambassadors/").status_code == 403
    assert client.post("/engagement/ambassadors/").status_code == 403
    client.force_login(org.users["lead"])
    page = client.post("/engagement/ambassadors/", {"depth": "teams"}, follow=True)
    assert "people proposed" in page.content.decode()
