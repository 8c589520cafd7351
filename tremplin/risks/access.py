"""Who may see and do what with the self-diagnostics and the risk register: the programme lead
writes; the executive sponsor and the works council read every unit; a manager reads the units
they head (and those below) and their own; the versions of the occupational risk assessment,
company-wide, are exported by the lead, the sponsor and the council."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from tremplin.people.models import Role, roles_of
from tremplin.risks.models import EVERY_UNIT, Diagnostic

READERS = (Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL, Role.MANAGER)
EXPORTERS = tuple(EVERY_UNIT)


def may_edit(user: AbstractBaseUser | AnonymousUser) -> bool:
    return Role.LEAD in roles_of(user)


def may_export(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(roles_of(user) & EVERY_UNIT)


def diagnostic_guard(user: AbstractBaseUser | AnonymousUser, diagnostic: Diagnostic) -> None:
    if not Diagnostic.objects.visible_to(user).filter(pk=diagnostic.pk).exists():
        raise PermissionDenied
