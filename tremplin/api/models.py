"""API tokens (hashed at rest, scoped, expiring, revocable) and the answers kept for the
idempotency keys of bulk writes."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Each resource is read, or written, under its own scope.
SCOPES = (
    "people:read",
    "people:write",
    "framework:read",
    "ratings:read",
    "ratings:write",
    "completions:write",
    "usage:write",
    "levels:read",
    "plans:read",
    "publications:read",
)


class TokenKind(models.TextChoices):
    PERSONAL = "personal", _("personal (acts as its person, sees what they see)")
    SERVICE = "service", _("service (an integration; sees the whole company)")


class ApiToken(models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=TokenKind.choices)
    # The account the token acts as: the person's for a personal token, a service account
    # (the lead's view, no password) for a service token.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    prefix = models.CharField(max_length=12, unique=True)  # shown, and how a token is found
    digest = models.CharField(max_length=64)  # SHA-256 of the whole token; never the token
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def usable(self, now: datetime.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)


class IdempotentAnswer(models.Model):
    """The answer given to a write sent with an `Idempotency-Key`: sent again with the same key
    and body, the same answer; with another body, refused. Kept 24 hours."""

    token = models.ForeignKey(ApiToken, models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="one_answer_a_key")]

    def __str__(self) -> str:
        return self.key
