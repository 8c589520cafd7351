"""The demo company: a deterministic fictional French SME built from `data/demo/recipe.json`.

The same seed and size always give the same organisation. `size` scales it up for benchmarks.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Permission, User
from django.db import transaction

from tremplin.people.models import (
    Company,
    JobFamily,
    OrgUnit,
    Person,
    Role,
    RoleAssignment,
    Site,
)
from tremplin.people.services import refresh_reporting_paths, refresh_unit_paths, update_columns

RECIPE = Path(__file__).resolve().parent.parent / "data" / "demo" / "recipe.json"
DEMO_PASSWORD = "tremplin-demo"
MAX_SPAN = 12  # a manager with more people than this gets team leads


@dataclass
class Staff:
    employee_id: str
    first_name: str
    last_name: str
    unit: str
    job_family: str
    manager: str | None = None


@dataclass
class DemoAccount:
    username: str
    role: str
    person: Person


def load_recipe() -> dict[str, Any]:
    return json.loads(RECIPE.read_text(encoding="utf-8"))


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def split_counts(total: int, shares: list[float]) -> list[int]:
    """Largest-remainder rounding: whole counts in proportion to `shares`, summing to `total`."""
    raw = [total * share for share in shares]
    counts = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan_people(
    recipe: dict[str, Any], size: int, rng: random.Random
) -> tuple[list[Staff], dict[str, str]]:
    """Everyone with unit, job family and manager; returns staff and each unit's head id."""
    units = recipe["org_units"]
    names = recipe["first_names"]["female"] + recipe["first_names"]["male"]
    last_names = recipe["last_names"]
    used: set[tuple[str, str]] = set()
    people: list[Staff] = []

    def new_person(unit: str, family: str, manager: str | None) -> Staff:
        while True:
            first, last = rng.choice(names), rng.choice(last_names)
            if (first, last) not in used or len(used) > len(names) * len(last_names) // 2:
                used.add((first, last))
                break
        person = Staff(f"FI{len(people) + 1:06d}", first, last, unit, family, manager)
        people.append(person)
        return person

    heads: dict[str, str] = {}
    for unit in units:
        parent_head = heads.get(unit["parent"]) if unit["parent"] else None
        heads[unit["code"]] = new_person(
            unit["code"], unit["head_job_family"], parent_head
        ).employee_id
    staff_total = max(size - len(units), 0)
    counts = split_counts(staff_total, [u["share"] for u in units])
    for unit, count in zip(units, counts, strict=True):
        families = list(unit["job_families"]) or [unit["head_job_family"]]
        weights = list(unit["job_families"].values()) or [1.0]
        members = [
            new_person(unit["code"], rng.choices(families, weights)[0], None) for _ in range(count)
        ]
        assign_managers(heads[unit["code"]], members)
    return people, heads


def assign_managers(manager: str, members: list[Staff]) -> None:
    """Up to MAX_SPAN report directly; beyond, team leads take groups of the rest, recursively."""
    if len(members) <= MAX_SPAN:
        for member in members:
            member.manager = manager
        return
    lead_count = min(MAX_SPAN // 2, math.ceil(len(members) / MAX_SPAN))
    leads, rest = members[:lead_count], members[lead_count:]
    direct, grouped = rest[: MAX_SPAN // 2], rest[MAX_SPAN // 2 :]
    for member in leads + direct:
        member.manager = manager
    for index, lead in enumerate(leads):
        assign_managers(lead.employee_id, grouped[index::lead_count])


@transaction.atomic
def build_demo_company(*, size: int = 150, seed: int | None = None) -> list[DemoAccount]:
    recipe = load_recipe()
    rng = random.Random(recipe["seed"] if seed is None else seed)
    sites = {}
    for entry in recipe["sites"]:
        sites[entry["code"]], _ = Site.objects.update_or_create(
            code=entry["code"], defaults={"name": entry["name"]}
        )
    families = {}
    for entry in recipe["job_families"]:
        families[entry["code"]], _ = JobFamily.objects.update_or_create(
            code=entry["code"], defaults={k: entry[k] for k in ("name_fr", "name_en", "persona")}
        )
    units: dict[str, OrgUnit] = {}
    for entry in recipe["org_units"]:
        units[entry["code"]], _ = OrgUnit.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "site": sites[entry["site"]],
                "parent": units[entry["parent"]] if entry["parent"] else None,
            },
        )
    refresh_unit_paths()

    staff, heads = plan_people(recipe, size, rng)
    domain = recipe["company"]["email_domain"]
    emails: set[str] = set()
    site_of_unit = {e["code"]: e["site"] for e in recipe["org_units"]}
    people = []
    for s in staff:
        email = f"{ascii_slug(s.first_name)}.{ascii_slug(s.last_name)}@{domain}"
        if email in emails:
            email = email.replace("@", f".{s.employee_id[-6:].lstrip('0')}@")
        emails.add(email)
        people.append(
            Person(
                employee_id=s.employee_id,
                first_name=s.first_name,
                last_name=s.last_name,
                email=email,
                org_unit=units[s.unit],
                job_family=families[s.job_family],
                site=sites[site_of_unit[s.unit]],
                hire_date=dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(0, 13150)),
                active=rng.random() > 0.02,
                preferred_language="en" if rng.random() < 0.05 else "fr",
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    ids = dict(Person.objects.values_list("employee_id", "id"))
    update_columns(
        Person._meta.db_table,
        ["manager_id"],
        [(ids[s.manager], ids[s.employee_id]) for s in staff if s.manager],
    )
    refresh_reporting_paths()
    for code, head in heads.items():
        OrgUnit.objects.filter(code=code).update(head_id=ids[head])
    accounts = create_demo_accounts(staff, heads)
    Company.objects.update_or_create(pk=1, defaults={"name": recipe["company"]["name"]})
    Company.targets_reviewed(User.objects.get(username="lead"))  # the lead's first steps, done
    return accounts


def create_demo_accounts(staff: list[Staff], heads: dict[str, str]) -> list[DemoAccount]:
    """One login per role, on people chosen so that each role has something to show."""
    reports: dict[str, list[Staff]] = {}
    for s in staff:
        if s.manager:
            reports.setdefault(s.manager, []).append(s)

    def line(employee_id: str) -> int:
        return sum(1 + line(r.employee_id) for r in reports.get(employee_id, []))

    managers = [h for code, h in heads.items() if code != "DG"]

    def has_an_employee(head: str) -> bool:  # someone who reports to them and leads nobody
        return any(r.employee_id not in reports for r in reports.get(head, []))

    manager = max(
        managers,
        key=lambda h: (has_an_employee(h), len(reports.get(h, [])) >= 8, line(h), h),
    )
    employee = next(r for r in reports[manager] if r.employee_id not in reports)
    # In a small company a service may be its head alone: the next best person is taken.
    hr = [s for s in staff if s.unit.startswith("RH")]
    lead = next((s for s in hr if s.employee_id not in heads.values()), hr[0])
    taken = {manager, employee.employee_id, lead.employee_id, heads["DG"]}
    free = [s for s in staff if s.employee_id not in taken]
    ambassador = next((s for s in free if s.job_family == "MKT"), free[0])
    taken.add(ambassador.employee_id)
    free = [s for s in free if s.employee_id not in taken]
    leaves = [s for s in free if s.employee_id not in reports]
    cse = next((s for s in leaves if s.unit.startswith("SCM")), (leaves or free)[0])
    chosen = [
        ("lead", [Role.LEAD, Role.EMPLOYEE], lead.employee_id),
        ("direction", [Role.EXECUTIVE, Role.EMPLOYEE], heads["DG"]),
        ("manager", [Role.MANAGER, Role.EMPLOYEE], manager),
        ("employee", [Role.EMPLOYEE], employee.employee_id),
        ("ambassador", [Role.AMBASSADOR, Role.EMPLOYEE], ambassador.employee_id),
        ("cse", [Role.WORKS_COUNCIL, Role.EMPLOYEE], cse.employee_id),
    ]
    accounts = []
    for username, roles, employee_id in chosen:
        person = Person.objects.get(employee_id=employee_id)
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "email": person.email,
                "first_name": person.first_name,
                "last_name": person.last_name,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.is_staff = username == "lead"
        user.save()
        if user.is_staff:
            user.user_permissions.set(
                Permission.objects.filter(content_type__app_label__in=["people", "skills"])
            )
        Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
        person.user, person.active = user, True
        person.save(update_fields=["user", "active"])
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=user, role=role) for role in roles], ignore_conflicts=True
        )
        accounts.append(DemoAccount(username, roles[0], person))
    return accounts
