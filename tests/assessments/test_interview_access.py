"""A career interview belongs to the person and to the manager who holds it while the person is
in their line: after a reorganisation the former manager can neither read nor write it."""

import datetime

import pytest

from tremplin.assessments.models import CareerInterview
from tremplin.people.services import refresh_reporting_paths


@pytest.mark.django_db
def test_a_former_manager_loses_the_interview_with_the_team(client, org):
    seller, director = org.people["seller_a"], org.people["sales_director"]
    record = CareerInterview.objects.create(
        person=seller, manager=director, held_on=datetime.date(2026, 3, 2)
    )
    url = f"/assessments/interviews/{record.pk}/"
    client.force_login(org.users["manager"])
    assert client.get(url).status_code == 200
    # The seller moves to finance: the sales director is no longer above them.
    seller.manager = org.people["finance_head"]
    seller.save(update_fields=["manager"])
    refresh_reporting_paths()
    assert client.get(url).status_code == 404
    response = client.post(url, {"learned": "taken over", "held_on": "2026-03-02", "version": 1})
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.learned != "taken over"
    assert CareerInterview.objects.visible_to(org.users["manager"]).count() == 0
    # The lead still reads it; the person still reads and writes it.
    client.force_login(org.users["lead"])
    assert client.get(url).status_code == 200
    client.force_login(org.users["employee"])
    assert client.get(url).status_code == 200
