"""Demo plans: the catalogue, a proposed plan for everyone, and plans in every later state."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from tremplin.learning.catalogue import load_default_catalogue
from tremplin.learning.models import Plan, PlanStatus
from tremplin.learning.services import (
    co_signatory,
    generate_plans,
    item_complete,
    plan_discussed,
    plan_sign,
)
from tremplin.people.models import Person


def build_plans(*, seed: int = 7) -> dict[str, int]:
    load_default_catalogue()
    generate_plans(people=Person.objects.filter(active=True), by=None)
    rng = random.Random(seed)
    plans = [
        p
        for p in Plan.objects.select_related("person__manager")
        if co_signatory(p.person) is not None and p.items.exists()
    ]
    rng.shuffle(plans)
    today = timezone.localdate()
    for n, plan in enumerate(plans):
        share = n / max(len(plans), 1)
        if share < 0.35:
            continue  # stays proposed
        plan = plan_discussed(plan=plan, by=None, version=plan.version)
        if share < 0.5:
            continue
        manager = co_signatory(plan.person)  # the manager, or the second signatory
        assert manager is not None
        for signer in (plan.person, manager):
            plan = plan_sign(plan=plan, by=None, signer=signer, version=plan.version)
        if share < 0.65:
            continue
        items = list(plan.items.order_by("position"))
        finished = items if share > 0.9 else items[: max(1, len(items) // 2)]
        for k, item in enumerate(finished):
            on = today - datetime.timedelta(days=7 * (len(finished) - k))
            # Some people record their last module themselves: declared, awaiting confirmation.
            declared = k == len(finished) - 1 and n % 3 == 0
            item_complete(item=item, by=None, recorder=plan.person if declared else manager, on=on)
    counts: dict[str, int] = {}
    for status in Plan.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return {s: counts.get(s, 0) for s in PlanStatus.values}
