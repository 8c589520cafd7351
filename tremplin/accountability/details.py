"""The details the application writes in the audit log, kept as codes ("@kind|value|…") and put
into words in the reader's language when the log is shown or exported. Any other detail (a
download's file name, an erasure's code) is shown as written."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tremplin.accountability.models import Target


def coded(kind: str, *values: object) -> str:
    assert kind in WORDS, kind
    return "|".join([f"@{kind}", *(str(v).replace("|", "/") for v in values)])


def shown(detail: str) -> str:
    if detail.startswith("@"):
        kind, *values = detail[1:].split("|")
        words = WORDS.get(kind)
        if words is not None:
            try:
                return words(*values)
            except (TypeError, ValueError):  # a line written by another version
                pass
    return detail


def _retention(target: str, count: str) -> str:
    what = Target(target).label if target in Target.values else target
    return _("%(data)s: %(n)s deleted") % {"data": what, "n": number_format(int(count))}


WORDS: dict[str, Callable[..., str]] = {
    "sso-login": lambda: _("login made at the first single sign-on"),
    "sso-roles": lambda changed: (
        _("roles from the provider's groups: %(changed)s") % {"changed": changed}
    ),
    "token": lambda prefix: _("through the API token %(prefix)s…") % {"prefix": prefix},
    "retention": _retention,
}
