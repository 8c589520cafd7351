from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tremplin.insights.models import Audience, InsightSettings, PublicationPlan
from tremplin.insights.publications import CROSSABLE
from tremplin.insights.usage_import import FIELDS, IGNORE
from tremplin.insights.usage_import import Mapping as UsageMapping
from tremplin.uploads import sized_file


class InsightSettingsForm(forms.ModelForm[InsightSettings]):
    class Meta:
        model = InsightSettings
        fields = ["min_group_size"]


TABLE_CHOICES = [
    ("department", _("By department")),
    ("department-2", _("By department, one level down")),
    ("family", _("By job family")),
    ("persona", _("By persona")),
    ("site", _("By site")),
    ("wave", _("By wave")),
    ("team", _("By direct report's team (managers)")),
    ("cohort", _("By cohort (first assessed by)")),
]
CROSS_CHOICES = [  # labels in the reader's language (joined when shown, not when imported)
    (f"{a}×{b}", format_lazy("{} × {}", dict(TABLE_CHOICES)[a], dict(TABLE_CHOICES)[b]))
    for i, a in enumerate(CROSSABLE)
    for b in CROSSABLE[i + 1 :]
]


class PublicationPlanForm(forms.ModelForm[PublicationPlan]):
    """One audience's plan: its tables, those per competence, its cross-tables, its periods."""

    tables = forms.MultipleChoiceField(
        label=_("Tables"), choices=TABLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    competences = forms.MultipleChoiceField(
        label=_("Tables per competence (otherwise per tier; the company total always is)"),
        choices=TABLE_CHOICES[:-1],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    crosses = forms.MultipleChoiceField(
        label=_("Cross-tables"),
        choices=CROSS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A cross-table splits each group of the first dimension by the second."),
    )

    class Meta:
        model = PublicationPlan
        fields = ["tables", "competences", "crosses", "periods"]

    def clean_tables(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["tables"]
        team = "team" in chosen
        if self.instance.audience == Audience.MANAGER:
            if not team:
                raise forms.ValidationError(_("A manager's publication needs the team table."))
        elif team:
            raise forms.ValidationError(_("The team table is for managers only."))
        return chosen

    def clean_crosses(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["crosses"]
        if chosen and self.instance.audience == Audience.MANAGER:
            raise forms.ValidationError(_("A reporting line is too small for cross-tables."))
        return chosen


class UsageUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Usage report (CSV or Excel .xlsx)"),
        help_text=_(
            "As the tool's administration exports it: one row per person (and per day or per "
            "tool, when the report has them). French or English headers."
        ),
    )

    def clean_file(self) -> Any:
        return sized_file(self.cleaned_data["file"])


class UsageMappingForm(forms.Form):
    """What each column of a usage report holds; the tool's name and the report's date when
    no column holds them."""

    tool = forms.CharField(
        label=_("Tool's name, when no column holds it"),
        max_length=80,
        required=False,
        help_text=_("For example Microsoft 365 Copilot, ChatGPT Enterprise."),
    )
    day = forms.DateField(
        label=_("Report's date, when no column holds the day of use"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def __init__(self, *args: Any, headers: list[str], mapping: UsageMapping,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [(IGNORE, _("— ignore this column —")),
                   *((key, label) for key, label in FIELDS.items())]  # fmt: skip
        self.initial.update({"tool": mapping.tool, "day": mapping.day or None})
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, initial=mapping.columns.get(header, IGNORE)
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{index}"] for index in range(len(self.headers))]

    def mapping(self) -> UsageMapping:
        day = self.cleaned_data.get("day")
        return UsageMapping(
            {header: self.cleaned_data[f"column_{i}"] for i, header in enumerate(self.headers)},
            self.cleaned_data.get("tool", "").strip(),
            day.isoformat() if day else "",
        )
