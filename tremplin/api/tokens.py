"""Creating and checking API tokens: `tpl_<prefix>_<secret>`, shown once; only the prefix and
the SHA-256 of the whole token are kept."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.api.models import SCOPES, ApiToken, TokenKind
from tremplin.people.models import Role, RoleAssignment

LAST_USE_EVERY = datetime.timedelta(minutes=1)  # last use written at most once a minute


class TokenError(Exception):
    """The token cannot be made; the message says why."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    *,
    name: str,
    kind: str,
    scopes: list[str],
    user: AbstractBaseUser | None = None,
    days: int | None = None,
    by: AbstractBaseUser | AnonymousUser | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its text (shown once). A personal token acts as `user`; a service
    token gets an account of its own, holding the lead's view."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise TokenError(_("Unknown scopes: %(s)s.") % {"s": ", ".join(unknown)})
    if not scopes:
        raise TokenError(_("Give the token at least one scope."))
    if not name.strip():
        raise TokenError(_("Name the token (what uses it)."))
    if days is not None and not 1 <= days <= 3650:
        raise TokenError(_("A token expires within 1 to 3,650 days."))
    if kind == TokenKind.PERSONAL and (user is None or not user.is_active):
        raise TokenError(_("A personal token needs an active account."))
    prefix = secrets.token_hex(4)
    text = f"tpl_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        if kind == TokenKind.SERVICE:
            user = get_user_model().objects.create_user(f"service-{prefix}")
            user.set_unusable_password()
            user.first_name = name.strip()[:150]
            user.save()
            RoleAssignment.objects.create(user=user, role=Role.LEAD)
        assert user is not None
        token = ApiToken.objects.create(
            name=name.strip()[:100],
            kind=kind,
            user_id=user.pk,
            prefix=prefix,
            digest=_digest(text),
            scopes=sorted(set(scopes)),
            expires_at=timezone.now() + datetime.timedelta(days=days) if days else None,
            created_by_id=by.pk if by is not None and by.is_authenticated else None,
        )
    return token, text


def check(text: str) -> ApiToken | None:
    """The usable token this text is, or None (unknown, altered, expired or revoked)."""
    parts = text.split("_", 2)
    if len(parts) != 3 or parts[0] != "tpl":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(text)):
        return None
    now = timezone.now()
    if not token.usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        if token.kind == TokenKind.SERVICE:
            get_user_model().objects.filter(pk=token.user_id).update(is_active=False)
