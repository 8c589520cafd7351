"""Revising an agreed plan when the person's gaps change (a new assessment, a new target).

The plan page compares the gaps the plan was made for with today's (`gap_changes`): a gap that
is new or wider than planned calls for a revision; gaps narrowing as modules are completed do
not. A revision (`plan_revise`) keeps every completed module and every agreed module not yet
completed, adds what closes the new gaps (the optimiser, with the kept modules counted as taken),
and goes back to "proposed": it is discussed and signed again. The history keeps the agreed
version (its modules and signatures) beside the revision.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.compute import plans as engine
from tremplin.learning.catalogue import catalogue_arrays
from tremplin.learning.gaps import population_gaps
from tremplin.learning.models import (
    ItemStatus,
    Plan,
    PlanEvent,
    PlanItem,
    PlanSettings,
    PlanStatus,
)
from tremplin.learning.services import (
    PlanError,
    _event,
    _locked,
    _open_steps,
    gaps_in,
    need_of,
)
from tremplin.people.models import Person
from tremplin.skills.queries import active_framework

REVISABLE = (PlanStatus.AGREED, PlanStatus.IN_PROGRESS)


@dataclass(frozen=True)
class GapChange:
    code: str
    planned: tuple[int, int] | None  # (current, target) when the plan was made; None: no gap
    now: tuple[int, int]


def current_gaps(person: Person) -> dict[str, list[int]]:
    framework = active_framework()
    if framework is None:
        return {}
    return gaps_in(population_gaps(Person.objects.filter(pk=person.pk), framework), 0)


def gap_changes(plan: Plan) -> list[GapChange]:
    """Gaps of today that the plan was not made for: new ones, higher targets, lower levels.
    Empty for a plan made before its gaps were kept."""
    if not plan.gaps:
        return []
    changes = []
    for code, (level, target) in sorted(current_gaps(plan.person).items()):
        planned = plan.gaps.get(code)
        if planned is None or target > planned[1] or level < planned[0]:
            before = (int(planned[0]), int(planned[1])) if planned else None
            changes.append(GapChange(code, before, (level, target)))
    return changes


def plan_revise(*, plan: Plan, by: AbstractBaseUser | AnonymousUser | None, version: int) -> Plan:
    """Propose a revision of an agreed or running plan for the person's gaps of today."""
    framework = active_framework()
    if framework is None:
        raise PlanError(_("Load a competency framework first."))
    with transaction.atomic():
        plan = _locked(plan, version)
        if plan.status not in REVISABLE:
            raise PlanError(
                _(
                    "Only an agreed plan is revised; a proposed or discussed plan is changed "
                    "directly."
                )
            )
        arrays = catalogue_arrays(framework)
        gaps = population_gaps(Person.objects.filter(pk=plan.person_id), framework)
        items = list(plan.items.select_related("module").order_by("position"))
        done = [i for i in items if i.status == ItemStatus.DONE]
        kept = [i for i in items if i.status == ItemStatus.PLANNED]
        index = arrays.index_of_module
        done_modules = frozenset(index[i.module_id] for i in done if i.module_id in index)
        kept_modules = [index[i.module_id] for i in kept if i.module_id in index]
        settings = PlanSettings.current()
        need = need_of(gaps, 0, settings, done_modules)
        order, _stuck = engine.follow(arrays.catalogue, need, kept_modules)
        after = list(need.current)
        for m in order:  # the levels the kept modules will bring
            for c, _low, high in arrays.catalogue.modules[m].raises:
                after[c] = max(after[c], high)
        result = engine.plan_one(
            arrays.catalogue,
            engine.Need(tuple(after), need.target, need.weight, need.language, need.max_hours,
                        done_modules | frozenset(kept_modules)),
            objective=settings.objective,
        )  # fmt: skip
        modules, years = engine.schedule(arrays.catalogue, need, [*kept_modules, *result.modules])
        before = [i.module.code for i in items]
        signatures = {
            "person": plan.person_signed_at.isoformat() if plan.person_signed_at else None,
            "co_signatory": plan.manager_signed_at.isoformat() if plan.manager_signed_at else None,
            "co_signatory_id": plan.manager_signed_by_id,
        }
        plan.items.filter(status=ItemStatus.PLANNED).delete()
        start = len(done)
        PlanItem.objects.bulk_create(
            PlanItem(plan=plan, module=arrays.modules[m], position=start + n, year=y)
            for n, (m, y) in enumerate(zip(modules, years, strict=True))
        )
        plan.status = PlanStatus.PROPOSED
        plan.person_signed_at = plan.manager_signed_at = None
        plan.manager_signed_by = None
        plan.gaps = gaps_in(gaps, 0)
        plan.open_steps = _open_steps(result, arrays)
        plan.version += 1
        plan.updated_at = timezone.now()
        plan.save()
        added = [arrays.modules[m].code for m in result.modules]
        _event(plan, by, PlanEvent.Kind.REVISED,
               {"before": before, "kept": [i.module.code for i in kept], "added": added,
                "agreed_signatures": signatures})  # fmt: skip
    return plan
