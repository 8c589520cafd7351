"""Who may hold and write a career interview, in one place for views and templates. Reading
one is the queryset's rule (`CareerInterview.objects.visible_to`)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from tremplin.assessments.models import CareerInterview
from tremplin.people.models import Person, Role, roles_of


def may_hold_interview(user: AbstractBaseUser | AnonymousUser, me: Person, person: Person) -> bool:
    """The person's manager, or a manager above them (the role, not only the chart)."""
    direct = person.manager_id == me.pk
    return direct or (Role.MANAGER in roles_of(user) and person.reports_to(me))


def may_write_interview(me: Person | None, record: CareerInterview) -> bool:
    """Its two parties: the person, and the manager who held it while the person stays in
    their line."""
    if me is None:
        return False
    if me.pk == record.person_id:
        return True
    return me.pk == record.manager_id and record.person.reports_to(me)
