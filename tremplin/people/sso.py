"""Single sign-on through the company's OpenID Connect provider (mozilla-django-oidc), beside
the password, which stays.

Off unless TREMPLIN_OIDC_CLIENT_ID is set (settings, "Single sign-on"): then the sign-in page
offers "Sign in with {provider}", `sso:login` sends the browser to the provider and
`sso:callback` signs in the person the provider vouches for. Off, both answer 404.

Who is who: the employee-id claim, when one is named and given, finds the person by employee
id; otherwise the e-mail claim finds them by e-mail. Nobody is created from the provider's word:
someone Tremplin does not know, or who has left, is refused with a message on the sign-in page
and nothing is written. The person's login is reused, or made at their first sign-in as the
lead's "give a login" makes it (without a usable password). With TREMPLIN_OIDC_ROLES, the
roles that mapping names follow the groups claim at each sign-in; the others stay as set in
Tremplin.

The provider's endpoints come from the settings, or from its issuer's
/.well-known/openid-configuration, read at the first sign-in through it and kept for the
process (an error is not kept: the next sign-in asks again). Read then rather than at start-up,
a provider that is down does not stop Tremplin, nor its commands, and the password still works.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from tremplin.accountability.audit import record
from tremplin.accountability.details import coded
from tremplin.accountability.models import Action
from tremplin.people.accounts import give_login
from tremplin.people.models import Person, Role, RoleAssignment

log = logging.getLogger(__name__)

# What a provider can do wrong: not answer, answer nonsense, sign with a key it does not
# publish. The person is told it did not work; the log says why.
PROVIDER_ERRORS = (requests.RequestException, ValueError, KeyError, jwt.PyJWTError)
REFUSAL = "tremplin_sso_refusal"  # the attribute of the request holding why, for the callback


def configured() -> bool:
    return bool(settings.TREMPLIN_OIDC_CLIENT_ID)


class Refused(Exception):
    """The provider vouched for someone Tremplin will not sign in; the message says why, in
    words for them."""


# -- The provider's endpoints ----------------------------------------------------------------


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    userinfo: str
    jwks: str


@functools.cache
def discovery(issuer: str) -> dict[str, Any]:
    """The issuer's OpenID configuration (an error raises and is not kept)."""
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ValueError(f"{issuer} describes another issuer: {document.get('issuer')!r}")
    return document


def endpoints() -> Endpoints:
    """Each endpoint as set, else as the issuer describes it."""
    given = Endpoints(
        authorization=settings.TREMPLIN_OIDC_AUTHORIZATION_ENDPOINT,
        token=settings.TREMPLIN_OIDC_TOKEN_ENDPOINT,
        userinfo=settings.TREMPLIN_OIDC_USERINFO_ENDPOINT,
        jwks=settings.TREMPLIN_OIDC_JWKS_ENDPOINT,
    )
    if not settings.TREMPLIN_OIDC_ISSUER or all(vars(given).values()):
        return given
    found = discovery(settings.TREMPLIN_OIDC_ISSUER)
    return Endpoints(
        authorization=given.authorization or found["authorization_endpoint"],
        token=given.token or found["token_endpoint"],
        userinfo=given.userinfo or found["userinfo_endpoint"],
        jwks=given.jwks or found.get("jwks_uri", ""),
    )


# -- Who the provider vouches for ------------------------------------------------------------


def text_claim(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name) if name else None
    return "" if value is None else str(value).strip()


def person_for(claims: Mapping[str, Any]) -> Person:
    """The person the claims name: by employee id (when that claim is named and matches),
    else by e-mail (the active person among those with it); Refused otherwise."""
    provider = settings.TREMPLIN_OIDC_PROVIDER_NAME
    employee_id = text_claim(claims, settings.TREMPLIN_OIDC_EMPLOYEE_ID_CLAIM)
    if employee_id:
        found = Person.objects.filter(employee_id=employee_id).first()
        if found is not None:
            return found
    email = text_claim(claims, settings.TREMPLIN_OIDC_EMAIL_CLAIM)
    if email:
        if str(claims.get("email_verified", "")).lower() == "false":
            raise Refused(
                _(
                    "%(provider)s has not verified the e-mail address %(email)s, so Tremplin "
                    "cannot recognise you by it. Ask the programme lead."
                )
                % {"provider": provider, "email": email}
            )
        people = list(Person.objects.filter(email__iexact=email).order_by("-active", "pk"))
        active = [p for p in people if p.active]
        if len(active) > 1:
            raise Refused(
                _(
                    "Several people in Tremplin have the e-mail address %(email)s: ask the "
                    "programme lead to correct their records."
                )
                % {"email": email}
            )
        if people:
            return people[0]
    if not email and not employee_id:
        raise Refused(
            _("%(provider)s did not say who you are (no e-mail address): ask the programme lead.")
            % {"provider": provider}
        )
    if employee_id:
        raise Refused(
            _(
                "No one in Tremplin has the e-mail address %(email)s or the employee id "
                "%(employee_id)s. Ask the programme lead to check your record."
            )
            % {"email": email or "—", "employee_id": employee_id}
        )
    raise Refused(
        _(
            "No one in Tremplin has the e-mail address %(email)s. Ask the programme lead to add "
            "it to your record."
        )
        % {"email": email}
    )


def role_mapping() -> dict[str, set[str]]:
    """TREMPLIN_OIDC_ROLES, group → roles, each role checked."""
    known = {role.value for role in Role}
    mapping = {group: set(roles) for group, roles in settings.TREMPLIN_OIDC_ROLES.items()}
    unknown = sorted(set().union(*mapping.values()) - known)
    if unknown:
        raise ImproperlyConfigured(
            f"TREMPLIN_OIDC_ROLES names unknown roles {', '.join(unknown)}; "
            f"the roles are {', '.join(sorted(known))}"
        )
    return mapping


def groups_in(claims: Mapping[str, Any]) -> set[str]:
    """The groups claim as a set (a list, or one name); absent, no group."""
    value = claims.get(settings.TREMPLIN_OIDC_GROUPS_CLAIM)
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(group) for group in value}
    return {str(value)}


def follow_groups(*, user: User, groups: set[str], mapping: dict[str, set[str]]) -> str:
    """Give the roles the groups map to and take back those the mapping names but the groups
    no longer give; the roles the mapping does not name are left. Returns what changed
    (`+lead -manager`), empty when nothing did."""
    governed: set[str] = set().union(*mapping.values())
    wanted: set[str] = set().union(*(mapping[g] for g in groups if g in mapping))
    have = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    taken = (have & governed) - wanted
    given = wanted - have
    RoleAssignment.objects.filter(user=user, role__in=taken).delete()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in sorted(given))
    return " ".join([*(f"+{r}" for r in sorted(given)), *(f"-{r}" for r in sorted(taken))])


def sign_in(*, claims: Mapping[str, Any]) -> User:
    """The login of the person the provider's claims name, made at their first sign-in, its
    roles following the groups claim when TREMPLIN_OIDC_ROLES is set. Refused (nothing
    written) for someone unknown, gone, or whose login is disabled."""
    mapping = role_mapping()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_for(claims).pk)
        if not person.active:
            raise Refused(
                _(
                    "Your record in Tremplin says you have left: signing in is closed. Ask "
                    "the programme lead if this is a mistake."
                )
            )
        if person.user_id is None:
            give_login(person)
            person.refresh_from_db()
            record(person.user, Action.WRITE, person_id=person.pk, path=reverse("sso:callback"),
                   detail=coded("sso-login"))  # fmt: skip
        user = person.user
        assert user is not None
        if not user.is_active:
            raise Refused(
                _("Your Tremplin login is disabled. Ask the programme lead if this is a mistake.")
            )
        if mapping:
            changed = follow_groups(user=user, groups=groups_in(claims), mapping=mapping)
            if changed:
                record(user, Action.WRITE, person_id=person.pk, path=reverse("sso:callback"),
                       detail=coded("sso-roles", changed))  # fmt: skip
    return user


# -- mozilla-django-oidc, plugged in -----------------------------------------------------------


class PersonBackend(OIDCAuthenticationBackend):
    """Signs in whom the provider vouches for (`sign_in`); a password sign-in passes by.

    Django builds its backends at every request of a signed-in person (to fetch their user):
    the endpoints are read when signing in, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = User

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or not configured():
            return None  # a password, the admin's or the sign-in page's
        try:
            found = endpoints()
            self.OIDC_OP_TOKEN_ENDPOINT = found.token
            self.OIDC_OP_USER_ENDPOINT = found.userinfo
            self.OIDC_OP_JWKS_ENDPOINT = found.jwks
            self.OIDC_RP_CLIENT_ID = settings.TREMPLIN_OIDC_CLIENT_ID
            self.OIDC_RP_CLIENT_SECRET = settings.TREMPLIN_OIDC_CLIENT_SECRET
            self.OIDC_RP_SIGN_ALGO = settings.TREMPLIN_OIDC_SIGN_ALGO
            self.OIDC_RP_IDP_SIGN_KEY = None
            user: User | None = super().authenticate(request, **kwargs)
            return user
        except (*PROVIDER_ERRORS, SuspiciousOperation) as error:
            log.warning("Single sign-on failed: %s", error, exc_info=True)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """mozilla-django-oidc checks the signature and the nonce; this, whom the token is for
        and who issued it."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if settings.TREMPLIN_OIDC_CLIENT_ID not in audiences:
            raise SuspiciousOperation(f"an ID token for another client: {audience!r}")
        issuer = settings.TREMPLIN_OIDC_ISSUER
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation(f"an ID token from another issuer: {payload.get('iss')!r}")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("the userinfo is about someone else than the ID token")
        try:
            return sign_in(claims={**payload, **userinfo})
        except Refused as refusal:
            setattr(self.request, REFUSAL, str(refusal))
            return None


def failed(request: HttpRequest, why: str = "") -> HttpResponse:
    """Back to the sign-in page, saying why."""
    messages.error(
        request,
        why
        or _(
            "Signing in with %(provider)s did not succeed. Try again; if it keeps failing, "
            "tell the programme lead."
        )
        % {"provider": settings.TREMPLIN_OIDC_PROVIDER_NAME},
    )
    return redirect("login")


class Start(OIDCAuthenticationRequestView):
    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoint is read in `get`, where it may fail

    def get(self, request: HttpRequest) -> HttpResponse:
        self.OIDC_OP_AUTH_ENDPOINT = endpoints().authorization
        self.OIDC_RP_CLIENT_ID = settings.TREMPLIN_OIDC_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class Callback(OIDCAuthenticationCallbackView):
    def login_success(self) -> HttpResponse:
        """Signed in, in the person's preferred language unless they chose one here (as the
        password's sign-in does, tremplin.views.TremplinLoginView)."""
        from tremplin.views import speak_their_language

        response: HttpResponse = super().login_success()
        speak_their_language(self.request, response, self.user)
        return response

    def login_failure(self) -> HttpResponse:
        return failed(self.request, getattr(self.request, REFUSAL, ""))


start_view = Start.as_view()
callback_view = Callback.as_view()


def start(request: HttpRequest) -> HttpResponse:
    """To the provider's sign-in page (`next` kept for the way back)."""
    if not configured():
        raise Http404
    try:
        return start_view(request)
    except PROVIDER_ERRORS as error:
        log.warning("Single sign-on: the provider cannot be reached: %s", error)
        return failed(request)


def callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: signed in, or on the sign-in page with the reason."""
    if not configured():
        raise Http404
    try:
        return callback_view(request)
    except SuspiciousOperation as error:  # a state this browser never asked for
        log.warning("Single sign-on: %s", error)
        return failed(request)


def sign_in_button(request: HttpRequest) -> dict[str, str]:
    """Context processor: the provider's name for the sign-in page's button, when on."""
    return {"sso_provider": settings.TREMPLIN_OIDC_PROVIDER_NAME} if configured() else {}


def not_a_password(request: HttpRequest, credentials: Mapping[str, Any] | None) -> bool:
    """For django-axes (AXES_WHITELIST_CALLABLE): a single sign-on is not throttled. A refusal
    there guesses no password, and counting it would pause everyone's single sign-on from one
    office's address (the user name is empty)."""
    return bool(credentials) and "nonce" in (credentials or {})


app_name = "sso"
urlpatterns = [
    path("login/", start, name="login"),
    path("callback/", callback, name="callback"),
]

if configured():
    role_mapping()  # a wrong role in TREMPLIN_OIDC_ROLES stops Tremplin when it loads its URLs
