"""Logins and roles given by the programme lead, without the admin.

A login is created without a password: the person sets their own from an invitation link
(the password-reset token of Django, valid `PASSWORD_RESET_TIMEOUT`, spent once the password
is set). Until notifications exist the lead passes the link on; `invitations_csv` lists the
links of a whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tremplin.alphabetical import by_name
from tremplin.people.models import Person, Role, RoleAssignment
from tremplin.spreadsheets import csv_bytes

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


def default_roles(person: Person) -> set[str]:
    """An employee; a manager too for someone with people reporting to them."""
    roles = {Role.EMPLOYEE.value}
    if Person.objects.filter(manager=person, active=True).exists():
        roles.add(Role.MANAGER.value)
    return roles


def give_login(person: Person, roles: Iterable[str] | None = None) -> Invitation:
    """A login for `person` (active, without one) with `roles` (by default `default_roles`)."""
    made = give_logins({person: None if roles is None else list(roles)})
    if not made:
        raise ValueError(f"{person} already has a login or is inactive")
    return made[0]


def give_logins(wanted: dict[Person, list[str] | None]) -> list[Invitation]:
    """`give_login` for many people at once (an import, the lead's "everyone"), in a few
    queries whatever their number: people who already have a login, or are inactive, are
    left out; roles None means `default_roles`."""
    given = {r.value for r in GIVEN_ROLES}
    with transaction.atomic():
        people = list(
            Person.objects.select_for_update()
            .filter(pk__in=[p.pk for p in wanted], user__isnull=True, active=True)
            .order_by(*by_name())
        )
        asked = {p.pk: roles for p, roles in wanted.items()}
        managers = set(
            Person.objects.filter(manager__in=people, active=True).values_list(
                "manager_id", flat=True
            )
        )
        taken = {u.lower() for u in User.objects.values_list("username", flat=True)}
        users, roles_of_user = [], []
        for person in people:
            roles = asked[person.pk]
            chosen = (
                set(roles)
                if roles is not None
                else {Role.EMPLOYEE.value}
                | ({Role.MANAGER.value} if person.pk in managers else set())
            )
            if not chosen <= given:
                raise ValueError(f"roles not given from the people pages: {chosen}")
            # User.username holds 150 characters, an e-mail 254: room left for "-n".
            base = (person.email or person.employee_id).strip().lower()[:140]
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}-{n}"
            taken.add(name)
            user = User(username=name, email=person.email,
                        first_name=person.first_name, last_name=person.last_name)  # fmt: skip
            user.set_unusable_password()
            users.append(user)
            roles_of_user.append(chosen)
        User.objects.bulk_create(users, batch_size=2000)
        user_ids = dict(
            User.objects.filter(username__in=[u.username for u in users]).values_list(
                "username", "pk"
            )
        )
        RoleAssignment.objects.bulk_create(
            (RoleAssignment(user_id=user_ids[u.username], role=r)
             for u, chosen in zip(users, roles_of_user, strict=True) for r in sorted(chosen)),
            batch_size=2000,
        )  # fmt: skip
        for person, user in zip(people, users, strict=True):
            person.user_id = user_ids[user.username]
        Person.objects.bulk_update(people, ["user"], batch_size=2000)
    found = User.objects.in_bulk(list(user_ids.values()))
    return [
        Invitation(p, u.username, invitation_path(found[user_ids[u.username]]))
        for p, u in zip(people, users, strict=True)
    ]


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


def invitations_csv(invitations: Iterable[Invitation], site: str) -> bytes:
    """employee id, name, e-mail, login, link: for the lead to pass on, in the reader's
    language and the spreadsheet format of every export (a name that reads as a formula is
    written as text)."""
    header = [_("Employee id"), _("First name"), _("Last name"), _("E-mail"), _("User name"),
              _("Link")]  # fmt: skip
    return csv_bytes(header, (
        [i.person.employee_id, i.person.first_name, i.person.last_name, i.person.email,
         i.username, site + i.path] for i in invitations))  # fmt: skip
