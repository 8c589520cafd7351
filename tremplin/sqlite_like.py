"""SQLite's LIKE ignores case for ASCII letters only: a search for "émilie" missed "Émilie",
which PostgreSQL's case-insensitive match finds. On SQLite (the demo, a small installation)
LIKE is replaced by one that ignores case for every letter, as Django's `icontains` means.
Accents still count, as on PostgreSQL."""

from __future__ import annotations

import functools
import re
from typing import Any

from tremplin import alphabetical


@functools.lru_cache(maxsize=512)
def _pattern(pattern: str, escape: str) -> re.Pattern[str]:
    """A LIKE pattern as a regular expression: % any run, _ one character, `escape` before
    either takes it literally."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if escape and char == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def like(pattern: str | None, value: Any, escape: str = "") -> bool | None:
    """SQL's `value LIKE pattern [ESCAPE escape]` (SQLite passes the pattern first), casefolded."""
    if pattern is None or value is None:
        return None
    found = _pattern(pattern.casefold(), escape.casefold())
    return found.fullmatch(str(value).casefold()) is not None


def install(sender: Any, connection: Any, **_: Any) -> None:
    """On each new SQLite connection (the `connection_created` signal); also the fold of
    names the people search compares (tremplin/people/name_search.py) and the collation that
    sorts names (tremplin/alphabetical.py)."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("like", 2, like, deterministic=True)
    connection.connection.create_function("like", 3, like, deterministic=True)
    connection.connection.create_function("tremplin_fold", 1, _fold, deterministic=True)
    alphabetical.install(connection)


def _fold(text: str | None) -> str | None:
    from tremplin.people.name_search import fold

    return None if text is None else fold(text)
