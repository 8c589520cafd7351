import pytest

from tremplin.learning.catalogue import load_default_catalogue
from tremplin.skills.services import load_default_framework


@pytest.fixture
def framework(org):
    return load_default_framework()


@pytest.fixture
def catalogue(framework):
    load_default_catalogue()


def agree_plan(seller, manager):
    """The seller's generated plan, discussed and signed by both: agreed."""
    from tremplin.learning.models import Plan
    from tremplin.learning.services import generate_plans, plan_discussed, plan_sign
    from tremplin.people.models import Person

    generate_plans(people=Person.objects.filter(pk=seller.pk), by=None)
    plan = Plan.objects.get(person=seller)
    plan = plan_discussed(plan=plan, by=None, version=plan.version)
    for signer in (seller, manager):
        plan = plan_sign(plan=plan, by=None, signer=signer, version=plan.version)
    return plan


@pytest.fixture
def agreed(org, catalogue):
    """Seller A's plan, agreed with the sales director."""
    return agree_plan(org.people["seller_a"], org.people["sales_director"])
