"""The API's frame: bearer tokens, scopes, rate limits per token, errors as
`application/problem+json` (RFC 9457), and idempotency keys for bulk writes."""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from tremplin.api import tokens
from tremplin.api.models import ApiToken, IdempotentAnswer

PROBLEM = "application/problem+json"


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[dict[str, Any]] = []


ERRORS: dict[int, Any] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    422: Problem,
    429: Problem,
}


class Refused(Exception):
    """An answer other than success: status, a short title, the detail, row errors."""

    def __init__(
        self, status: int, title: str, detail: str = "", errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors or []


def problem(
    status: int,
    title: str,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        # Each error's keys in one order: a replayed answer (kept in a JSON column, which
        # PostgreSQL gives back shortest key first) reads as the first one did.
        "errors": [
            {k: e[k] for k in ("index", "field", "message") if k in e} | e for e in errors or []
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def refuse_nul(request: HttpRequest) -> None:
    """No text may hold the NUL character (PostgreSQL cannot store it): refused up front,
    rather than failing halfway."""
    queried = any("\x00" in v for values in request.GET.lists() for v in values[1])
    body = request.body if request.content_type == "application/json" else b""
    if queried or "\x00" in request.path or b"\\u0000" in body:
        raise Refused(422, _("Invalid request"), _("Text may not hold the NUL character."))


def rate_per_minute() -> int:
    return int(getattr(settings, "TREMPLIN_API_RATE_PER_MINUTE", 1200))


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.check(token)
        if found is not None:
            refuse_nul(request)
        if found is None:
            return None
        window = int(time.time() // 60)
        key = f"api-rate:{found.prefix}:{window}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
        if count > rate_per_minute():
            raise Refused(
                429,
                _("Too many requests"),
                _("This token may send %(n)s requests a minute; wait for the next.")
                % {"n": rate_per_minute()},
            )
        request.user = found.user  # the audit log, the visibility rules: as this account
        return found


api = NinjaAPI(
    title="Tremplin API",
    version="1",
    urls_namespace="api",
    auth=TokenAuth(),
    description=(
        "Tremplin's REST API. Send `Authorization: Bearer <token>`; each operation "
        "needs the scope it names. Errors are `application/problem+json`."
    ),
)


@api.exception_handler(Refused)
def _refused(request: HttpRequest, error: Refused) -> HttpResponse:
    headers = {"Retry-After": "60"} if error.status == 429 else None
    return problem(error.status, error.title, error.detail, error.errors, headers)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem(
        401,
        _("Not authenticated"),
        _("Send a valid, unexpired and unrevoked token: Authorization: Bearer …"),
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = [
        {"where": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")}
        for e in error.errors
    ]
    return problem(422, _("Invalid request"), _("Some fields are not as expected."), errors)


@api.exception_handler(HttpError)
def _http(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem(error.status_code, str(error.message), str(error.message))


@api.exception_handler(Http404)
def _missing(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem(404, _("Not found"), str(error) or _("Nothing here, or not yours to see."))


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem(403, _("Forbidden"), str(error) or _("Your role does not allow this."))


def need(request: HttpRequest, scope: str) -> ApiToken:
    """The request's token, refused unless it holds `scope`."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if scope not in token.scopes:
        raise Refused(
            403,
            _("Scope missing"),
            _("This token does not hold the scope %(scope)s.") % {"scope": scope},
        )
    return token


def idempotent(
    request: HttpRequest, key: str | None, write: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """Run `write` once per idempotency key: the same key with the same body gets the first
    answer again; with another body, 409."""
    if not key:
        return write()
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if len(key) > 200:
        raise Refused(400, _("Idempotency key too long"), _("At most 200 characters."))
    digest = hashlib.sha256(request.body).hexdigest()
    IdempotentAnswer.objects.filter(
        created_at__lt=timezone.now() - datetime.timedelta(days=1)
    ).delete()
    earlier = IdempotentAnswer.objects.filter(token=token, key=key).first()
    if earlier is not None:
        if earlier.request_digest != digest:
            raise Refused(
                409,
                _("Idempotency key reused"),
                _("This key was sent with another body; use a new key."),
            )
        return earlier.status, earlier.body
    status, body = write()
    try:
        with transaction.atomic():
            IdempotentAnswer.objects.create(
                token=token, key=key, request_digest=digest, status=status, body=body
            )
    except IntegrityError:  # the same key sent twice at once: the first one's answer stands
        pass
    return status, body


BEYOND = 2**62  # further than any table goes


class Rows:
    """A query's rows, each turned into its answer by `make`, for ninja's pagination: it counts
    with the database and reads only the page asked for (a list would read every row)."""

    def __init__(self, query: Any, make: Callable[[Any], Any], *, joined: bool = False) -> None:
        """`joined`: a query of model rows with related rows joined (select_related); the page's
        keys are then found first without the joins (an index walk), and only its rows joined
        (far into 100,000 people, joining first costs a sort of every row)."""
        self.query, self.make, self.joined = query, make, joined

    def all(self) -> Rows:
        return self

    def count(self) -> int:
        return int(self.query.count())

    def __getitem__(self, part: slice) -> list[Any]:
        # An offset past what a database integer holds finds nothing (rather than an error).
        start, stop = (min(n, BEYOND) for n in (part.start or 0, part.stop or BEYOND))
        if not self.joined:
            return [self.make(row) for row in self.query[start:stop]]
        keys = list(self.query.values_list("pk", flat=True)[start:stop])
        found = {row.pk: row for row in self.query.filter(pk__in=keys)}
        return [self.make(found[key]) for key in keys if key in found]
