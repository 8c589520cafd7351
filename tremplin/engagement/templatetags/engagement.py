"""Template filters of the engagement pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict[str, str], key: str) -> str:
    """`mapping[key]`, or the key itself when absent."""
    return mapping.get(key, key)
