"""The manager's side of a plan: the person's manager, a manager above them with the manager
role, or the co-signatory of someone without a manager; never someone merely above them."""

import pytest

from tremplin.learning.access import manages
from tremplin.people.models import Person, RoleAssignment


@pytest.mark.django_db
def test_being_above_someone_is_not_managing_them(org):
    seller = org.people["seller_a"]
    assert manages(org.people["team_lead"], seller)  # their manager (no account needed)
    assert manages(org.people["sales_director"], seller)  # above, with the manager role
    assert not manages(org.people["ceo"], seller)  # above: the executive sponsor, no role
    assert not manages(org.people["finance_head"], seller)  # a manager elsewhere
    assert not manages(seller, seller)
    RoleAssignment.objects.filter(user=org.users["manager"]).delete()
    director = Person.objects.get(pk=org.people["sales_director"].pk)  # roles read afresh
    assert not manages(director, seller)
