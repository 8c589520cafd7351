from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.insights.models import Audience, InsightSettings, PublicationPlan
from tremplin.insights.publications import CROSSABLE


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
CROSS_CHOICES = [
    (f"{a}×{b}", f"{dict(TABLE_CHOICES)[a]} × {dict(TABLE_CHOICES)[b]}")
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
