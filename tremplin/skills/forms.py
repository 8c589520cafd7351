from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.skills.models import Level
from tremplin.skills.queries import EffectiveTarget


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label=_("Framework file (JSON or CSV)"))
    code = forms.CharField(
        label=_("Framework code"),
        required=False,
        max_length=60,
        help_text=_("For a CSV file only: JSON files carry their own."),
    )
    version = forms.CharField(label=_("Version"), required=False, max_length=30)
    name_fr = forms.CharField(label=_("Name (French)"), required=False, max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), required=False, max_length=200)
    activate = forms.BooleanField(label=_("Make it the active framework"), required=False)
    replace = forms.BooleanField(
        label=_("Update this version in place if it already exists"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload and not upload.name.lower().endswith(".json"):
            for key in ("code", "version", "name_fr", "name_en"):
                if not data.get(key):
                    self.add_error(key, _("Required for a CSV file."))
        return data


class TargetsForm(forms.Form):
    """Per competence: inherit the persona's target, or set a level, weight and priority."""

    def __init__(self, *args: Any, targets: list[EffectiveTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            code = target.competence.code
            override = target.override
            self.fields[f"level_{code}"] = forms.TypedChoiceField(
                label=_("Target for %s") % target.competence.name,
                choices=[("", _("Persona default (%s)") % target.persona_level), *Level.choices],
                coerce=int,
                empty_value=None,
                required=False,
                initial=override.level if override else "",
            )
            self.fields[f"weight_{code}"] = forms.DecimalField(
                label=_("Weight for %s") % target.competence.name,
                min_value=Decimal(0),
                max_value=Decimal(10),
                decimal_places=2,
                max_digits=4,
                required=False,
                initial=override.weight if override else Decimal("1.00"),  # as stored: 2 places
            )
            self.fields[f"priority_{code}"] = forms.BooleanField(
                label=_("Priority: %s") % target.competence.name,
                required=False,
                initial=override.priority if override else False,
            )

    def rows(self) -> list[tuple[EffectiveTarget, Any, Any, Any]]:
        return [
            (
                t,
                self[f"level_{t.competence.code}"],
                self[f"weight_{t.competence.code}"],
                self[f"priority_{t.competence.code}"],
            )
            for t in self.targets
        ]

    def entries(self) -> dict[str, tuple[int | None, Decimal, bool]]:
        return {
            t.competence.code: (
                self.cleaned_data[f"level_{t.competence.code}"],
                self.cleaned_data[f"weight_{t.competence.code}"] or Decimal(1),
                self.cleaned_data[f"priority_{t.competence.code}"],
            )
            for t in self.targets
        }
