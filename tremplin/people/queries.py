"""Read models for the organisation pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from tremplin.people.models import OrgUnit, Person
from tremplin.people.name_search import search_people


@dataclass
class ChartUnit:
    unit: OrgUnit
    depth: int
    headcount: int  # active people in the unit itself
    total: int  # active people in the unit and every unit below it


def chart_units() -> list[ChartUnit]:
    """Every unit in tree order with its own and its subtree's active headcount: two queries."""
    units = list(OrgUnit.objects.select_related("head", "site").order_by("path"))
    direct = dict(
        Person.objects.filter(active=True, org_unit__isnull=False)
        .values_list("org_unit")
        .annotate(n=Count("id"))
        .values_list("org_unit", "n")
    )
    totals = {unit.pk: 0 for unit in units}
    for unit in units:
        count = direct.get(unit.pk, 0)
        for ancestor in unit.path.strip("/").split("/"):
            if ancestor:
                totals[int(ancestor)] = totals.get(int(ancestor), 0) + count
    return [ChartUnit(u, u.depth, direct.get(u.pk, 0), totals.get(u.pk, 0)) for u in units]


def filter_directory(people: QuerySet[Person], data: dict[str, Any]) -> QuerySet[Person]:
    people = search_people(people, str(data.get("q") or ""), email="icontains")
    unit = data.get("org_unit")
    if isinstance(unit, OrgUnit):
        people = people.filter(org_unit__path__startswith=unit.path)
    if data.get("job_family"):
        people = people.filter(job_family=data["job_family"])
    if data.get("site"):
        people = people.filter(site=data["site"])
    status = data.get("status") or "active"
    if status != "all":
        people = people.filter(active=status == "active")
    return people
