"""Numbers read from a query string or a form post, kept within what the database and the
calendar accept (a huge or malformed value falls back instead of raising a server error)."""

from __future__ import annotations

INT_MAX = 2**31 - 1  # the largest integer column of PostgreSQL
YEARS = (1900, 2200)


def bounded_int(text: str | None, default: int, low: int = 0, high: int = INT_MAX) -> int:
    try:
        value = int(text or "")
    except ValueError:
        return default
    return value if low <= value <= high else default


def year(text: str | None, default: int) -> int:
    return bounded_int(text, default, *YEARS)
