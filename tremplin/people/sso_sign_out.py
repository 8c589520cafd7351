"""Signing out of Tremplin after a single sign-on also signs out of the provider (OpenID
Connect RP-initiated logout): otherwise the next "Sign in with …" on a shared computer would let
in whoever signed in last, without a password.

Tremplin's session ends first, whatever happens next. Then, when the person came through the
provider and it names an end-session endpoint (TREMPLIN_OIDC_END_SESSION_ENDPOINT, or its
issuer's configuration), the browser goes there with the ID token as the hint and Tremplin's
sign-in page as the way back (register that address at the provider as a post-logout redirect
URI). A provider that cannot be reached leaves the person on Tremplin's sign-in page, signed out
of Tremplin.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from tremplin.people.sso import PROVIDER_ERRORS, configured, discovery

log = logging.getLogger(__name__)
ID_TOKEN = "oidc_id_token"  # where mozilla-django-oidc keeps it (OIDC_STORE_ID_TOKEN)


def end_session_endpoint() -> str:
    if settings.TREMPLIN_OIDC_END_SESSION_ENDPOINT:
        return str(settings.TREMPLIN_OIDC_END_SESSION_ENDPOINT)
    if not settings.TREMPLIN_OIDC_ISSUER:
        return ""
    try:
        return str(discovery(settings.TREMPLIN_OIDC_ISSUER).get("end_session_endpoint") or "")
    except PROVIDER_ERRORS as error:
        log.warning("Single sign-on: the provider cannot be reached to sign out: %s", error)
        return ""


class SignOut(LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get(ID_TOKEN) if configured() else None
        response = super().post(request, *args, **kwargs)  # Tremplin's session ends here
        endpoint = end_session_endpoint() if id_token else ""
        if not endpoint:
            return response
        back = request.build_absolute_uri(reverse("login"))
        query = {"id_token_hint": id_token, "post_logout_redirect_uri": back,
                 "client_id": settings.TREMPLIN_OIDC_CLIENT_ID}  # fmt: skip
        return redirect(f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}")
