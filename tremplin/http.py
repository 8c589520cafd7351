"""HTTP hardening every response goes through: only the methods the application answers,
no caching of what a signed-in person reads, browser features off, and a production
installation that refuses to start with the key written in the source."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

METHODS = ("GET", "HEAD", "POST")
# No page uses the camera, the microphone, the location or payment; none may be asked to.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort")
)
# Scripts only from Tremplin's own files (no inline script, no eval: Vega runs its expressions
# through vega-interpreter); inline style attributes are allowed, nothing is framed. Forms post
# to Tremplin only, and "Sign out" may go on to the single sign-on provider's end of session
# (a browser applies form-action to where a form's answer redirects).
POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'{provider}",
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = "; ".join(POLICY).format(provider="")


@functools.cache
def _policy(*addresses: str) -> str:
    origins = sorted({f"{u.scheme}://{u.netloc}" for u in map(urlsplit, addresses) if u.netloc})
    return "; ".join(POLICY).format(provider="".join(f" {o}" for o in origins))


def content_security_policy() -> str:
    if not settings.TREMPLIN_OIDC_CLIENT_ID:
        return CONTENT_SECURITY_POLICY
    return _policy(settings.TREMPLIN_OIDC_ISSUER, settings.TREMPLIN_OIDC_END_SESSION_ENDPOINT)


LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}


class Hardening:
    """TRACE, OPTIONS and other methods get 405; responses to a signed-in reader (their pages
    and every export) are `no-store`; Permissions-Policy and Content-Security-Policy on every
    response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in METHODS:
            return HttpResponseNotAllowed(METHODS)
        response = self.get_response(request)
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        response.setdefault("Content-Security-Policy", content_security_policy())
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


def check_secret_key() -> None:
    """Refuse to serve other hosts than this machine with the demo key of the source."""
    if settings.DEBUG or settings.SECRET_KEY != settings.DEMO_SECRET_KEY:
        return
    public = [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]
    if public or settings.SECURE:
        raise ImproperlyConfigured(
            "TREMPLIN_SECRET_KEY is not set: Tremplin will not serve "
            f"{', '.join(public) or 'HTTPS'} with the key written in its source. "
            "Set it to a long random value, e.g. `openssl rand -hex 32`."
        )
