"""Completions from a learning platform (JSON, xAPI statements, a CSV), ratings written with
their provenance, levels, gaps and plans read as the pages show them."""

from __future__ import annotations

import datetime

import pytest

from tremplin.assessments.models import CurrentLevel, Rating, Source
from tremplin.learning.catalogue import load_default_catalogue
from tremplin.learning.models import Completion, Module
from tremplin.skills.services import load_default_framework

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


@pytest.fixture
def catalogue(org):
    load_default_framework()
    load_default_catalogue()
    module = Module.objects.filter(raises__from_level=0).order_by("code").first()
    module.xapi_activity = "https://lms.example.com/activities/" + module.code
    module.save(update_fields=["xapi_activity"])
    return module


def _statement(sid, who, module, verb=COMPLETED, success=True):
    return {
        "id": sid,
        "actor": {"mbox": f"mailto:{who}"},
        "verb": {"id": verb},
        "object": {"id": module.xapi_activity},
        "result": {"success": success, "score": {"scaled": 0.8}},
        "timestamp": "2026-11-30T10:00:00+01:00",
    }


def test_a_completion_writes_a_training_rating_once(client, org, bearer, catalogue):
    headers = bearer("service", "completions:write")
    body = {
        "completions": [
            {
                "module": catalogue.code,
                "employee_id": "SELLER_A",
                "completed_on": "2026-11-20",
                "score": 0.9,
                "reference": "lms-1",
            }
        ]
    }
    first = client.post("/api/v1/completions", body, content_type="application/json", **headers)
    assert first.json() == {"recorded": 1, "already": 0}, first.content
    assert Rating.objects.filter(
        person=org.people["seller_a"], source=Source.TRAINING, assessor=None
    ).exists()
    again = client.post("/api/v1/completions", body, content_type="application/json", **headers)
    assert again.json() == {"recorded": 0, "already": 1}
    assert Completion.objects.count() == 1


def test_unknown_people_or_modules_and_future_dates_write_nothing(client, org, bearer, catalogue):
    headers = bearer("service", "completions:write")
    rows = [
        {"module": catalogue.code, "employee_id": "SELLER_A", "completed_on": "2026-11-20"},
        {"module": "NOPE", "email": "nobody@example.com", "completed_on": "2026-11-20"},
    ]
    answer = client.post(
        "/api/v1/completions", {"completions": rows}, content_type="application/json", **headers
    )
    assert answer.status_code == 422
    assert {(e["index"], e["field"]) for e in answer.json()["errors"]} == {
        (1, "person"),
        (1, "module"),
    }
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    answer = client.post(
        "/api/v1/completions",
        {"completions": [dict(rows[0], completed_on=future)]},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 422 and "future" in answer.json()["detail"]
    assert not Completion.objects.exists() and not Rating.objects.exists()
    employee = bearer("employee", "completions:write")
    assert (
        client.post(
            "/api/v1/completions",
            {"completions": rows[:1]},
            content_type="application/json",
            **employee,
        ).status_code
        == 403
    )


def test_xapi_statements_complete_modules_other_verbs_pass_through(client, org, bearer, catalogue):
    seller = org.people["seller_a"]
    seller.email = "seller@example.com"
    seller.save(update_fields=["email"])
    headers = bearer("service", "completions:write")
    statements = [
        _statement("0d6c3a4e-0000-4000-8000-000000000001", seller.email, catalogue),
        _statement(
            "0d6c3a4e-0000-4000-8000-000000000002",
            seller.email,
            catalogue,
            verb="http://adlnet.gov/expapi/verbs/launched",
        ),
        _statement(
            "0d6c3a4e-0000-4000-8000-000000000003",
            seller.email,
            catalogue,
            verb="http://adlnet.gov/expapi/verbs/passed",
            success=False,
        ),
    ]
    answer = client.post(
        "/api/v1/xapi/statements", statements, content_type="application/json", **headers
    )
    assert answer.status_code == 200 and len(answer.json()) == 3, answer.content
    assert Completion.objects.get().reference == statements[0]["id"]
    assert Completion.objects.get().score == 0.8
    unknown = dict(
        statements[0],
        id="0d6c3a4e-0000-4000-8000-000000000009",
        object={"id": "https://lms.example.com/activities/unknown"},
    )
    answer = client.post(
        "/api/v1/xapi/statements", [unknown], content_type="application/json", **headers
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "module"
    assert Completion.objects.count() == 1


def test_a_completions_file_is_read_with_the_upload_limits(client, org, bearer, catalogue):
    headers = bearer("service", "completions:write")
    content = (
        f"Matricule;Code module;Date de fin;Note\nSELLER_B;{catalogue.code};20/11/2026;85\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        "/api/v1/completions/file",
        {"file": SimpleUploadedFile("completions.csv", content, "text/csv")},
        **headers,
    )
    assert answer.json() == {"recorded": 1, "already": 0}, answer.content
    assert Completion.objects.get().score == 0.85
    bad = b"Matricule;Code module;Date de fin\nSELLER_B;" + catalogue.code.encode() + b";hier\n"
    answer = client.post(
        "/api/v1/completions/file",
        {"file": SimpleUploadedFile("c.csv", bad, "text/csv")},
        **headers,
    )
    assert answer.status_code == 422 and "hier" in answer.json()["errors"][0]["message"]
    answer = client.post(
        "/api/v1/completions/file",
        {"file": SimpleUploadedFile("c.xlsx", b"not a workbook", "text/csv")},
        **headers,
    )
    assert answer.status_code == 422


def test_ratings_levels_gaps_as_the_pages_allow(client, org, bearer, catalogue):
    competence = catalogue.raises.first().competence.code
    rating = {
        "person": "SELLER_B",
        "competence": competence,
        "level": 2,
        "source": "manager",
        "evidence_text": "Automated the weekly report",
    }
    employee = bearer("employee", "ratings:write", "ratings:read", "levels:read")
    assert (
        client.post(
            "/api/v1/ratings", rating, content_type="application/json", **employee
        ).status_code
        == 404
    )  # not someone they see
    manager = bearer("manager", "ratings:write", "ratings:read", "levels:read", "plans:read")
    answer = client.post("/api/v1/ratings", rating, content_type="application/json", **manager)
    assert answer.status_code == 201 and answer.json()["assessor"] == "SALES_DIRECTOR"
    self_rating = dict(rating, source="self")
    assert (
        client.post(
            "/api/v1/ratings", self_rating, content_type="application/json", **manager
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/ratings", dict(rating, level=7), content_type="application/json", **manager
        ).status_code
        == 422
    )
    for link in ("javascript:alert(document.domain)//", "data:text/html,x", "ftp://x.fr/a"):
        refused = client.post("/api/v1/ratings", dict(rating, evidence_url=link),
                              content_type="application/json", **manager)  # fmt: skip
        assert refused.status_code == 422 and "http" in refused.json()["detail"], link
    levels = client.get("/api/v1/people/SELLER_B/levels", **manager).json()
    assert [(lv["competence"], lv["level"]) for lv in levels] == [(competence, 2)]
    assert CurrentLevel.objects.get(person=org.people["seller_b"]).level == 2
    assert client.get("/api/v1/ratings", **employee).json()["count"] == 0
    assert client.get("/api/v1/ratings?person=SELLER_B", **manager).json()["count"] == 1
    assert client.get("/api/v1/people/SELLER_B/gaps", **manager).status_code == 200
    assert client.get("/api/v1/people/SELLER_B/plans", **manager).json() == []
    assert client.get("/api/v1/people/SELLER_B/levels", **employee).status_code == 404
    assert client.get("/api/v1/framework", **bearer("employee", "framework:read")).json()[
        "competences"
    ]


def test_usage_rows_are_upserted_all_or_nothing(client, org, bearer):
    headers = bearer("service", "usage:write")
    rows = [
        {"employee_id": "SELLER_A", "tool": "Copilot", "day": "2026-11-30", "actions": 4},
        {"unit": "FIN", "tool": "Copilot", "day": "2026-11-30", "active": 2, "actions": 9},
    ]
    first = client.post("/api/v1/usage", {"rows": rows}, content_type="application/json", **headers)
    assert first.json() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}, first.content
    rows[0]["actions"] = 5
    again = client.post("/api/v1/usage", {"rows": rows}, content_type="application/json", **headers)
    assert again.json()["updated"] == 1 and again.json()["unchanged"] == 1
    bad = [*rows, {"email": "nobody@example.com", "tool": "Copilot", "day": "2026-11-30"}]
    answer = client.post("/api/v1/usage", {"rows": bad}, content_type="application/json", **headers)
    assert answer.status_code == 422 and answer.json()["errors"][0]["index"] == 2
    key = {"HTTP_IDEMPOTENCY_KEY": "usage-refused"}  # kept in a JSON column, sent again as sent
    sent = [client.post("/api/v1/usage", {"rows": bad}, content_type="application/json",
                        **headers, **key).content for _ in range(2)]  # fmt: skip
    assert sent[0] == sent[1] and b'"index": 2, "field"' in sent[0]
    from tremplin.insights.models import UsageDay

    assert UsageDay.objects.get(person=org.people["seller_a"]).actions == 5


def test_a_usage_body_out_of_shape_is_refused_clearly(client, org, bearer):
    """The rows are checked once, by the writer: what pydantic refused before must still be
    refused, with the row and field named, and no body can cause a server error."""
    headers = bearer("service", "usage:write")

    def send(body, content_type="application/json"):
        return client.post("/api/v1/usage", body, content_type=content_type, **headers)

    assert send(b"{not json").status_code == 400
    assert send(b"[" * 100_000 + b"]" * 100_000).status_code == 400
    for body in ({}, {"rows": "x"}, [1], {"rows": {"a": 1}}):
        answer = send(body)
        assert answer.status_code == 422, body
        assert answer.json()["errors"][0]["where"] == "body.rows"
    too_many = send({"rows": [{}] * 100_001})
    assert too_many.status_code == 422 and "100" in too_many.json()["errors"][0]["message"]
    odd = [
        {"employee_id": "SELLER_A", "tool": "Copilot", "day": ["2026-11-30"]},
        {"employee_id": "SELLER_A", "tool": 7, "day": "2026-11-30"},
        {"employee_id": "SELLER_A", "tool": "Copilot", "day": 20261130},
        {"employee_id": "SELLER_A", "tool": "Copilot", "day": "2026-11-29", "actions": 1.5},
        {"employee_id": "SELLER_A", "tool": "Copilot", "day": "2026-11-28", "active": 2},
        "a row",
        {"tool": "Copilot", "day": "2026-11-27"},
    ]
    answer = send({"rows": odd})
    assert answer.status_code == 422
    found = {(e["index"], e["field"]) for e in answer.json()["errors"]}
    assert found == {(0, "day"), (1, "tool"), (2, "day"), (3, "actions"), (4, "active"),
                     (5, ""), (6, "employee_id/email/unit")}  # fmt: skip
    from tremplin.insights.models import UsageDay

    assert not UsageDay.objects.exists()
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/usage"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["properties"]["rows"]["maxItems"]


def test_an_xapi_timestamp_in_utc_is_the_day_it_was_here(client, org, bearer, catalogue):
    """Finished at 00:30 in Paris, sent as 23:30 UTC the day before: recorded on the Paris day
    (it was the day before, the year before on the night of 31 December)."""
    seller = org.people["seller_a"]
    seller.email = "seller@example.com"
    seller.save(update_fields=["email"])
    statement = _statement("0d6c3a4e-0000-4000-8000-000000000010", seller.email, catalogue)
    statement["timestamp"] = "2025-12-31T23:30:00Z"
    answer = client.post("/api/v1/xapi/statements", [statement], content_type="application/json",
                         **bearer("service", "completions:write"))  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert Completion.objects.get().completed_on == datetime.date(2026, 1, 1)
