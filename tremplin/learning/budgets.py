"""Training budgets of org units: who is charged to which budget, and what is spent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Value

from tremplin.learning.models import PlanItem, PlanStatus, UnitBudget
from tremplin.people.models import Person

NO_BUDGET = -1


def charged_unit(unit_path: str, budget_units: set[int] | dict[int, float]) -> int:
    """The nearest unit, from the unit at `unit_path` up to the root, that has a budget;
    NO_BUDGET if none."""
    for unit_id in reversed([int(x) for x in unit_path.strip("/").split("/") if x]):
        if unit_id in budget_units:
            return unit_id
    return NO_BUDGET


def _spent(year: int, statuses: Iterable[str], budgets: dict[int, float]) -> dict[int, Decimal]:
    """Cost of the modules planned for `year` by plans in `statuses`, per charged budget."""
    spent: dict[int, Decimal] = {}
    items = (
        PlanItem.objects.filter(plan__status__in=list(statuses))
        .filter(year=Value(year) + 1 - F("plan__starts_in"))
        .values_list("plan__person__org_unit__path", "module__cost_per_seat")
    )
    for path, cost in items:
        unit = charged_unit(path or "", budgets)
        if unit != NO_BUDGET:
            spent[unit] = spent.get(unit, Decimal(0)) + cost
    return spent


COMMITTED = (PlanStatus.AGREED, PlanStatus.IN_PROGRESS, PlanStatus.DONE)
PROPOSED = (PlanStatus.PROPOSED, PlanStatus.DISCUSSED)


def budgets_left(
    people: Sequence[Person], year: int, locked: set[int]
) -> tuple[list[int], dict[int, float]]:
    """The budget each person is charged to, and what is left of each budget once the agreed
    plans are paid for. People in `locked` (their plan is agreed) are charged to none."""
    budgets = {b.org_unit_id: float(b.amount) for b in UnitBudget.objects.filter(year=year)}
    if not budgets:
        return [NO_BUDGET] * len(people), {}
    spent = _spent(year, COMMITTED, budgets)
    left = {unit: max(amount - float(spent.get(unit, 0)), 0.0) for unit, amount in budgets.items()}
    return [
        NO_BUDGET
        if p.pk in locked
        else charged_unit(p.org_unit.path if p.org_unit else "", budgets)
        for p in people
    ], left


@dataclass(frozen=True)
class BudgetUse:
    budget: UnitBudget
    committed: Decimal  # agreed, running or done plans
    proposed: Decimal  # plans not yet agreed

    @property
    def left(self) -> Decimal:
        return self.budget.amount - self.committed


def budget_use(year: int) -> list[BudgetUse]:
    budgets = list(UnitBudget.objects.filter(year=year).select_related("org_unit"))
    units = {b.org_unit_id: float(b.amount) for b in budgets}
    committed = _spent(year, COMMITTED, units)
    proposed = _spent(year, PROPOSED, units)
    return [
        BudgetUse(
            b, committed.get(b.org_unit_id, Decimal(0)), proposed.get(b.org_unit_id, Decimal(0))
        )
        for b in budgets
    ]
