import pytest

from tremplin.people.demo import build_demo_company
from tremplin.people.models import JobFamily, OrgUnit, Person, Site

pytestmark = pytest.mark.django_db


def test_demo_company_is_believable_and_deterministic():
    accounts = {a.username: a.person for a in build_demo_company()}
    assert 140 <= Person.objects.count() <= 160
    assert OrgUnit.objects.filter(depth=1).count() >= 7
    assert JobFamily.objects.count() == 12 and Site.objects.count() == 2
    manager = accounts["manager"]
    line = Person.objects.reporting_line_of(manager)
    assert manager.direct_reports.count() >= 8 and line.count() >= 8
    assert max(p.depth for p in line) - manager.depth >= 2  # manager, leads, their teams
    assert accounts["employee"].manager == manager
    assert set(accounts) == {"lead", "direction", "manager", "employee", "ambassador", "cse"}
    first = list(
        Person.objects.order_by("employee_id").values_list(
            "employee_id", "first_name", "last_name", "manager__employee_id", "org_unit__code"
        )
    )
    Person.objects.update(manager=None)
    Person.objects.all().delete()
    build_demo_company()
    again = list(
        Person.objects.order_by("employee_id").values_list(
            "employee_id", "first_name", "last_name", "manager__employee_id", "org_unit__code"
        )
    )
    assert again == first


@pytest.mark.parametrize("size", [40, 60, 90, 400])
def test_every_size_the_demo_allows_gives_each_role_a_person(size):
    accounts = {a.username: a.person for a in build_demo_company(size=size, seed=3)}
    assert set(accounts) == {"lead", "direction", "manager", "employee", "ambassador", "cse"}
    assert accounts["employee"].manager == accounts["manager"]
    assert len({p.pk for p in accounts.values()}) == 6
