"""The calibration's flag codes (`compute.calibration`) in words, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import gettext_lazy as _

from tremplin.compute import calibration

register = template.Library()

FLAGS = {
    calibration.FLAG_FEW: _("few answers"),
    calibration.FLAG_WEAK: _("weak discrimination"),
    calibration.FLAG_NEGATIVE: _("negative discrimination"),
    calibration.FLAG_EXTREME: _("extreme difficulty"),
    calibration.FLAG_MISFIT: _("misfit"),
}


@register.filter
def flag_labels(codes: Iterable[str] | None) -> str:
    """The codes in words, e.g. ["few_answers", "misfit"] (an unknown code as it is)."""
    return ", ".join(str(FLAGS.get(code, code)) for code in codes or ())


@register.simple_tag
def flag_label(code: str) -> str:
    return str(FLAGS.get(code, code))
