from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.learning.models import PlanSettings, UnitBudget
from tremplin.people.models import OrgUnit


class PlanSettingsForm(forms.ModelForm[PlanSettings]):
    class Meta:
        model = PlanSettings
        fields = ["objective", "max_hours_per_year", "reassess_on_completion"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        hours = self.instance.max_hours_per_year
        if hours is not None and hours == int(hours):
            self.initial["max_hours_per_year"] = int(hours)  # "40", not "40.0"


class UnitBudgetForm(forms.Form):
    """Sets the budget of a unit for a year; an existing one is replaced."""

    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), label=_("Org unit"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("Budget (€)"), min_value=Decimal(0), max_digits=12, decimal_places=2
    )

    def save(self) -> UnitBudget:
        budget, _created = UnitBudget.objects.update_or_create(
            org_unit=self.cleaned_data["org_unit"],
            year=self.cleaned_data["year"],
            defaults={"amount": self.cleaned_data["amount"]},
        )
        return budget
