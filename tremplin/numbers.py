"""Template filters for hours and euros, in the reader's language, loaded everywhere.

`hours` keeps at most two decimals and drops trailing zeros (3.5 → "3,5" in French);
`euros` groups thousands and shows cents only when there are some ("1 250 €", "12,50 €").
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()

NBSP = "\u00a0"


def _cents(value: object) -> Decimal | None:
    """The value rounded to the cent (None when it is not a number)."""
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def _formatted(amount: Decimal, places: int, unit: str) -> str:
    return f"{number_format(amount, decimal_pos=places, force_grouping=True)}{NBSP}{unit}"


@register.filter
def hours(value: object) -> str:
    amount = _cents(value)
    if amount is None:
        return ""
    places = 0 if amount == amount.to_integral() else len(str(amount.normalize()).split(".")[1])
    return _formatted(amount, places, "h")


@register.filter
def euros(value: object) -> str:
    amount = _cents(value)
    if amount is None:
        return ""
    return _formatted(amount, 0 if amount == amount.to_integral() else 2, "€")
