"""Who sees which population on the dashboards, and the filters they chose."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tremplin.insights.snapshot import FLAT, Figures
from tremplin.people.models import Role, roles_of

DIMENSIONS = ("unit", *FLAT)


@dataclass
class View:
    """The population the programme lead looks at, narrowed by filters, at a date: raw
    figures (every other reader reads their publication, `insights.published`)."""

    figures: Figures
    scope: np.ndarray  # (people,) bool
    filters: dict[str, int]  # dimension -> index in the snapshot's arrays
    period: int  # index into figures.periods

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
    """The programme lead's view of everyone (403 for anyone else), with the filters and
    the date in the query string."""
    if Role.LEAD not in roles_of(request.user):
        raise PermissionDenied
    scope = np.ones(figures["person_ids"].size, dtype=bool)
    filters = chosen_filters(request, figures)
    last = len(figures.periods) - 1
    raw_period = request.GET.get("period", "")
    period = int(raw_period) if raw_period.isdigit() and int(raw_period) <= last else last
    return View(figures, scope, filters, period)
