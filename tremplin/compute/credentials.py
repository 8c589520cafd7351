"""Open Badges 3.0 credentials: built, signed with Ed25519 and verified, offline.

**What is issued.** An `OpenBadgeCredential` of 1EdTech Open Badges 3.0 (a W3C Verifiable
Credential 2.0): an issuer Profile, an Achievement (Tremplin's badge: name, description,
criteria), the recipient, the validity dates, the revocation list it can be checked against,
and the official JSON Schema it conforms to (`credentialSchema`).

**The proof.** OB 3.0 (§8 "Proofs") allows a VC-JWT, whose `alg` "MUST be RS256 as a minimum"
(others are "permitted but their use limits interoperability"), and an embedded Linked Data
proof, for which 1EdTech's conformance suite accepts only the EdDSA cryptosuites
(VC-DI-EDDSA); its implementation guide names `DataIntegrityProof` with `eddsa-rdfc-2022` and
publishes a test vector. A signature with Ed25519 that OB 3.0 verifiers accept is therefore an
embedded `DataIntegrityProof`, cryptosuite `eddsa-rdfc-2022`: the credential and the proof
options are read as RDF through their JSON-LD contexts, canonicalised (RDFC-1.0), each hashed
with SHA-256, and the two hashes signed. A JWT signed with EdDSA (outside the conformance
profile) and `eddsa-jcs-2022` (not named by OB 3.0) were set aside. This module reproduces the
1EdTech test vector byte for byte, and its signatures are checked in the tests by another RDF
canonicaliser and another Ed25519 implementation.

**Offline.** The JSON-LD contexts are pinned copies in `tremplin/data/openbadges/` (see its
README); a context outside them is refused, never fetched. Processing is strict: a property
or type that the contexts do not define would silently leave the canonical form, so it would
not be signed; it is refused when signing and when verifying, as is a control character
(other than tab and line breaks), which PyLD does not escape as canonical N-Quads do.

**Keys.** A private key is the 32-byte Ed25519 seed (`bytes`); a public key is always its
Multikey text (`z6Mk…`), so the two cannot be mixed up. The verification method is
`<issuer id>#<multikey>` (the form of the 1EdTech test vector, which the 1EdTech validator
reads without fetching anything); the issuer Profile served at the issuer id lists every key
ever used, so a credential stays verifiable after a key change.

**Recipient.** `credentialSubject.id` (a wallet's DID or any URI) and/or an `identifier`: the
salted SHA-256 of the e-mail address (OB 3.0 IdentityObject), which names nobody to whoever
reads the credential but lets someone who knows the address check it (`is_recipient`).

**Languages.** OB 3.0 has one language per Achievement (`inLanguage`, BCP 47) and links
translations as `related` achievements. A credential is issued in the recipient's language and
names the other language versions of its achievement.

**Revocation.** The status method OB 3.0 names, the 1EdTech Revocation List (VCRL 1.0):
`credentialStatus` is `{id: <list URL>, type: "1EdTechRevocationList"}` and the list served at
that URL is `{id, issuer, revokedCredential: [{id, revoked, revocationReason?}]}`. The field
name is the one the 1EdTech validator reads; `is_revoked` also reads the `revokedCredentials`
of the 2022 draft.

Failures are `InvalidCredential` subclasses whose `code` the page translates; `validity`
returns a code too.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import secrets
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyld import jsonld
from pyld.context_resolver import ContextResolver

Json = dict[str, Any]

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Defines 1EdTechRevocationList and 1EdTechJsonSchemaValidator2019, as in the spec's complete
# example; without it those types would be relative IRIs, outside the signature.
OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"  # verificationMethod, assertionMethod, Multikey
CREDENTIAL_CONTEXTS = (VC_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT)
PROFILE_CONTEXTS = (VC_CONTEXT, OB_CONTEXT, CID_CONTEXT)
CONTEXT_FILES = {
    VC_CONTEXT: "credentials-v2.jsonld",
    OB_CONTEXT: "ob-v3p0-context-3.0.3.json",
    OB_EXTENSIONS_CONTEXT: "ob-v3p0-extensions.json",
    CID_CONTEXT: "cid-v1.jsonld",
}
CONTEXT_DIR = Path(__file__).resolve().parent.parent / "data" / "openbadges"

ACHIEVEMENT_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"
PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
REVOCATION_LIST = "1EdTechRevocationList"

# Codes of `validity`.
VALID = "valid"
NOT_YET_VALID = "not-yet-valid"
EXPIRED = "expired"

ED25519_MULTICODEC = b"\xed\x01"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# Canonical N-Quads (RDFC-1.0) escape these as \b, \f and \uXXXX; PyLD writes them raw.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LANGUAGE = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")  # OB 3.0 schema
ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:|_:)")


class InvalidCredential(Exception):
    """A credential that cannot be trusted; `code` says why, for the page to translate."""

    code = "invalid"


class MalformedCredential(InvalidCredential):
    """Not an Open Badges 3.0 credential this module can read: a field missing or of the wrong
    kind, a term or context outside the pinned ones, a proof of another kind."""

    code = "malformed"


class WrongKey(InvalidCredential):
    """The proof names a key other than the one the verifier trusts."""

    code = "wrong-key"


class BadSignature(InvalidCredential):
    """The signature does not match: the credential was changed after signing, or signed by
    someone else in the issuer's name."""

    code = "bad-signature"


# --- Keys ---------------------------------------------------------------------------------


def new_key() -> bytes:
    """A new Ed25519 private key: its 32-byte seed, to be kept secret."""
    return Ed25519PrivateKey.generate().private_bytes_raw()


def public_multibase(private_key: bytes) -> str:
    """The public key of `private_key` as a Multikey (`z6Mk…`: base58btc of 0xed01 + key)."""
    raw = _private(private_key).public_key().public_bytes_raw()
    return "z" + _base58(ED25519_MULTICODEC + raw)


def public_jwk(private_key: bytes) -> dict[str, str]:
    """The public key of `private_key` as a JSON Web Key (RFC 8037), for a JWKS; no `d`."""
    raw = _private(private_key).public_key().public_bytes_raw()
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
    }


def verification_method(issuer_id: str, public_key: str) -> str:
    """The id of the issuer's key, as the proof names it and the Profile lists it."""
    _public(public_key)
    return f"{issuer_id}#{public_key}"


def _private(private_key: bytes) -> Ed25519PrivateKey:
    if not isinstance(private_key, bytes) or len(private_key) != 32:
        raise ValueError("An Ed25519 private key is 32 bytes (the seed new_key returns).")
    return Ed25519PrivateKey.from_private_bytes(private_key)


def _public(public_key: str) -> Ed25519PublicKey:
    try:
        if not public_key.startswith("z"):
            raise ValueError
        raw = _unbase58(public_key[1:])
    except (AttributeError, ValueError):
        raise ValueError(f"{public_key!r} is not a Multikey (z6Mk…).") from None
    if len(raw) != 34 or not raw.startswith(ED25519_MULTICODEC):
        raise ValueError(f"{public_key!r} is not an Ed25519 Multikey (z6Mk…).")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def _base58(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = BASE58[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def _unbase58(text: str) -> bytes:
    number = 0
    for char in text:
        digit = BASE58.find(char)
        if digit < 0:
            raise ValueError(f"{char!r} is not a base58 character.")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


# --- Documents ----------------------------------------------------------------------------


def issuer_profile(
    *,
    issuer_id: str,
    name: str,
    url: str,
    public_keys: Sequence[str],
    email: str | None = None,
    description: str | None = None,
    image: str | None = None,
) -> Json:
    """The issuer's OB 3.0 Profile, to serve as JSON at `issuer_id`, listing as Multikeys every
    public key the issuer has signed with (the current one and the retired ones)."""
    if not public_keys:
        raise ValueError("An issuer profile lists at least one public key.")
    methods = [
        {
            "id": verification_method(issuer_id, key),
            "type": "Multikey",
            "controller": issuer_id,
            "publicKeyMultibase": key,
        }
        for key in public_keys
    ]
    profile: Json = {
        "@context": list(PROFILE_CONTEXTS),
        "id": issuer_id,
        "type": ["Profile"],
        "name": _text(name),
        "url": url,
    }
    if email:
        profile["email"] = email
    if description:
        profile["description"] = _text(description)
    if image:
        profile["image"] = {"id": image, "type": "Image"}
    profile["verificationMethod"] = methods
    profile["assertionMethod"] = [method["id"] for method in methods]
    return profile


def achievement(
    *,
    achievement_id: str,
    name: str,
    description: str,
    criteria: str,
    language: str,
    criteria_url: str | None = None,
    image: str | None = None,
    achievement_type: str = "Badge",
    translations: Mapping[str, str] | None = None,
) -> Json:
    """An OB 3.0 Achievement in one `language` (BCP 47: "fr", "en"); `translations` maps
    another language to the URL of the same achievement in it. `criteria` is Markdown."""
    if not LANGUAGE.match(language) or any(not LANGUAGE.match(lang) for lang in translations or {}):
        raise ValueError("Languages are BCP 47 codes such as 'fr' or 'en-GB'.")
    criteria_doc: Json = {"narrative": _text(criteria)}
    if criteria_url:
        criteria_doc["id"] = criteria_url
    result: Json = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": _text(name),
        "description": _text(description),
        "criteria": criteria_doc,
        "inLanguage": language,
    }
    if image:
        result["image"] = {"id": image, "type": "Image"}
    if translations:
        result["related"] = [
            {"id": url, "type": ["Related"], "inLanguage": lang}
            for lang, url in sorted(translations.items())
        ]
    return result


def email_identifier(email: str, *, salt: str | None = None) -> Json:
    """The recipient's e-mail address as a salted SHA-256 IdentityObject (the address is
    trimmed and lower-cased first, as `is_recipient` does)."""
    salt = secrets.token_hex(16) if salt is None else salt
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": _identity_hash(email, salt),
        "salt": salt,
    }


def evidence(*, name: str, narrative: str | None = None, url: str | None = None) -> Json:
    """A piece of evidence: what was done (`narrative`, Markdown) and where it can be seen."""
    result: Json = {"type": ["Evidence"], "name": _text(name)}
    if url:
        result["id"] = url
    if narrative:
        result["narrative"] = _text(narrative)
    return result


def revocation_status(list_id: str) -> Json:
    """The `credentialStatus` pointing to the issuer's revocation list at `list_id`."""
    return {"id": list_id, "type": REVOCATION_LIST}


def achievement_credential(
    *,
    credential_id: str,
    issuer: Mapping[str, Any],
    achievement: Mapping[str, Any],
    valid_from: datetime,
    subject_id: str | None = None,
    identifiers: Sequence[Mapping[str, Any]] = (),
    name: str | None = None,
    description: str | None = None,
    valid_until: datetime | None = None,
    status: Mapping[str, Any] | None = None,
    evidence: Sequence[Mapping[str, Any]] = (),
) -> Json:
    """An unsigned OpenBadgeCredential awarding `achievement` to a recipient known by
    `subject_id` and/or `identifiers` (`email_identifier`), issued by `issuer` (the Profile
    of `issuer_profile`, embedded without its keys)."""
    if not subject_id and not identifiers:
        raise ValueError("A credential names its recipient by subject_id or identifiers.")
    subject: Json = {"type": ["AchievementSubject"]}
    if subject_id:
        subject["id"] = subject_id
    if identifiers:
        subject["identifier"] = [dict(identifier) for identifier in identifiers]
    subject["achievement"] = copy.deepcopy(dict(achievement))
    credential: Json = {
        "@context": list(CREDENTIAL_CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _text(name or achievement["name"]),
    }
    if description:
        credential["description"] = _text(description)
    credential["issuer"] = {
        key: copy.deepcopy(value)
        for key, value in issuer.items()
        if key in ("id", "type", "name", "url", "email", "description", "image")
    }
    credential["validFrom"] = _timestamp(valid_from)
    if valid_until is not None:
        if valid_until <= valid_from:
            raise ValueError("valid_until comes after valid_from.")
        credential["validUntil"] = _timestamp(valid_until)
    credential["credentialSubject"] = subject
    if evidence:
        credential["evidence"] = [dict(item) for item in evidence]
    if status is not None:
        credential["credentialStatus"] = dict(status)
    credential["credentialSchema"] = [
        {"id": ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": SCHEMA_VALIDATOR}
    ]
    return credential


def _text(value: str) -> str:
    """Free text as people type or paste it, less the control characters that cannot be
    signed portably (a vertical tab pasted from a word processor becomes a space)."""
    return CONTROL.sub(" ", value)


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("Dates of a credential carry their time zone.")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _identity_hash(email: str, salt: str, algorithm: str = "sha256") -> str:
    """OB 3.0 IdentityHash: `<algorithm>$<hex digest of identifier + salt>` (sha256 or md5)."""
    digest = hashlib.new(algorithm, (email.strip().lower() + salt).encode()).hexdigest()
    return f"{algorithm}${digest}"


# --- Signing and verifying ----------------------------------------------------------------


def sign(
    credential: Mapping[str, Any], private_key: bytes, *, created: datetime | None = None
) -> Json:
    """`credential` with an embedded `eddsa-rdfc-2022` proof by `private_key`, naming the key
    as `verification_method(issuer id, public key)`. Raises MalformedCredential if a field is
    outside the pinned contexts (it would not be signed)."""
    if "proof" in credential:
        raise ValueError("The credential is already signed.")
    key = _private(private_key)
    options = {
        "type": PROOF_TYPE,
        "created": _timestamp(created or datetime.now(UTC)),
        "verificationMethod": verification_method(
            _issuer_id(credential), public_multibase(private_key)
        ),
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = key.sign(_signed_bytes(credential, options))
    signed = copy.deepcopy(dict(credential))
    # An array: the OB 3.0 JSON Schema wants one, and Data Integrity allows it.
    signed["proof"] = [{**options, "proofValue": "z" + _base58(signature)}]
    return signed


def verify(credential: Mapping[str, Any], public_key: str) -> Json:
    """The credential, once its proof is checked against `public_key` (the issuer's Multikey,
    which the verifier trusts: nothing in the credential chooses the key or the algorithm).

    Raises MalformedCredential, WrongKey or BadSignature. Dates and revocation are separate
    questions (`validity`, `is_revoked`)."""
    key = _public(public_key)
    if not isinstance(credential, Mapping):
        raise MalformedCredential("A credential is a JSON object.")
    proof = _only_proof(credential)
    _check_shape(credential)
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise MalformedCredential(
            f"Only a {PROOF_TYPE} proof with cryptosuite {CRYPTOSUITE} is accepted, "
            f"not {proof.get('type')!r} / {proof.get('cryptosuite')!r}."
        )
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        raise MalformedCredential(f"The proof's purpose must be {PROOF_PURPOSE}.")
    if proof.get("verificationMethod") != verification_method(_issuer_id(credential), public_key):
        raise WrongKey(
            f"The proof names the key {proof.get('verificationMethod')!r}, "
            f"not the issuer's key {public_key}."
        )
    if "@context" in proof and proof["@context"] != credential["@context"]:
        raise MalformedCredential("The proof's @context differs from the credential's.")
    signature = _proof_value(proof.get("proofValue"))
    options = {
        name: value for name, value in proof.items() if name not in ("proofValue", "@context")
    }
    unsecured = {name: value for name, value in credential.items() if name != "proof"}
    try:
        key.verify(signature, _signed_bytes(unsecured, options))
    except InvalidSignature:
        raise BadSignature("The signature does not match the credential.") from None
    return copy.deepcopy(dict(credential))


def proof_key(credential: Mapping[str, Any]) -> str:
    """The Multikey the credential's proof names, to look up among the keys the issuer has
    published before calling `verify` with it. Raises MalformedCredential."""
    if not isinstance(credential, Mapping):
        raise MalformedCredential("A credential is a JSON object.")
    method = _only_proof(credential).get("verificationMethod")
    key = method.rpartition("#")[2] if isinstance(method, str) else ""
    try:
        _public(key)
    except ValueError:
        raise MalformedCredential(f"The proof names no Ed25519 Multikey: {method!r}.") from None
    return key


def _only_proof(credential: Mapping[str, Any]) -> Mapping[str, Any]:
    proof = credential.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, Mapping):
        raise MalformedCredential("A credential carries exactly one proof.")
    return proof


def _check_shape(credential: Mapping[str, Any]) -> None:
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or contexts[:2] != [VC_CONTEXT, OB_CONTEXT]:
        raise MalformedCredential(f"@context starts with {VC_CONTEXT} and {OB_CONTEXT}.")
    types = credential.get("type")
    if (
        not isinstance(types, list)
        or "VerifiableCredential" not in types
        or not {"OpenBadgeCredential", "AchievementCredential"} & set(types)
    ):
        raise MalformedCredential("The type is VerifiableCredential and OpenBadgeCredential.")
    if not isinstance(credential.get("id"), str):
        raise MalformedCredential("A credential has an id.")
    _issuer_id(credential)
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping) or not isinstance(subject.get("achievement"), Mapping):
        raise MalformedCredential("credentialSubject holds the achievement.")
    if not subject.get("id") and not subject.get("identifier"):
        raise MalformedCredential("credentialSubject names the recipient (id or identifier).")
    _moment(credential, "validFrom")
    if "validUntil" in credential:
        _moment(credential, "validUntil")


def _issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        raise MalformedCredential("The issuer has an id.")
    return issuer_id


def _proof_value(value: Any) -> bytes:
    try:
        if not isinstance(value, str) or not value.startswith("z"):
            raise ValueError
        signature = _unbase58(value[1:])
    except ValueError:
        raise MalformedCredential("proofValue is a base58btc multibase string (z…).") from None
    if len(signature) != 64:
        raise MalformedCredential("proofValue is a 64-byte Ed25519 signature.")
    return signature


def _signed_bytes(unsecured: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    """What eddsa-rdfc-2022 signs: SHA-256 of the canonical proof options (with the
    credential's @context), then SHA-256 of the canonical credential without its proof."""
    config = {"@context": unsecured.get("@context"), **options}
    return (
        hashlib.sha256(canonical(config)).digest() + hashlib.sha256(canonical(unsecured)).digest()
    )


# --- Canonical form -----------------------------------------------------------------------

# PyLD keeps a process-wide cache of resolved contexts: ours is private, so a context fetched
# elsewhere in the process can never stand in for a pinned one, and guarded by a lock since
# PyLD's caches are not thread-safe.
_CONTEXT_CACHE: dict[Any, Any] = {}
_LOCK = threading.Lock()


def canonical(document: Mapping[str, Any]) -> bytes:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document read through the pinned contexts.
    Raises MalformedCredential for a context outside them, a term they do not define, a
    relative IRI, or a control character."""
    _check_text(document)
    for context in _contexts_of(document):
        if context not in CONTEXT_FILES:
            raise MalformedCredential(f"The context {context} is not one of the pinned contexts.")
    options = {
        "documentLoader": _load_context,
        "contextResolver": ContextResolver(_CONTEXT_CACHE, _load_context),
        "base": None,  # a relative IRI stays relative, to be refused below
    }
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    with _LOCK:
        try:
            expanded = processor.expand(copy.deepcopy(dict(document)), dict(options))
            _check_absolute(expanded)
            nquads = processor.normalize(
                expanded,
                {**options, "algorithm": "URDNA2015", "format": "application/n-quads"},
            )
        except jsonld.JsonLdError as error:
            raise MalformedCredential(f"Not valid JSON-LD: {error.type}.") from error
    return str(nquads).encode()


@cache
def _context_documents() -> dict[str, Json]:
    return {
        url: json.loads((CONTEXT_DIR / name).read_text(encoding="utf-8"))
        for url, name in CONTEXT_FILES.items()
    }


def _load_context(url: str, options: Any = None) -> Json:
    document = _context_documents().get(url)
    if document is None:
        raise MalformedCredential(f"The context {url} is not one of the pinned contexts.")
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(document)}


def _contexts_of(node: Any) -> Iterable[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "@context":
                for context in value if isinstance(value, list) else [value]:
                    if isinstance(context, str):
                        yield context
            else:
                yield from _contexts_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts_of(item)


def _refuse_dropped(term: str | None) -> None:
    raise MalformedCredential(f"{term!r} is not defined by the credential's contexts.")


def _check_absolute(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _check_absolute(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("@id", "@type"):
                for iri in value if isinstance(value, list) else [value]:
                    if isinstance(iri, str) and not ABSOLUTE_IRI.match(iri):
                        raise MalformedCredential(
                            f"{iri!r} is neither a term of the contexts nor an absolute IRI."
                        )
            else:
                _check_absolute(value)


def _check_text(node: Any) -> None:
    if isinstance(node, str):
        if CONTROL.search(node):
            raise MalformedCredential(f"{node[:40]!r} holds a control character.")
    elif isinstance(node, Mapping):
        for key, value in node.items():
            _check_text(key)
            _check_text(value)
    elif isinstance(node, list):
        for item in node:
            _check_text(item)


# --- Status -------------------------------------------------------------------------------


def validity(credential: Mapping[str, Any], *, now: datetime) -> str:
    """VALID, NOT_YET_VALID (before `validFrom`) or EXPIRED (after `validUntil`)."""
    if now < _moment(credential, "validFrom"):
        return NOT_YET_VALID
    if "validUntil" in credential and now > _moment(credential, "validUntil"):
        return EXPIRED
    return VALID


def _moment(credential: Mapping[str, Any], field: str) -> datetime:
    value = credential.get(field)
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise MalformedCredential(f"{field} is a date and time with its time zone.")
    return moment


def is_recipient(credential: Mapping[str, Any], email: str) -> bool:
    """Whether `email` is an address the credential was issued to (OB 3.0 "verify the
    recipient using an identifier")."""
    subject = credential.get("credentialSubject")
    identifiers = subject.get("identifier", []) if isinstance(subject, Mapping) else []
    for identifier in identifiers if isinstance(identifiers, list) else []:
        if not isinstance(identifier, Mapping):
            continue
        if identifier.get("identityType") != "emailAddress":
            continue
        stored = str(identifier.get("identityHash", ""))
        if identifier.get("hashed") is True:
            algorithm = stored.partition("$")[0]
            salt = str(identifier.get("salt", ""))
            if algorithm in ("sha256", "md5") and stored.lower() == _identity_hash(
                email, salt, algorithm
            ):
                return True
        elif stored.strip().lower() == email.strip().lower():
            return True
    return False


def revocation_list(
    *,
    list_id: str,
    issuer_id: str,
    revoked: Iterable[str],
    reasons: Mapping[str, str] | None = None,
) -> Json:
    """The 1EdTech revocation list to serve as JSON at `list_id`: the `revoked` credential ids,
    each with its published reason if `reasons` has one."""
    reasons = reasons or {}
    entries = []
    for credential_id in sorted(set(revoked)):
        entry: Json = {"id": credential_id, "revoked": True}
        if reasons.get(credential_id):
            entry["revocationReason"] = reasons[credential_id]
        entries.append(entry)
    return {"id": list_id, "issuer": issuer_id, "revokedCredential": entries}


def is_revoked(credential: Mapping[str, Any], revocation_list: Mapping[str, Any]) -> bool:
    """Whether `revocation_list` (fetched from the credential's `credentialStatus.id`) revokes
    the credential. A credential without a 1EdTech revocation status is never revoked. Raises
    ValueError if the list is not the one the credential points to."""
    statuses = credential.get("credentialStatus", [])
    statuses = statuses if isinstance(statuses, list) else [statuses]
    lists = [
        status.get("id")
        for status in statuses
        if isinstance(status, Mapping) and status.get("type") == REVOCATION_LIST
    ]
    if not lists:
        return False
    if revocation_list.get("id") not in lists:
        raise ValueError(
            f"This is the list {revocation_list.get('id')!r}; the credential points to {lists}."
        )
    issuer = revocation_list.get("issuer")
    if issuer is not None and issuer != _issuer_id(credential):
        raise ValueError("The revocation list belongs to another issuer.")
    entries = revocation_list.get("revokedCredential", revocation_list.get("revokedCredentials"))
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and entry.get("id") == credential.get("id"):
            # "revoked" defaults to true; false marks a credential reinstated.
            return entry.get("revoked", True) is not False
    return False
