"""Who may do what with a development plan, in one place for views, services and templates.

The manager's side of a plan is held by the person's manager, by a manager above them (the
manager role, not merely a place above them in the chart: the executive sponsor's line is the
whole company), or, for someone without a manager, by the plan's co-signatory. Reading a plan
is the queryset's rule (`Plan.objects.visible_to`).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from tremplin.learning.models import Plan, PlanSettings, TrainingSession
from tremplin.people import access as people_access
from tremplin.people.models import Person, Role, roles_of

User = AbstractBaseUser | AnonymousUser


def co_signatory(person: Person) -> Person | None:
    """Who signs the plan beside the person: their manager; for someone without a manager, the
    second signatory of the plan settings, or else the programme lead (the first one)."""
    if person.manager_id is not None:
        return person.manager
    chosen = PlanSettings.current().second_signatory
    if chosen is not None and chosen.pk != person.pk and chosen.active:
        return chosen
    leads = Person.objects.filter(user__role_assignments__role=Role.LEAD, active=True)
    return leads.exclude(pk=person.pk).order_by("pk").first()


def manages(signer: Person, person: Person) -> bool:
    """Whether `signer` holds the manager's side of `person`'s development: the people rule
    (`people.access.manages`), or the co-signatory for someone without a manager."""
    if person.manager_id is None:
        return signer.pk != person.pk and signer == co_signatory(person)
    return people_access.manages(signer, person)


def may_sign(me: Person | None, plan: Plan) -> bool:
    return me is not None and (me.pk == plan.person_id or manages(me, plan.person))


def may_edit(user: User, me: Person | None, plan: Plan) -> bool:
    return may_sign(me, plan) or Role.LEAD in roles_of(user)


def may_confirm(user: User, me: Person | None, plan: Plan) -> bool:
    """Someone other than the person: their manager's side, or the programme lead."""
    if me is None or me.pk == plan.person_id:
        return False
    return manages(me, plan.person) or Role.LEAD in roles_of(user)


def may_schedule(user: User) -> bool:
    """Sessions are scheduled, cancelled and their rosters read by the programme lead."""
    return Role.LEAD in roles_of(user)


def may_take_attendance(user: User, me: Person | None, session: TrainingSession) -> bool:
    """The session's trainer (someone of the company) or the programme lead."""
    return may_schedule(user) or (me is not None and session.trainer_id == me.pk)


def may_enrol(me: Person | None) -> bool:
    """Anyone of the company with an account enrols themselves."""
    return me is not None and me.active
