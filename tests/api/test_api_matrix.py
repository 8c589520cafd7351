"""Every API operation × every role (and a service token) × holding its scope or not: the
answer its rule gives, on the reader's own record, one in a manager's line and one outside it.
An operation added without a rule here fails the first test."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tremplin.api.models import SCOPES
from tremplin.api.routes import api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ROLES = ["lead", "executive", "manager", "employee", "ambassador", "cse", "service"]
EVERYONE = set(ROLES)
LEADS = {"lead", "service"}
# (method, path) -> (scope, who: a set of roles, or "person" for the pages' visibility rule)
RULES = {
    ("GET", "/api/v1/people"): ("people:read", EVERYONE),
    ("GET", "/api/v1/people/{employee_id}"): ("people:read", "person"),
    ("POST", "/api/v1/people/bulk"): ("people:write", LEADS),
    ("GET", "/api/v1/org-units"): ("people:read", EVERYONE),
    ("GET", "/api/v1/framework"): ("framework:read", EVERYONE),
    ("GET", "/api/v1/ratings"): ("ratings:read", EVERYONE),
    ("POST", "/api/v1/ratings"): ("ratings:write", "rater"),
    ("GET", "/api/v1/people/{employee_id}/levels"): ("levels:read", "person"),
    ("GET", "/api/v1/people/{employee_id}/gaps"): ("levels:read", "person"),
    ("GET", "/api/v1/people/{employee_id}/plans"): ("plans:read", "person"),
    ("POST", "/api/v1/completions"): ("completions:write", LEADS),
    ("POST", "/api/v1/completions/file"): ("completions:write", LEADS),
    ("POST", "/api/v1/xapi/statements"): ("completions:write", LEADS),
    ("POST", "/api/v1/usage"): ("usage:write", LEADS),
    ("GET", "/api/v1/publications"): ("publications:read", EVERYONE),
    ("GET", "/api/v1/publications/{audience}"): ("publications:read", {"lead", "service", "cse"}),
}
SUBJECTS = {"own": None, "line": "SELLER_B", "outside": "ACCOUNTANT"}


def test_every_operation_has_a_rule(framework):
    paths = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    found = {(m.upper(), p) for p, ops in paths.items() for m in ops}
    assert found == set(RULES)


def _own(org, role):
    return "HR" if role == "service" else org.users[role].person.employee_id


def _may(org, role, rule, subject):
    if rule == "person":
        if role in LEADS:
            return True
        own = _own(org, role)
        return subject == own or (
            role == "manager" and subject in {"SELLER_B", "SELLER_A", "TEAM_LEAD"}
        )
    if rule == "rater":  # a manager rating their line; the body below names seller B
        return role == "manager" and subject == "SELLER_B"
    return role in rule


def _body(path, subject):
    if path.endswith("/ratings"):
        return {"person": subject, "competence": "NOPE", "level": 2, "source": "manager"}
    if path.endswith("/people/bulk"):
        return {"people": []}
    if path.endswith("/completions"):
        return {"completions": []}
    if path.endswith("/statements"):
        return []
    if path.endswith("/usage"):
        return {"rows": []}
    return None


@pytest.fixture(autouse=True)
def framework(org):
    from tremplin.skills.services import load_default_framework

    return load_default_framework()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scoped", [True, False], ids=["scoped", "unscoped"])
def test_each_role_and_scope_gets_what_its_rule_gives(client, org, bearer, role, scoped):
    for (method, path), (scope, rule) in RULES.items():
        scopes = [scope] if scoped else [s for s in SCOPES if s != scope]
        headers = bearer(role, *scopes)
        for which, subject in SUBJECTS.items():
            subject = subject or _own(org, role)
            url = path.replace("{employee_id}", subject).replace("{audience}", "cse")
            if method == "GET":
                answer = client.get(url, **headers)
            elif path.endswith("/file"):
                sent = SimpleUploadedFile("c.csv", b"Matricule;Code module;Date de fin\n")
                answer = client.post(url, {"file": sent}, **headers)
            else:
                answer = client.post(
                    url, _body(path, subject), content_type="application/json", **headers
                )
            allowed = scoped and _may(org, role, rule, subject)
            where = f"{role} {method} {url} ({which}, {'scoped' if scoped else 'unscoped'})"
            assert answer.status_code < 500, where
            if not scoped:
                assert answer.status_code == 403, where
            elif allowed:  # allowed: success, or the body's own problem (an empty file …)
                assert answer.status_code in (200, 201, 404, 422), where
                if path.endswith("{audience}"):
                    assert answer.status_code == 404, where  # no snapshot yet: not published
                elif method == "GET":
                    assert answer.status_code == 200, where
            else:
                assert answer.status_code in (403, 404), where
            if rule not in ("person", "rater"):
                break  # no subject in the path: once is enough
