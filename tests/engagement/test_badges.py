"""Badges as Open Badges 3.0 credentials: awarded when earned, signed with the company's key,
verified by an independent implementation and the official schema, revoked then shown
revoked, tampered then refused, still valid after a key change, written by the command line."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.management import call_command

from tests.compute.test_credentials import independently_verified, schema_errors
from tests.engagement.conftest import rate
from tremplin.compute import credentials as ob
from tremplin.engagement import badges
from tremplin.engagement.badge_models import Award, Badge

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def award(org, suggested):
    rate(org.people["seller_a"], {"T2-PROMPT": 3, "T2-VERIFY": 4})
    return Award.objects.get(badge__slug="prompt-practitioner", person=org.people["seller_a"])


def test_a_level_badge_is_awarded_when_the_levels_are_reached_and_only_then(org, suggested):
    rate(org.people["seller_b"], {"T2-PROMPT": 3, "T2-VERIFY": 2})
    assert not Award.objects.filter(person=org.people["seller_b"]).exists()
    rate(org.people["seller_b"], {"T2-VERIFY": 3})
    assert Award.objects.filter(person=org.people["seller_b"],
                                badge__slug="prompt-practitioner").count() == 1  # fmt: skip
    assert badges.award_due() == 0  # never twice


def test_the_credential_verifies_independently_and_conforms_to_the_schema(client, award):
    document = json.loads(client.get(f"/engagement/badges/credentials/{award.uid}/",
                                     {"format": "json"}).content)  # fmt: skip
    profile = client.get("/engagement/badges/issuer/").json()
    key = profile["verificationMethod"][0]["publicKeyMultibase"]
    assert ob.proof_key(document) == key
    assert independently_verified(document, key)
    assert schema_errors(document, "achievementcredential.json") == []
    assert ob.is_recipient(document, award.person.email or "") or not award.person.email
    assert document["credentialSubject"]["achievement"]["inLanguage"] == "fr"
    assert "Valid" in client.get(f"/engagement/badges/credentials/{award.uid}/").content.decode()
    key_doc = client.get(f"/engagement/badges/issuer/keys/{badges.current_key().kid}/").json()
    assert key_doc["publicKeyMultibase"] == key


def test_a_revoked_badge_is_shown_revoked_and_listed(client, org, award):
    client.get(f"/engagement/badges/credentials/{award.uid}/")  # issued
    client.force_login(org.users["employee"])
    assert client.post("/engagement/badges/", {"action": "revoke", "award": award.pk,
                                               "because": "x"}).status_code == 403  # fmt: skip
    client.force_login(org.users["lead"])
    page = client.post("/engagement/badges/", {"action": "revoke", "award": award.pk}, follow=True)
    assert "Say why" in page.content.decode()
    client.post("/engagement/badges/", {"action": "revoke", "award": award.pk, "because": "Erreur"})
    client.logout()  # anyone may check a credential (logging out forgets the language too)
    client.cookies["django_language"] = "en"
    page = client.get(f"/engagement/badges/credentials/{award.uid}/").content.decode()
    assert "Revoked by the issuer" in page and "Erreur" in page
    listed = client.get("/engagement/badges/revocations/").json()
    assert listed["revokedCredential"][0]["id"].endswith(f"/credentials/{award.uid}/")
    document = badges.credential(award)
    posted = client.post("/engagement/badges/verify/", {"text": json.dumps(document)})
    assert "Revoked by the issuer" in posted.content.decode()


def test_a_tampered_or_foreign_credential_is_refused(client, award):
    document = badges.credential(award)
    tampered = json.loads(json.dumps(document))
    tampered["credentialSubject"]["achievement"]["name"] = "Expert en tout"
    page = client.post("/engagement/badges/verify/", {"text": json.dumps(tampered)})
    assert "was altered" in page.content.decode()
    foreign = ob.sign({k: v for k, v in document.items() if k != "proof"}, ob.new_key())
    page = client.post("/engagement/badges/verify/", {"text": json.dumps(foreign)})
    assert "Not signed with a key of this issuer" in page.content.decode()
    for bad in ("not json", "[1, 2]", "[" * 100_000, json.dumps({"proof": "x"})):
        page = client.post("/engagement/badges/verify/", {"text": bad})
        assert page.status_code == 200 and "✓" not in page.content.decode()
    assert "Valid" in client.post("/engagement/badges/verify/",
                                  {"text": json.dumps(document)}).content.decode()  # fmt: skip


def test_credentials_issued_before_a_key_change_still_verify(client, org, award):
    before = badges.credential(award)
    client.force_login(org.users["lead"])
    client.post("/engagement/badges/rotate/")
    assert badges.check(before)[0] == "valid"
    assert len(client.get("/engagement/badges/issuer/").json()["verificationMethod"]) == 2


def test_the_command_writes_a_person_s_credentials(tmp_path, org, award):
    call_command("credentials", "--person", "SELLER_A", "--output", str(tmp_path / "out"))
    files = list((tmp_path / "out").glob("*.json"))
    assert len(files) == 1 and badges.check(json.loads(files[0].read_text()))[0] == "valid"
    with pytest.raises(Exception, match="No person"):
        call_command("credentials", "--person", "NOBODY", "--output", str(tmp_path))


def test_the_lead_awards_by_hand_once(client, org, suggested):
    badge = Badge.objects.get(slug="hallucination-hunter")
    client.force_login(org.users["lead"])
    data = {"action": "give", "badge": badge.pk, "employee_id": "SELLER_B"}
    client.post("/engagement/badges/", data)
    page = client.post("/engagement/badges/", data, follow=True).content.decode()
    assert "already holds" in page and Award.objects.filter(badge=badge).count() == 1
    assert client.get(f"/engagement/badges/credentials/{uuid.uuid4()}/").status_code == 404
