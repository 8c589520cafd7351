"""The prompt coach's page: what a prompt has and lacks, confidential items named, the lead's
client list used; nothing kept."""

from __future__ import annotations

import pytest

from tremplin.engagement.models import CoachSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_prompt_is_checked_and_its_confidential_items_named(client, org):
    client.force_login(org.users["lead"])
    client.post("/engagement/prompt-coach/", {"clients": "Clinique du Parc\nGroupe Atlantique"})
    assert CoachSettings.current().client_names() == ["Clinique du Parc", "Groupe Atlantique"]
    client.force_login(org.users["employee"])
    page = client.post("/engagement/prompt-coach/", {
        "prompt": "Write an e-mail to the clinique du parc about invoice FR76 3000 6000 0112 "
                  "3456 7890 189, in three bullet points.",
    }).content.decode()  # fmt: skip
    assert "2 confidential items: remove them before sending." in page
    assert "Bank account (IBAN)" in page and "Client name" in page
    assert "An expected format" in page.split("It could add")[0]  # it has a format
    assert "Context" in page.split("It could add")[1]  # and lacks context


def test_only_the_lead_sets_the_client_names(client, org):
    client.force_login(org.users["employee"])
    client.post("/engagement/prompt-coach/", {"clients": "Secret SA"})
    assert CoachSettings.current().client_names() == []


def test_an_empty_or_huge_prompt_is_refused_with_a_message(client, org):
    client.force_login(org.users["employee"])
    assert (
        "This field is required."
        in client.post("/engagement/prompt-coach/", {"prompt": ""}).content.decode()
    )
    page = client.post("/engagement/prompt-coach/", {"prompt": "x" * 20_001}).content.decode()
    assert "at most 20000 characters" in page
