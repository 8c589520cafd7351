"""Tokens managed by the programme lead on their page (shown once, revoked at once) and by
`tremplin token create` (printed once)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tremplin.api.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_lead_creates_a_token_sees_it_once_and_revokes_it(client, org):
    client.force_login(org.users["lead"])
    page = client.post(
        "/api/tokens/",
        {
            "name": "HRIS sync",
            "kind": "service",
            "scopes": ["people:read", "people:write"],
            "days": "30",
        },
    )
    text = page.context["created"]
    assert text.startswith("tpl_") and text in page.content.decode()
    assert text not in client.get("/api/tokens/").content.decode()  # never shown again
    token = ApiToken.objects.get()
    assert token.kind == "service" and token.user.username.startswith("service-")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {text}"}
    assert client.get("/api/v1/people", **headers).status_code == 200
    client.post("/api/tokens/", {"action": "revoke", "token": token.pk})
    assert client.get("/api/v1/people", **headers).status_code == 401
    refused = client.post(
        "/api/tokens/", {"name": "x", "kind": "personal", "scopes": ["people:read"]}, follow=True
    )
    assert "acts as someone" in refused.content.decode()
    for who in ("manager", "employee", "cse", "executive"):
        client.force_login(org.users[who])
        assert client.get("/api/tokens/").status_code == 403


def test_the_command_prints_a_personal_token_once(org):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "token",
        "create",
        "--user",
        "manager",
        "--scope",
        "people:read",
        "--expires",
        "7",
        stdout=out,
        stderr=err,
    )
    text = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert text.startswith(f"tpl_{token.prefix}_") and token.user == org.users["manager"]
    assert token.expires_at is not None and "shown once" in err.getvalue()
    with pytest.raises(CommandError, match="No account"):
        call_command("token", "create", "--user", "nobody", "--scope", "people:read")
    with pytest.raises(CommandError, match="at least one scope"):
        call_command("token", "create", "--service", "LMS")
