"""Changing a manager or a parent unit in the admin rebuilds the paths that visibility reads,
and a loop is refused on the form instead of breaking every scope."""

import pytest
from django.contrib.auth.models import Permission

from tremplin.people.models import OrgUnit, Person


@pytest.fixture
def admin_client(client, org):
    user = org.users["lead"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="people"))
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _person_form(person: Person, **changes) -> dict:
    data = {f: getattr(person, f) or "" for f in
            ("employee_id", "first_name", "last_name", "email", "preferred_language")}  # fmt: skip
    data.update(org_unit=person.org_unit_id or "", job_family=person.job_family_id or "",
                site=person.site_id or "", manager=person.manager_id or "",
                user=person.user_id or "", active="on" if person.active else "")  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_new_manager_in_the_admin_moves_the_reporting_line(admin_client, org):
    seller, finance_head = org.people["seller_a"], org.people["finance_head"]
    url = f"/admin/people/person/{seller.pk}/change/"
    response = admin_client.post(url, _person_form(seller, manager=finance_head.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert seller in Person.objects.reporting_line_of(finance_head)
    assert seller not in Person.objects.reporting_line_of(org.people["sales_director"])


@pytest.mark.django_db
def test_a_loop_is_refused_on_the_form(admin_client, org):
    director = org.people["sales_director"]
    url = f"/admin/people/person/{director.pk}/change/"
    response = admin_client.post(url, _person_form(director, manager=org.people["seller_a"].pk))
    assert response.status_code == 200 and "a loop" in response.content.decode()
    director.refresh_from_db()
    assert director.manager == org.people["ceo"]


@pytest.mark.django_db
def test_a_new_parent_unit_moves_the_unit(admin_client, org):
    finance = OrgUnit.objects.get(code="FIN")
    sales = OrgUnit.objects.get(code="COM")
    data = {"code": "FIN", "name": "Finance", "parent": sales.pk, "site": "", "head": ""}
    response = admin_client.post(f"/admin/people/orgunit/{finance.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    finance.refresh_from_db()
    sales.refresh_from_db()
    assert finance.path.startswith(sales.path) and finance.depth == sales.depth + 1
    loop = {"code": "COM", "name": "Direction commerciale", "parent": finance.pk, "site": "",
            "head": ""}  # fmt: skip
    response = admin_client.post(f"/admin/people/orgunit/{sales.pk}/change/", loop)
    assert response.status_code == 200 and "a loop" in response.content.decode()
