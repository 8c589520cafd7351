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


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def hours(value: object) -> str:
    amount = _decimal(value)
    if amount is None:
        return ""
    amount = amount.quantize(Decimal("0.01"))
    places = 0 if amount == amount.to_integral() else len(str(amount.normalize()).split(".")[1])
    return f"{number_format(amount, decimal_pos=places, force_grouping=True)}{NBSP}h"


@register.filter
def euros(value: object) -> str:
    amount = _decimal(value)
    if amount is None:
        return ""
    amount = amount.quantize(Decimal("0.01"))
    places = 0 if amount == amount.to_integral() else 2
    return f"{number_format(amount, decimal_pos=places, force_grouping=True)}{NBSP}€"
