"""Sign-ins and sign-outs in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from tremplin.accountability.models import Action


@receiver(user_logged_in)
def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from tremplin.accountability.audit import record

    record(user, Action.SIGN_IN, path=getattr(request, "path", ""))


@receiver(user_logged_out)
def signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from tremplin.accountability.audit import record

    if user is not None:
        record(user, Action.SIGN_OUT, path=getattr(request, "path", ""))
