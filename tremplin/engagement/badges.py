"""Badges: who meets each badge's criteria, awards (automatic or by the lead), the company's
signing key, each award's Open Badges 3.0 credential (signed when first asked for, then kept
as issued), revocation and verification.

The private key is sealed with a key derived from the installation's secret key (HKDF-SHA256,
then AES-GCM through Fernet): a copy of the database alone cannot sign."""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import default_task_backend, task

from tremplin.assessments.models import CurrentLevel
from tremplin.compute import credentials as ob
from tremplin.engagement.ambassador_models import Ambassador, AmbassadorStatus
from tremplin.engagement.badge_models import Award, Badge, Criterion, SigningKey
from tremplin.engagement.challenge_models import Submission
from tremplin.engagement.mentoring_models import Mentorship, MentorshipStatus
from tremplin.learning.models import Attendance, Enrolment
from tremplin.people.models import Company, Person
from tremplin.skills.queries import active_framework

SUGGESTED = Path(__file__).resolve().parent.parent / "data" / "badges" / "suggested.json"


def load_suggested() -> int:
    """The shipped badges, once each (by short name); level badges on the active framework's
    competences. Returns how many were added."""
    framework = active_framework()
    added = 0
    for data in json.loads(SUGGESTED.read_text(encoding="utf-8")):
        codes = data.pop("competences", [])
        made, created = Badge.objects.get_or_create(slug=data["slug"], defaults=data)
        if created:
            added += 1
            if framework is not None and codes:
                made.competences.set(framework.competences.filter(code__in=codes))
    return added


def _sealer() -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"tremplin-badges", info=b"signing key"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def current_key() -> SigningKey:
    found = SigningKey.objects.filter(retired_at__isnull=True).first()
    if found is not None:
        return found
    private = ob.new_key()
    public = ob.public_multibase(private)
    return SigningKey.objects.create(
        kid=public[-16:], public=public.encode(), private_sealed=_sealer().encrypt(private)
    )


def rotate() -> SigningKey:
    """A new key for the credentials to come; the old one stays published for those issued."""
    SigningKey.objects.filter(retired_at__isnull=True).update(retired_at=timezone.now())
    return current_key()


def _url(name: str, *args: object) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def issuer() -> dict[str, Any]:
    company = Company.objects.first()
    current_key()
    keys = [bytes(k.public).decode() for k in SigningKey.objects.order_by("created_at")]
    return ob.issuer_profile(
        issuer_id=_url("engagement:issuer"), name=company.name if company else "Tremplin",
        url=settings.SITE_URL, public_keys=keys,
    )  # fmt: skip


def public_key_of(kid: str) -> str | None:
    found = SigningKey.objects.filter(kid=kid).first()
    return bytes(found.public).decode() if found else None


def credential(award: Award) -> dict[str, Any]:
    """The award's signed credential: signed on first request, in the recipient's language,
    then kept unchanged (so its signature stays the one issued)."""
    if award.credential:
        return dict(json.loads(award.credential))
    key = current_key()
    badge, person = award.badge, award.person
    language = person.preferred_language or "fr"
    with translation.override(language):
        achieved = ob.achievement(
            achievement_id=_url("engagement:badge", badge.slug) + f"?lang={language}",
            name=badge.name, description=badge.description, criteria=badge.criteria,
            language=language, criteria_url=_url("engagement:badge", badge.slug),
            translations={other: _url("engagement:badge", badge.slug) + f"?lang={other}"
                          for other in ("fr", "en") if other != language},
        )  # fmt: skip
        evidence = [ob.evidence(name=award.evidence)] if award.evidence else []
    unsigned = ob.achievement_credential(
        credential_id=_url("engagement:credential", award.uid), issuer=issuer(),
        achievement=achieved, valid_from=award.awarded_at,
        identifiers=[ob.email_identifier(person.email)] if person.email else (),
        subject_id=None if person.email else f"urn:uuid:{award.uid}",
        name=achieved["name"], status=ob.revocation_status(_url("engagement:revocations")),
        evidence=evidence,
    )  # fmt: skip
    private = _sealer().decrypt(bytes(key.private_sealed))
    signed = ob.sign(unsigned, private)
    award.credential = json.dumps(signed, ensure_ascii=False, sort_keys=True)
    award.key_id = key.kid
    award.language = language
    award.save(update_fields=["credential", "key_id", "language"])
    return signed


def revocation_list() -> dict[str, Any]:
    revoked = {
        _url("engagement:credential", uid): because
        for uid, because in Award.objects.filter(revoked_at__isnull=False)
        .exclude(credential="")
        .values_list("uid", "revoked_because")
    }
    return ob.revocation_list(
        list_id=_url("engagement:revocations"), issuer_id=_url("engagement:issuer"),
        revoked=list(revoked), reasons=revoked,
    )  # fmt: skip


def check(document: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """A credential's status as a verifier sees it, from this issuer's published keys and
    revocation list: "valid", "revoked", "expired", "not-yet-valid", or the reason it fails."""
    keys = {bytes(k.public).decode() for k in SigningKey.objects.all()}
    try:
        public = ob.proof_key(document)
        if public not in keys:
            return "unknown-key", None
        verified = ob.verify(document, public)
    except ob.InvalidCredential as error:
        return error.code, None
    if ob.is_revoked(verified, revocation_list()):
        return "revoked", verified
    return ob.validity(verified, now=timezone.now()), verified


def revoke(award: Award, because: str) -> None:
    award.revoked_at = timezone.now()
    award.revoked_because = because[:500]
    award.save(update_fields=["revoked_at", "revoked_because"])


def eligible(badge: Badge, people: QuerySet[Person]) -> QuerySet[Person]:
    """The people among `people` who meet `badge`'s criterion now."""
    if badge.criterion == Criterion.LEVEL:
        wanted = list(badge.competences.values_list("pk", flat=True))
        if not wanted:
            return people.none()
        reached = (
            CurrentLevel.objects.filter(competence__in=wanted, level__gte=badge.level)
            .values("person")
            .annotate(n=Count("competence", distinct=True))
            .filter(n=len(wanted))
            .values("person")
        )
        return people.filter(pk__in=reached)
    if badge.criterion == Criterion.CHALLENGE:
        won = Submission.objects.filter(winner=True, challenge__results_published_at__isnull=False)
        return people.filter(
            Q(pk__in=won.values("author")) | Q(challenge_teams__submissions__in=won)
        ).distinct()
    if badge.criterion == Criterion.MENTORING:
        done = Mentorship.objects.filter(status=MentorshipStatus.ENDED)
        return people.filter(Q(pk__in=done.values("mentor")) | Q(pk__in=done.values("mentee")))
    if badge.criterion == Criterion.SESSIONS:
        attended = (
            Enrolment.objects.filter(attendance=Attendance.PRESENT)
            .values("person")
            .annotate(n=Count("pk"))
            .filter(n__gte=badge.sessions)
            .values("person")
        )
        return people.filter(pk__in=attended)
    if badge.criterion == Criterion.AMBASSADOR:
        served = Ambassador.objects.filter(status__in=[AmbassadorStatus.ACTIVE,
                                                       AmbassadorStatus.ENDED],
                                           answered_at__isnull=False)  # fmt: skip
        return people.filter(pk__in=served.values("person"))
    return people.none()


def award_due(people: Iterable[int] | None = None) -> int:
    """Award every automatic badge to whoever meets its criterion and does not hold it (a
    revoked award is not given again automatically). Returns the number of awards made."""
    scope = Person.objects.filter(active=True)
    if people is not None:
        scope = scope.filter(pk__in=list(people))
    made = 0
    for badge in Badge.objects.filter(active=True, automatic=True):
        held = Award.objects.filter(badge=badge).values("person")
        due = eligible(badge, scope).exclude(pk__in=held).values_list("pk", flat=True)
        rows = [Award(badge=badge, person_id=pk)
                for pk in due]  # fmt: skip
        Award.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        made += len(rows)
    return made


def give(badge: Badge, person: Person, by: Any, evidence: str = "") -> Award:
    """The lead awards a badge by hand (again after a revocation, if need be)."""
    try:
        with transaction.atomic():
            return Award.objects.create(badge=badge, person=person, awarded_by=by,
                                        evidence=evidence[:500])  # fmt: skip
    except IntegrityError:
        raise ValueError("already held") from None


SOON = datetime.timedelta(minutes=1)


@task()
def award_due_task() -> int:
    return award_due()


def award_soon(people: Iterable[int] | None = None) -> None:
    """After something that may earn a badge: at once for a few people; for many (an import,
    a consolidation), one background run within a minute, however many changes come."""
    chosen = None if people is None else list(people)
    if chosen is not None and len(chosen) <= 50:
        award_due(chosen)
        return
    if not default_task_backend.supports_defer:
        award_due_task.enqueue()
        return
    from django_tasks_db.models import DBTaskResult

    path = f"{award_due_task.func.__module__}.{award_due_task.func.__qualname__}"
    if not DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        award_due_task.using(run_after=timezone.now() + SOON).enqueue()
