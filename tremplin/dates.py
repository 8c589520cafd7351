"""Dates written out in full as French writes them: the first of a month is "1er" ("le 1er
janvier 2027", where Django's French format gives "1 janvier 2027"). `date`, loaded in every
template, is Django's filter with this; `written` is `formats.date_format` with it."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.template import defaultfilters
from django.utils import formats, translation

register = template.Library()

_FIRST = re.compile(r"(?<![\d.,/:])1(\s+)(janvier|février|mars|avril|mai|juin|juillet|août|"
                    r"septembre|octobre|novembre|décembre)\b")  # fmt: skip


def first_of_month(text: str) -> str:
    """`text` with "1 janvier" written "1er janvier" when the language is French."""
    if not (translation.get_language() or "").startswith("fr"):
        return text
    return _FIRST.sub(r"1er\1\2", text)


def written(value: Any, format_name: str = "DATE_FORMAT") -> str:
    return first_of_month(formats.date_format(value, format_name))


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's `date` filter, with the first of a month as French writes it."""
    return first_of_month(defaultfilters.date(value, arg))
