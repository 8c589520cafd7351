"""Finding people by name as a French user types it: "helene" finds "Hélène", "EMILIE" finds
"Émilie", on SQLite and PostgreSQL alike. Both sides are folded (lower case, the accents of
the Latin letters met in names dropped) by the same table: in Python for the words typed, in
the database for the names, at query time (no column to keep in step)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import CharField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Lower, Replace

FOLDS = {
    "à": "a", "â": "a", "ä": "a", "á": "a", "ã": "a", "å": "a", "ç": "c", "é": "e", "è": "e",
    "ê": "e", "ë": "e", "î": "i", "ï": "i", "í": "i", "ì": "i", "ô": "o", "ö": "o", "ó": "o",
    "ò": "o", "õ": "o", "ø": "o", "ù": "u", "û": "u", "ü": "u", "ú": "u", "ÿ": "y", "ñ": "n",
    "œ": "oe", "æ": "ae", "’": "'",
}  # fmt: skip
_TABLE = str.maketrans(FOLDS)
WORDS = 6  # the words of a search that count: a text of thousands built a query as long
Rows = TypeVar("Rows", bound=QuerySet[Any])


def fold(text: str) -> str:
    """A text as the database's `Folded` gives it."""
    return text.lower().translate(_TABLE)


class Folded(Func):
    """The database's fold of a text column. SQLite: `fold` itself, registered on each
    connection (tremplin/sqlite_like.py; sixty nested REPLACEs overflowed its parser).
    PostgreSQL: LOWER (every letter), TRANSLATE for the one-letter folds, REPLACE for the
    others."""

    function = "TREMPLIN_FOLD"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        single = {a: b for a, b in FOLDS.items() if len(b) == 1}
        result: Any = Func(Lower(self.source_expressions[0]), Value("".join(single)),
                           Value("".join(single.values())), function="TRANSLATE")  # fmt: skip
        for accented, plain in FOLDS.items():
            if len(plain) > 1:
                result = Replace(result, Value(accented), Value(plain))
        return result.as_sql(compiler, connection, **extra)


def search_people(rows: Rows, text: str, *, through: str = "", email: str = "") -> Rows:
    """The rows whose person (`through` a relation, "person__") matches every word typed: in
    the first or last name (folded), or the whole employee id, or the e-mail (`email`, a
    lookup such as "icontains", when given). The first `WORDS` words count."""
    words = text.split()[:WORDS]
    if not words:
        return rows
    rows = rows.alias(
        _folded_first=Folded(F(f"{through}first_name")),
        _folded_last=Folded(F(f"{through}last_name")),
    )
    for word in words:
        match = (
            Q(_folded_last__contains=fold(word))
            | Q(_folded_first__contains=fold(word))
            | Q(**{f"{through}employee_id__iexact": word})
        )
        if email:
            match |= Q(**{f"{through}email__{email}": word})
        rows = rows.filter(match)
    return rows
