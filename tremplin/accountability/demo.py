"""The demo's data protection: a data-protection officer's account, the default retention
rules, one person gone long ago erased at their request, another gone recently, and two weeks
of audit log (sign-ins, pages about a person read by their manager or the lead, exports,
changes)."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from tremplin.accountability import retention
from tremplin.accountability.models import Action, AuditEntry, Erasure
from tremplin.accountability.rights import erase
from tremplin.people.demo import DEMO_PASSWORD
from tremplin.people.models import Person, Role, RoleAssignment


def _officer() -> Person:
    User = get_user_model()
    taken = Person.objects.exclude(user=None).values_list("pk", flat=True)
    person = (
        Person.objects.filter(active=True, org_unit__code__startswith="RH")
        .exclude(pk__in=taken).order_by("employee_id").first()
        or Person.objects.filter(active=True).exclude(pk__in=taken).order_by("employee_id").first()
    )  # fmt: skip
    assert person is not None
    user, _created = User.objects.update_or_create(
        username="dpo", defaults={"email": person.email, "first_name": person.first_name,
                                  "last_name": person.last_name},
    )  # fmt: skip
    user.set_password(DEMO_PASSWORD)
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    for role in (Role.DATA_PROTECTION, Role.EMPLOYEE):
        RoleAssignment.objects.get_or_create(user=user, role=role)
    return person


def build_data_protection(seed: int = 7) -> str:
    rng = random.Random(seed)
    officer = _officer()
    retention.defaults()
    today = timezone.localdate()
    plain = Person.objects.filter(active=True, user=None).exclude(direct_reports__isnull=False)
    gone_long, gone_lately = list(plain.order_by("-employee_id")[:2])
    Person.objects.filter(pk=gone_long.pk).update(
        active=False, left_on=today - datetime.timedelta(days=4 * 365)
    )
    Person.objects.filter(pk=gone_lately.pk).update(
        active=False, left_on=today - datetime.timedelta(days=40)
    )
    if not Erasure.objects.filter(person=gone_long).exists():
        erase(Person.objects.get(pk=gone_long.pk), officer.user,
              "Demande reçue par e-mail le 12/10/2026")  # fmt: skip
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["lead", "manager", "dpo", "direction", "employee"])}  # fmt: skip
    names = {u.pk: (u.person.full_name if hasattr(u, "person") else u.username)
             for u in users.values()}  # fmt: skip
    manager = users["manager"].person
    team = list(Person.objects.filter(manager=manager)[:6])
    now = timezone.now()
    entries = []
    for day in range(14, 0, -1):
        at = now - datetime.timedelta(days=day, hours=rng.randint(0, 8))
        for username in ("lead", "manager", "employee"):
            user = users[username]
            entries.append(AuditEntry(at=at, user=user, actor=names[user.pk],
                                      action=Action.SIGN_IN, path="/login/"))  # fmt: skip
        for person in rng.sample(team, min(2, len(team))):
            entries.append(AuditEntry(
                at=at + datetime.timedelta(minutes=rng.randint(1, 50)), user=users["manager"],
                actor=names[users["manager"].pk], action=Action.READ, method="GET",
                path=f"/people/{person.pk}/", view="people:detail", status=200, person=person,
            ))  # fmt: skip
        if day % 5 == 0:
            entries.append(AuditEntry(
                at=at + datetime.timedelta(hours=1), user=users["lead"],
                actor=names[users["lead"].pk], action=Action.EXPORT, method="GET",
                path="/people/export.xlsx", view="people:export", status=200,
                detail=f"people-{(now - datetime.timedelta(days=day)).date()}.xlsx",
            ))  # fmt: skip
        if day % 3 == 0 and team:
            entries.append(AuditEntry(
                at=at + datetime.timedelta(hours=2), user=users["manager"],
                actor=names[users["manager"].pk], action=Action.WRITE, method="POST",
                path=f"/assessments/people/{team[0].pk}/", view="assessments:person",
                status=302, person=team[0],
            ))  # fmt: skip
    AuditEntry.objects.bulk_create(entries)
    return (f"officer {officer.full_name} (dpo), {AuditEntry.objects.count()} audit-log lines, "
            f"{Erasure.objects.count()} erasure, {Person.objects.filter(active=False).count()} "
            "people gone")  # fmt: skip
