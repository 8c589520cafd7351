"""Who sees which population on the dashboards, and the filters they chose."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tremplin.compute.privacy import Cube
from tremplin.insights.snapshot import FLAT, Figures, min_group_size
from tremplin.people.models import Person, Role, person_of, roles_of

COMPANY_ROLES = {Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL}
DIMENSIONS = ("unit", *FLAT)


@dataclass
class View:
    """The population a reader looks at: their scope, narrowed by filters, at a date."""

    figures: Figures
    scope: np.ndarray  # (people,) bool
    cube: Cube
    k: int
    filters: dict[str, int]  # dimension -> index in the snapshot's arrays
    period: int  # index into figures.periods
    manager: Person | None  # set when the scope is a reporting line

    def mask(self, **extra: int) -> np.ndarray:
        """People of the scope matching the filters (and `extra` ones), as a boolean mask."""
        return self.select({**self.filters, **extra})

    def select(self, filters: dict[str, int]) -> np.ndarray:
        """People of the scope matching `filters` alone (the reader's filters left aside)."""
        selected = self.scope.copy()
        for dimension, value in filters.items():
            codes = self.figures[dimension]
            if dimension == "unit":
                selected &= np.isin(codes, self.subtree(value))
            else:
                selected &= codes == value
        return selected

    def subtree(self, unit: int) -> np.ndarray:
        parent = self.figures["unit_parent"]
        inside = np.zeros(parent.size, dtype=bool)
        inside[unit] = True
        for _ in range(parent.size):
            grown = inside | ((parent >= 0) & inside[np.maximum(parent, 0)])
            if (grown == inside).all():
                break
            inside = grown
        return np.flatnonzero(inside)

    def branches(self, roots: np.ndarray) -> np.ndarray:
        """For each unit, the position in `roots` of the root whose subtree holds it (−1: none)."""
        parent = self.figures["unit_parent"]
        label = np.full(parent.size, -1)
        label[roots] = np.arange(roots.size)
        for _ in range(parent.size):
            open_ = (label < 0) & (parent >= 0)
            inherited = np.where(open_, label[np.maximum(parent, 0)], label)
            if (inherited == label).all():
                break
            label = inherited
        return label

    def visible(self, **extra: int) -> bool:
        """Whether figures about the filtered population (and `extra` filters) may be shown."""
        return self.shows({**self.filters, **extra})

    def shows(self, filters: dict[str, int]) -> bool:
        """Whether figures about the population `filters` select may be shown."""
        return self.cube.visible(filters.get("unit"), *(filters.get(name) for name in FLAT))


def _choice(request: HttpRequest, name: str, keys: np.ndarray) -> int | None:
    raw = request.GET.get(name, "")
    if not raw.isdigit():
        return None
    at = np.flatnonzero(keys == int(raw))
    return int(at[0]) if at.size else None


def chosen_filters(request: HttpRequest, figures: Figures, prefix: str = "") -> dict[str, int]:
    """The unit, family, site and wave filters in the query string (`prefix` + name), as
    indexes."""
    filters = {}
    for name in DIMENSIONS:
        chosen = _choice(request, prefix + name, figures[f"{name}_ids"])
        if chosen is not None:
            filters[name] = chosen
    return filters


def view_for(request: HttpRequest, figures: Figures) -> View:
    """The reader's scope (403 if they have none) and the filters in the query string."""
    roles = roles_of(request.user)
    manager = None
    if roles & COMPANY_ROLES:
        scope = np.ones(figures["person_ids"].size, dtype=bool)
        scope_key = 0
    elif Role.MANAGER in roles and (me := person_of(request.user)) is not None:
        manager = me
        line = np.array(
            list(Person.objects.reporting_line_of(me).values_list("pk", flat=True)),
            dtype=np.int64,
        )
        scope = np.isin(figures["person_ids"], line)
        scope_key = me.pk
    else:
        raise PermissionDenied
    k = min_group_size()
    filters = chosen_filters(request, figures)
    last = len(figures.periods) - 1
    raw_period = request.GET.get("period", "")
    period = int(raw_period) if raw_period.isdigit() and int(raw_period) <= last else last
    return View(figures, scope, figures.cube(scope, scope_key, k), k, filters, period, manager)
