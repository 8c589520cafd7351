"""Open Badges 3.0 credentials: the official 1EdTech test vector reproduced, issued credentials
checked against the official JSON Schema (which is shown to reject a broken one), and every
signature checked by an independent verifier that shares no code with the signer: Oxigraph
(Rust) reads the JSON-LD and canonicalises the RDF (RDFC-1.0), libsodium (PyNaCl) checks the
Ed25519 signature, the `base58` package decodes the keys. Then what a verifier must refuse:
a changed character, another key, a proof of another kind (a JWT with alg "none" or HS256
included), a term outside the contexts; and revocation, validity dates and the recipient."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import base58
import jsonschema
import nacl.exceptions
import nacl.signing
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tremplin.compute import credentials as oc

DATA = Path(__file__).resolve().parent.parent / "data" / "openbadges"
ISSUER = "https://tremplin.example/badges/issuer"
NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


# --- The independent verifier: no import from tremplin.compute.credentials --------------

PINNED = Path(__file__).resolve().parent.parent.parent / "tremplin" / "data" / "openbadges"
CONTEXT_FILES = {  # the contexts are the specifications' documents, shared as data
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://www.w3.org/ns/cid/v1": "cid-v1.jsonld",
}


def rdfc(document):
    """RDFC-1.0 canonical N-Quads by Oxigraph, the remote contexts put inline."""
    inline = dict(document)
    inline["@context"] = [
        json.loads((PINNED / CONTEXT_FILES[url]).read_text())["@context"]
        for url in document["@context"]
    ]
    dataset = ox.Dataset(ox.parse(json.dumps(inline), format=ox.RdfFormat.JSON_LD))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode().split("\n")
    return "".join(sorted(line + "\n" for line in lines if line))


def independently_verified(credential, multikey):
    """Whether `credential` carries a valid eddsa-rdfc-2022 proof by the Ed25519 `multikey`
    (W3C vc-di-eddsa, "Verify Proof (eddsa-rdfc-2022)")."""
    raw = base58.b58decode(multikey[1:])
    assert multikey[0] == "z" and raw[:2] == b"\xed\x01"
    proofs = credential["proof"]
    (proof,) = proofs if isinstance(proofs, list) else [proofs]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    unsecured = {name: value for name, value in credential.items() if name != "proof"}
    config = {name: value for name, value in proof.items() if name != "proofValue"}
    config["@context"] = credential["@context"]
    data = hashlib.sha256(rdfc(config).encode()).digest()
    data += hashlib.sha256(rdfc(unsecured).encode()).digest()
    try:
        nacl.signing.VerifyKey(raw[2:]).verify(data, base58.b58decode(proof["proofValue"][1:]))
    except nacl.exceptions.BadSignatureError:
        return False
    return True


def schema_errors(document, schema_file):
    schema = json.loads((DATA / schema_file).read_text())
    validator = jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    return sorted(error.message for error in validator.iter_errors(document))


# --- Fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def key():
    return oc.new_key()


@pytest.fixture(scope="module")
def profile(key):
    return oc.issuer_profile(
        issuer_id=ISSUER,
        name="Acme — Ressources humaines",
        url="https://acme.example",
        email="rh@acme.example",
        public_keys=[oc.public_multibase(key)],
    )


def make_badge(**changes):
    fields = {
        "achievement_id": "https://tremplin.example/badges/achievements/prompt-fiable",
        "name": "Prompts fiables",
        "description": "Écrit des prompts qui ne divulguent rien de confidentiel.",
        "criteria": "A obtenu le niveau **3** à l'évaluation « Prompts » et l'a défendu à l'oral.",
        "language": "fr",
        "translations": {
            "en": "https://tremplin.example/badges/achievements/prompt-fiable?lang=en"
        },
        "image": "https://tremplin.example/static/badges/prompt-fiable.png",
    }
    return oc.achievement(**{**fields, **changes})


def make_credential(profile, **changes):
    fields = {
        "credential_id": "urn:uuid:0b3f1c9e-6f0e-4f3c-9a52-1d2e3f4a5b6c",
        "issuer": profile,
        "achievement": make_badge(),
        "valid_from": NOW,
        "valid_until": NOW + timedelta(days=730),
        "identifiers": [oc.email_identifier("Alice.Martin@acme.example", salt="5f2b1c")],
        "status": oc.revocation_status("https://tremplin.example/badges/revocations"),
        "evidence": [oc.evidence(name="Évaluation « Prompts »", narrative="Niveau 3 sur 4.")],
    }
    return oc.achievement_credential(**{**fields, **changes})


@pytest.fixture(scope="module")
def signed(profile, key):
    return oc.sign(make_credential(profile), key, created=NOW)


# --- The official test vector ----------------------------------------------------------

TEST_VECTOR_SEED = bytes.fromhex("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4")
TEST_VECTOR_CREDENTIAL = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "http://example.com/credentials/3527",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {
        "id": "https://example.edu/issuers/565049",
        "type": ["Profile"],
        "url": "https://www.imsglobal.org",
        "name": "Example Corp",
    },
    "validFrom": "2010-01-01T00:00:00Z",
    "name": "Teamwork Badge",
    "credentialSubject": {
        "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://example.com/achievements/21st-century-skills/teamwork",
            "type": ["Achievement"],
            "criteria": {
                "narrative": "Team members are nominated for this badge by their peers and "
                "recognized upon review by Example Corp management."
            },
            "description": "This badge recognizes the development of the capacity to "
            "collaborate within a group environment.",
            "name": "Teamwork",
        },
    },
}


def test_the_1edtech_test_vector_is_reproduced_byte_for_byte():
    """OB 3.0 implementation guide, "Linked Data Proof Test Vector for Open Badges 3.0"."""
    public = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    assert oc.public_multibase(TEST_VECTOR_SEED) == public
    expected = (DATA / "test-vector-document-canon.txt").read_bytes()
    assert oc.canonical(TEST_VECTOR_CREDENTIAL) == expected
    assert rdfc(TEST_VECTOR_CREDENTIAL).encode() == expected  # the independent peer agrees
    created = datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC)
    signed = oc.sign(TEST_VECTOR_CREDENTIAL, TEST_VECTOR_SEED, created=created)
    (proof,) = signed["proof"]
    assert proof["verificationMethod"] == f"https://example.edu/issuers/565049#{public}"
    assert proof["proofValue"] == (
        "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
    )
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    config = {"@context": TEST_VECTOR_CREDENTIAL["@context"], **options}
    assert oc.canonical(config) == (DATA / "test-vector-proof-canon.txt").read_bytes()
    assert oc.proof_key(signed) == public
    assert oc.verify(signed, public) == signed


# --- What is issued --------------------------------------------------------------------


def test_an_issued_credential_conforms_to_the_official_schema(profile, signed):
    assert schema_errors(make_credential(profile), "achievementcredential.json") == []
    assert schema_errors(signed, "achievementcredential.json") == []


def test_the_schema_check_rejects_a_planted_broken_credential(signed):
    broken = copy.deepcopy(signed)
    del broken["credentialSubject"]["achievement"]["criteria"]
    broken["validFrom"] = "1 March 2025"
    broken["credentialSubject"]["identifier"][0]["identityType"] = "shoeSize"
    errors = schema_errors(broken, "achievementcredential.json")
    assert "'criteria' is a required property" in errors
    assert "'1 March 2025' is not a 'date-time'" in errors
    assert len(errors) == 3


def test_the_issuer_profile_conforms_and_lists_every_key(key):
    retired = oc.new_key()
    profile = oc.issuer_profile(
        issuer_id=ISSUER,
        name="Acme",
        url="https://acme.example",
        public_keys=[oc.public_multibase(key), oc.public_multibase(retired)],
    )
    assert schema_errors(profile, "profile.json") == []
    assert profile["assertionMethod"] == [
        f"{ISSUER}#{oc.public_multibase(key)}",
        f"{ISSUER}#{oc.public_multibase(retired)}",
    ]
    assert [method["type"] for method in profile["verificationMethod"]] == ["Multikey"] * 2
    # Valid JSON-LD through its contexts, for both implementations.
    assert oc.canonical(profile).decode() == rdfc(profile)
    old = oc.sign(make_credential(profile), retired, created=NOW)
    assert oc.verify(old, oc.public_multibase(retired))["id"] == old["id"]


def test_the_credential_is_in_one_language_and_links_its_translation(signed):
    badge = signed["credentialSubject"]["achievement"]
    assert badge["inLanguage"] == "fr"
    assert badge["related"] == [
        {
            "id": "https://tremplin.example/badges/achievements/prompt-fiable?lang=en",
            "type": ["Related"],
            "inLanguage": "en",
        }
    ]
    with pytest.raises(ValueError, match="BCP 47"):
        make_badge(language="French")


def test_the_recipient_is_named_only_by_a_salted_hash(signed):
    text = json.dumps(signed)
    assert "alice" not in text.lower()
    assert oc.is_recipient(signed, "alice.martin@acme.example")
    assert oc.is_recipient(signed, " Alice.Martin@ACME.example ")
    assert not oc.is_recipient(signed, "bob@acme.example")


def test_the_identity_hash_follows_the_spec_example():
    """OB 3.0 IdentityHash: 'a@example.com' salted with 'Kosher'."""
    identifier = oc.email_identifier("a@example.com", salt="Kosher")
    assert identifier["identityHash"] == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
    )


def test_a_credential_names_its_recipient(profile):
    with pytest.raises(ValueError, match="recipient"):
        make_credential(profile, identifiers=[])
    by_wallet = make_credential(profile, identifiers=[], subject_id="did:example:alice")
    assert by_wallet["credentialSubject"]["id"] == "did:example:alice"
    with pytest.raises(ValueError, match="time zone"):
        make_credential(profile, valid_from=datetime(2025, 3, 1, 9, 30))


def test_control_characters_pasted_into_a_text_are_replaced(profile, key):
    badge = make_badge(name="Tableur\x0bavancé", description="d\x00")
    assert badge["name"] == "Tableur avancé"
    credential = make_credential(profile, achievement=badge)
    assert independently_verified(oc.sign(credential, key, created=NOW), oc.public_multibase(key))
    credential["name"] = "raw\x0cform feed"
    with pytest.raises(oc.MalformedCredential, match="control character"):
        oc.sign(credential, key)


# --- Signatures checked by the independent verifier ------------------------------------


def test_the_independent_verifier_accepts_our_signature(signed, key):
    assert independently_verified(signed, oc.public_multibase(key))
    assert oc.verify(signed, oc.public_multibase(key)) == signed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(min_size=1, max_size=40),
    description=st.text(max_size=80),
    criteria=st.text(min_size=1, max_size=80),
)
def test_any_text_is_signed_so_that_the_independent_verifier_agrees(
    profile, key, name, description, criteria
):
    badge = make_badge(name=name, description=description, criteria=criteria, language="en")
    signed = oc.sign(make_credential(profile, achievement=badge), key, created=NOW)
    assert independently_verified(signed, oc.public_multibase(key))


TAMPERINGS = {
    "recipient": lambda c: c["credentialSubject"]["identifier"][0].update(
        identityHash=c["credentialSubject"]["identifier"][0]["identityHash"][:-1] + "0"
    ),
    "achievement name": lambda c: c["credentialSubject"]["achievement"].update(
        name="Prompts fiablez"
    ),
    "criteria": lambda c: c["credentialSubject"]["achievement"]["criteria"].update(
        narrative=c["credentialSubject"]["achievement"]["criteria"]["narrative"].replace("3", "4")
    ),
    "valid from": lambda c: c.update(validFrom="2025-03-01T09:30:01Z"),
    "valid until": lambda c: c.update(validUntil=c["validUntil"].replace("2027", "2037")),
    "issuer": lambda c: c["issuer"].update(name="Acme — Ressources humainez"),
    "evidence": lambda c: c["evidence"][0].update(narrative="Niveau 4 sur 4."),
    "revocation list": lambda c: c["credentialStatus"].update(id="https://evil.example/none"),
    "proof date": lambda c: c["proof"][0].update(created="2025-03-01T09:30:01Z"),
}


@pytest.mark.parametrize("tampering", TAMPERINGS, ids=list(TAMPERINGS))
def test_one_changed_character_breaks_the_signature(signed, key, tampering):
    tampered = copy.deepcopy(signed)
    TAMPERINGS[tampering](tampered)
    assert tampered != signed
    assert not independently_verified(tampered, oc.public_multibase(key))
    with pytest.raises(oc.BadSignature) as raised:
        oc.verify(tampered, oc.public_multibase(key))
    assert raised.value.code == "bad-signature"


def test_the_key_a_proof_names_is_read_to_pick_among_the_published_ones(signed, key):
    assert oc.proof_key(signed) == oc.public_multibase(key)
    for proof in ([], [{"verificationMethod": f"{ISSUER}#key-1"}]):
        with pytest.raises(oc.MalformedCredential):
            oc.proof_key({**signed, "proof": proof})


def test_another_key_is_refused(signed):
    stranger = oc.public_multibase(oc.new_key())
    with pytest.raises(oc.WrongKey) as raised:
        oc.verify(signed, stranger)
    assert raised.value.code == "wrong-key"
    assert not independently_verified(signed, stranger)


def test_a_signature_in_the_issuers_name_by_someone_else_is_refused(profile, key):
    forged = oc.sign(make_credential(profile), oc.new_key(), created=NOW)
    forged["proof"][0]["verificationMethod"] = f"{ISSUER}#{oc.public_multibase(key)}"
    with pytest.raises(oc.BadSignature):
        oc.verify(forged, oc.public_multibase(key))
    assert not independently_verified(forged, oc.public_multibase(key))


def _jwt(header, payload, signature=b""):
    def part(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join(
        [part(json.dumps(header).encode()), part(json.dumps(payload).encode()), part(signature)]
    )


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_a_jwt_credential_is_refused_whatever_its_alg(signed, key, alg):
    """The verifier chooses the proof method: a VC-JWT, here with alg "none" or an HS256 MAC
    keyed with the public key (the classic confusion), is not accepted, embedded or alone."""
    payload = {name: value for name, value in signed.items() if name != "proof"}
    secret = oc.public_multibase(key).encode()
    token = _jwt({"alg": alg, "typ": "JWT"}, payload, b"" if alg == "none" else secret)
    with pytest.raises(oc.MalformedCredential):
        oc.verify(token, oc.public_multibase(key))  # type: ignore[arg-type]
    wrapped = {**payload, "proof": [{"type": "JwtProof2020", "jwt": token}]}
    with pytest.raises(oc.MalformedCredential, match="DataIntegrityProof"):
        oc.verify(wrapped, oc.public_multibase(key))


PROOF_CHANGES = {
    "another cryptosuite": {"cryptosuite": "eddsa-jcs-2022"},
    "cryptosuite none": {"cryptosuite": "none"},
    "legacy proof type": {"type": "Ed25519Signature2020"},
    "another purpose": {"proofPurpose": "authentication"},
    "garbled signature": {"proofValue": "z3" + "1" * 20},
    "signature not multibase": {"proofValue": "5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbz"},
}


@pytest.mark.parametrize("change", PROOF_CHANGES, ids=list(PROOF_CHANGES))
def test_a_proof_of_another_kind_is_refused(signed, key, change):
    altered = copy.deepcopy(signed)
    altered["proof"][0].update(PROOF_CHANGES[change])
    with pytest.raises(oc.MalformedCredential) as raised:
        oc.verify(altered, oc.public_multibase(key))
    assert raised.value.code == "malformed"


def test_no_proof_or_two_proofs_are_refused(signed, key):
    for proofs in ([], signed["proof"] * 2, None):
        altered = {**signed, "proof": proofs}
        with pytest.raises(oc.MalformedCredential, match="exactly one proof"):
            oc.verify(altered, oc.public_multibase(key))


def test_a_property_outside_the_contexts_is_refused_not_ignored(profile, signed, key):
    """JSON-LD would drop it from what is signed: adding one after signing must not pass."""
    added = {**copy.deepcopy(signed), "bonus": "Promotion accordée"}
    with pytest.raises(oc.MalformedCredential, match="'bonus' is not defined"):
        oc.verify(added, oc.public_multibase(key))
    with pytest.raises(oc.MalformedCredential, match="not defined"):
        oc.sign({**make_credential(profile), "bonus": "x"}, key)
    untyped = copy.deepcopy(signed)
    untyped["credentialStatus"]["type"] = "MyRevocationList"
    with pytest.raises(oc.MalformedCredential, match="'MyRevocationList' is neither a term"):
        oc.verify(untyped, oc.public_multibase(key))


def test_a_context_outside_the_pinned_ones_is_refused_not_fetched(signed, key, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr("socket.socket.connect", no_network)
    altered = copy.deepcopy(signed)
    altered["@context"].append("https://evil.example/context.json")
    with pytest.raises(oc.MalformedCredential, match="not one of the pinned contexts"):
        oc.verify(altered, oc.public_multibase(key))


def test_a_private_key_is_never_taken_for_a_public_one(key):
    with pytest.raises(ValueError, match="Multikey"):
        oc.issuer_profile(issuer_id=ISSUER, name="A", url="https://a.ex", public_keys=[key.hex()])
    with pytest.raises(ValueError, match="32 bytes"):
        oc.public_multibase(key + b"\0")


def test_the_jwk_is_the_public_key_without_the_private_part(key):
    jwk = oc.public_jwk(key)
    assert set(jwk) == {"kty", "crv", "x"}
    raw = base64.urlsafe_b64decode(jwk["x"] + "=")
    assert base58.b58decode(oc.public_multibase(key)[1:])[2:] == raw
    assert nacl.signing.SigningKey(key).verify_key.encode() == raw


# --- Dates and revocation --------------------------------------------------------------


def test_validity_follows_the_dates(signed):
    assert oc.validity(signed, now=NOW - timedelta(seconds=1)) == oc.NOT_YET_VALID
    assert oc.validity(signed, now=NOW) == oc.VALID
    assert oc.validity(signed, now=NOW + timedelta(days=731)) == oc.EXPIRED


def test_a_revoked_credential_is_detected(signed):
    revocations = oc.revocation_list(
        list_id="https://tremplin.example/badges/revocations",
        issuer_id=ISSUER,
        revoked=["urn:uuid:other", signed["id"]],
        reasons={signed["id"]: "Issued to the wrong person."},
    )
    assert revocations["revokedCredential"][0] == {
        "id": "urn:uuid:0b3f1c9e-6f0e-4f3c-9a52-1d2e3f4a5b6c",
        "revoked": True,
        "revocationReason": "Issued to the wrong person.",
    }
    assert oc.is_revoked(signed, revocations)
    assert not oc.is_revoked(signed, {**revocations, "revokedCredential": [{"id": "urn:x"}]})


def test_a_reinstated_credential_is_not_revoked(signed):
    reinstated = {
        "id": "https://tremplin.example/badges/revocations",
        "issuer": ISSUER,
        "revokedCredential": [{"id": signed["id"], "revoked": False}],
    }
    assert not oc.is_revoked(signed, reinstated)
    draft = {"id": reinstated["id"], "revokedCredentials": [{"id": signed["id"]}]}  # 2022 draft
    assert oc.is_revoked(signed, draft)


def test_a_revocation_list_must_be_the_credentials_own(signed, profile):
    elsewhere = oc.revocation_list(list_id="https://evil.example/l", issuer_id=ISSUER, revoked=[])
    with pytest.raises(ValueError, match="the credential points to"):
        oc.is_revoked(signed, elsewhere)
    foreign = oc.revocation_list(
        list_id="https://tremplin.example/badges/revocations",
        issuer_id="https://other.example/issuer",
        revoked=[signed["id"]],
    )
    with pytest.raises(ValueError, match="another issuer"):
        oc.is_revoked(signed, foreign)
    without_status = make_credential(profile, status=None)
    assert not oc.is_revoked(without_status, elsewhere)
