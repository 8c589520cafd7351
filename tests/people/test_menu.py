"""The main menu, rendered once per process for each set of hats and language (base.html's
cache): everyone still gets the menu of their own roles, in their own language, whoever asked
first."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

from tremplin.people.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db

LEAD_ONLY = reverse("people:import_upload")  # the programme menu
MANAGER_ONLY = reverse("learning:team_gaps")
ADMIN = reverse("admin:index")


def _menu(client, user, language="fr") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    page = client.get(reverse("people:org_chart")).content.decode()
    return page[page.index('<ul class="menu">') : page.index("</nav>")]


def test_each_set_of_roles_and_language_gets_its_own_menu(client, org):
    cache.clear()
    lead = _menu(client, org.users["lead"])
    employee = _menu(client, org.users["employee"])
    manager = _menu(client, org.users["manager"])
    assert LEAD_ONLY in lead and MANAGER_ONLY not in lead
    assert LEAD_ONLY not in employee and MANAGER_ONLY not in employee
    assert MANAGER_ONLY in manager and LEAD_ONLY not in manager
    assert ">Campagnes<" in lead and ">Campaigns<" in _menu(client, org.users["lead"], "en")
    # A second employee gets the first one's menu, but their own account links.
    seller = org.people["seller_b"]
    seller.user = User.objects.create_user("seller_b")
    seller.save()
    RoleAssignment.objects.create(user=seller.user, role=Role.EMPLOYEE)
    other = _menu(client, seller.user)
    assert reverse("people:detail", args=[seller.pk]) in other
    assert reverse("people:detail", args=[org.people["seller_a"].pk]) in employee
    # Staff see the administration; the same roles without it do not.
    staff = org.users["manager"]
    staff.is_staff = True
    staff.save()
    assert ADMIN in _menu(client, staff) and ADMIN not in manager
