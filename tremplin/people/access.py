"""Per-object guards and role checks; queryset scopes live on the managers (`visible_to`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from tremplin.people.models import Person, roles_of

View = TypeVar("View", bound=Callable[..., HttpResponse])


def require_role(user: AbstractBaseUser | AnonymousUser, *roles: str) -> None:
    if not roles_of(user) & set(roles):
        raise PermissionDenied


def role_required(*roles: str) -> Callable[[View], View]:
    """View decorator: logged in and holding one of `roles`, else 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return cast(View, login_required(wrapped))

    return decorate


def person_guard(user: AbstractBaseUser | AnonymousUser, person: Person) -> None:
    """Raise PermissionDenied unless `user` may see `person`'s record."""
    if not Person.objects.visible_to(user).filter(pk=person.pk).exists():
        raise PermissionDenied
