"""Who may see and do what with people, in one place for views, services and templates.

Queryset scopes live on the managers (`Person.objects.visible_to`); here are the per-object
guards and the role checks. Being in someone's reporting line is not being their manager: the
manager's side of a person is held by their direct manager or by someone above them who holds
the manager role (the executive sponsor's line is the whole company; an ambassador may lead a
team without managing anyone's development)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from tremplin.people.models import Person, Role, roles_of

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


def manages(me: Person | None, person: Person) -> bool:
    """Whether `me` holds the manager's side of `person`: their direct manager, or someone
    above them holding the manager role."""
    if me is None or me.pk == person.pk:
        return False
    if person.manager_id == me.pk:
        return True
    user = me.user if me.user_id is not None else None
    return person.reports_to(me) and user is not None and Role.MANAGER in roles_of(user)


def may_list_people(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The directory and its exports: the programme lead (everyone) and managers (their line);
    anyone else sees their own record only."""
    return bool(roles_of(user) & {Role.LEAD, Role.MANAGER})


def may_give_roles(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Accounts, roles and invitations are the programme lead's."""
    return Role.LEAD in roles_of(user)
