"""Texts from a file checked against the columns they go to: SQLite stores a longer one,
PostgreSQL refuses it (the import rolled back with a server error and no word of why)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def fit(model: type[models.Model], name: str, text: str) -> str:
    """`text` cut to what the model's column `name` holds (a name or subject built from
    others' names, where refusing would lose the record)."""
    most = getattr(model._meta.get_field(name), "max_length", None)
    return text[:most] if most else text


def too_long(
    model: type[models.Model], values: Mapping[str, Any], names: Iterable[str] | None = None
) -> list[tuple[str, int]]:
    """(field, most) for each text among `values` (those `names` only, when given) longer
    than its model's column."""
    found = []
    for name in names if names is not None else values:
        value = values.get(name)
        most = getattr(model._meta.get_field(name), "max_length", None)
        if most and isinstance(value, str) and len(value) > most:
            found.append((name, most))
    return found
