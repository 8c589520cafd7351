"""Ids in URLs (`<id:pk>`): digits that fit the database's integer column. A longer or larger
number matches no URL, a 404, where Django's `int` reached the database and failed there
(SQLite cannot bind an integer over 2**63)."""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import get_converters

from tremplin.params import INT_MAX


class Id:
    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > INT_MAX:
            raise ValueError(value)  # the pattern does not match
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    """Called by the root URL configuration before it reads the applications' URLs (once: a
    reloaded configuration finds it registered)."""
    if "id" not in get_converters():
        register_converter(Id, "id")
