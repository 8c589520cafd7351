"""The REST API: tokens (hashed, scoped, expiring, revocable), the pages' visibility rules,
errors as problem+json, idempotency keys, rate limits; people read and upserted through the
import's own validation."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from tremplin.api import tokens
from tremplin.api.models import ApiToken, IdempotentAnswer
from tremplin.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_token_is_kept_hashed_and_refused_once_expired_revoked_or_altered(client, org, bearer):
    headers = bearer("lead", "people:read")
    text = headers["HTTP_AUTHORIZATION"].split()[1]
    token = ApiToken.objects.get()
    assert text not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert client.get("/api/v1/people", **headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    altered = {"HTTP_AUTHORIZATION": "Bearer " + text[:-1] + ("A" if text[-1] != "A" else "B")}
    answer = client.get("/api/v1/people", **altered)
    assert answer.status_code == 401 and answer["Content-Type"] == "application/problem+json"
    assert answer.json()["title"] == "Not authenticated"
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert client.get("/api/v1/people", **headers).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    tokens.revoke(token)
    assert client.get("/api/v1/people", **headers).status_code == 401
    assert client.get("/api/v1/people").status_code == 401


def test_each_operation_needs_its_scope(client, org, bearer):
    headers = bearer("lead", "framework:read")
    answer = client.get("/api/v1/people", **headers)
    assert answer.status_code == 403 and "people:read" in answer.json()["detail"]


def test_people_are_seen_as_on_the_pages(client, org, bearer):
    employee = client.get("/api/v1/people", **bearer("employee", "people:read")).json()
    assert [p["employee_id"] for p in employee["items"]] == ["SELLER_A"]
    manager = client.get("/api/v1/people?limit=100", **bearer("manager", "people:read")).json()
    assert {p["employee_id"] for p in manager["items"]} == {
        "SALES_DIRECTOR",
        "TEAM_LEAD",
        "SELLER_A",
        "SELLER_B",
    }
    assert (
        client.get("/api/v1/people/ACCOUNTANT", **bearer("manager", "people:read")).status_code
        == 404
    )
    lead = client.get("/api/v1/people?limit=2&offset=1", **bearer("lead", "people:read")).json()
    assert lead["count"] == Person.objects.count() and len(lead["items"]) == 2


def test_the_bulk_upsert_is_the_import_all_or_nothing_with_its_row_report(client, org, bearer):
    headers = bearer("lead", "people:write")
    rows = [
        {
            "employee_id": "NEW1",
            "last_name": "Durand",
            "first_name": "Léa",
            "email": "lea@example.com",
            "manager": "TEAM_LEAD",
            "org_unit": "COM",
        },
        {"employee_id": "NEW2", "last_name": "Martin", "first_name": "Paul", "manager": "NOBODY"},
    ]
    answer = client.post(
        "/api/v1/people/bulk", {"people": rows}, content_type="application/json", **headers
    )
    assert answer.status_code == 422, answer.content
    errors = answer.json()["errors"]
    assert errors and errors[0]["index"] == 1 and errors[0]["field"]
    assert not Person.objects.filter(employee_id__in=["NEW1", "NEW2"]).exists()
    rows[1]["manager"] = "NEW1"
    key = {"HTTP_IDEMPOTENCY_KEY": "sync-2026-12-03"}
    first = client.post(
        "/api/v1/people/bulk", {"people": rows}, content_type="application/json", **headers, **key
    )
    assert first.status_code == 200 and first.json()["created"] == 2, first.content
    assert Person.objects.get(employee_id="NEW2").manager.employee_id == "NEW1"
    again = client.post(
        "/api/v1/people/bulk", {"people": rows}, content_type="application/json", **headers, **key
    )
    assert again.json() == first.json() and IdempotentAnswer.objects.count() == 1
    rows[0]["first_name"] = "Lea"
    other = client.post(
        "/api/v1/people/bulk", {"people": rows}, content_type="application/json", **headers, **key
    )
    assert other.status_code == 409
    manager = bearer("manager", "people:write")
    assert (
        client.post(
            "/api/v1/people/bulk", {"people": rows}, content_type="application/json", **manager
        ).status_code
        == 403
    )


def test_bad_bodies_are_answered_as_problems(client, org, bearer):
    headers = bearer("lead")
    answer = client.post(
        "/api/v1/people/bulk", "{not json", content_type="application/json", **headers
    )
    assert answer.status_code in (400, 422) and answer["Content-Type"] == "application/problem+json"
    answer = client.post(
        "/api/v1/people/bulk",
        {"people": [{"employee_id": ""}]},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 422 and answer.json()["errors"]


def test_too_many_requests_are_refused_for_a_minute(client, org, bearer, settings):
    settings.TREMPLIN_API_RATE_PER_MINUTE = 3
    headers = bearer("lead", "people:read")
    codes = [client.get("/api/v1/org-units", **headers).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert client.get("/api/v1/org-units", **headers)["Retry-After"] == "60"


def test_text_holding_the_nul_character_is_refused_up_front(client, org, bearer):
    headers = bearer("lead")
    rows = [{"employee_id": "NUL1", "last_name": "A\u0000B", "first_name": "C"}]
    answer = client.post(
        "/api/v1/people/bulk", {"people": rows}, content_type="application/json", **headers
    )
    assert answer.status_code == 422 and "NUL" in answer.json()["detail"]
    assert client.get("/api/v1/people?q=a%00b", **headers).status_code == 422
    assert not Person.objects.filter(employee_id="NUL1").exists()


@pytest.mark.parametrize("path", ["/api/v1/people", "/api/v1/ratings", "/api/v1/org-units"])
def test_a_page_reads_only_its_rows(client, org, bearer, path):
    """Counted by the database, read with LIMIT/OFFSET: not every visible row at each page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = bearer("lead")
    every = client.get(f"{path}?limit=1000", **headers).json()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"{path}?limit=2&offset=1", **headers).json()
    assert page["count"] == every["count"] and page["items"] == every["items"][1:3]
    reads = [q["sql"] for q in queries if "LIMIT" in q["sql"] and "COUNT" not in q["sql"]]
    assert reads and all("LIMIT 2" in sql for sql in reads[-1:])
    assert client.get(f"{path}?offset={2**70}", **headers).json()["items"] == []
