"""Logins and roles given by the programme lead, without the admin.

A login is created without a password: the person sets their own from an invitation link
(the password-reset token of Django, valid `PASSWORD_RESET_TIMEOUT`, spent once the password
is set). Until notifications exist the lead passes the link on; `invitations_csv` lists the
links of a whole batch.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tremplin.people.models import Person, Role, RoleAssignment

# Roles the lead gives from the people pages. Giving someone the lead's role is kept to the
# admin and the first-run page: it opens every record.
GIVEN_ROLES = (Role.EMPLOYEE, Role.MANAGER, Role.EXECUTIVE, Role.AMBASSADOR, Role.WORKS_COUNCIL)


@dataclass(frozen=True)
class Invitation:
    person: Person
    username: str
    path: str  # the invitation link, without the site's address


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("welcome", args=[uid, default_token_generator.make_token(user)])


def _username(person: Person) -> str:
    base = (person.email or person.employee_id).strip().lower()
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def default_roles(person: Person) -> set[str]:
    """An employee; a manager too for someone with people reporting to them."""
    roles = {Role.EMPLOYEE.value}
    if Person.objects.filter(manager=person, active=True).exists():
        roles.add(Role.MANAGER.value)
    return roles


def give_login(person: Person, roles: Iterable[str] | None = None) -> Invitation:
    """A login for `person` (who has none) with `roles` (by default `default_roles`)."""
    chosen = set(default_roles(person) if roles is None else roles)
    if not chosen <= {r.value for r in GIVEN_ROLES}:
        raise ValueError(f"roles not given from the people pages: {chosen}")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id is not None:
            raise ValueError(f"{person} already has a login")
        user = User(username=_username(person), email=person.email,
                    first_name=person.first_name, last_name=person.last_name)  # fmt: skip
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in chosen)
        person.user = user
        person.save(update_fields=["user"])
    return Invitation(person, user.username, invitation_path(user))


def set_roles(user: User, roles: Iterable[str]) -> None:
    """Replace the roles the lead gives (the lead's own role, if any, is left as it is)."""
    chosen = {r for r in roles if r in {g.value for g in GIVEN_ROLES}}
    with transaction.atomic():
        RoleAssignment.objects.filter(user=user, role__in=[g.value for g in GIVEN_ROLES]).exclude(
            role__in=chosen
        ).delete()
        have = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=r) for r in sorted(chosen - have)
        )


def invitations_csv(invitations: Iterable[Invitation], site: str) -> str:
    """employee id, name, e-mail, login, link: for the lead to pass on."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["employee_id", "first_name", "last_name", "email", "login", "link"])
    for i in invitations:
        writer.writerow([i.person.employee_id, i.person.first_name, i.person.last_name,
                         i.person.email, i.username, site + i.path])  # fmt: skip
    return out.getvalue()
