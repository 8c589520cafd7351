"""Who may rate, add evidence, hold and write a career interview, and follow a campaign, in one
place for views, services and templates. Reading ratings, interviews and reassessments is the
querysets' rule (`Rating.objects.visible_to` …).

Rating someone as their manager, adding evidence for them and holding their interview belong to
whoever holds the manager's side of the person (`people.access.manages`): their direct manager
or a manager above them, never merely someone whose line they are in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from tremplin.assessments.models import CareerInterview, Source
from tremplin.people.access import manages
from tremplin.people.models import Person, Role, roles_of

User = AbstractBaseUser | AnonymousUser


def may_rate(me: Person | None, person: Person, source: str) -> bool:
    """A self-assessment is the person's own; a manager rating is their manager's side's."""
    if me is None:
        return False
    if source == Source.SELF:
        return me.pk == person.pk
    if source == Source.MANAGER:
        return manages(me, person)
    return False


def may_add_evidence(user: User, me: Person | None, person: Person) -> bool:
    """Evidence (a certificate, a piece of work) rated by the programme lead or the manager's
    side, never by the person for themselves."""
    return Role.LEAD in roles_of(user) or manages(me, person)


def may_follow_campaigns(user: User) -> bool:
    """A campaign's progress: the lead for everyone, a manager for their line."""
    return bool(roles_of(user) & {Role.LEAD, Role.MANAGER})


def may_hold_interview(me: Person | None, person: Person) -> bool:
    """The person's manager, or a manager above them (the role, not only the chart)."""
    return manages(me, person)


def may_write_interview(me: Person | None, record: CareerInterview) -> bool:
    """Its two parties: the person, and the manager who held it while the person stays in
    their line."""
    if me is None:
        return False
    if me.pk == record.person_id:
        return True
    return me.pk == record.manager_id and record.person.reports_to(me)
