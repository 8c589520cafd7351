"""A downloaded file's name in the reader's language ("personnes-2026-12-05.xlsx", "people-…"),
plain ASCII so that every system keeps it: accents dropped, spaces as hyphens."""

from __future__ import annotations

from django.utils.text import slugify


def file_name(*parts: object, extension: str) -> str:
    """`parts` (words already translated, codes, dates) joined by hyphens, then the extension."""
    words = [slugify(str(part)) for part in parts]
    return "-".join(w for w in words if w) + f".{extension}"
