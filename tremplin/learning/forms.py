from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.learning.models import Module, PlanSettings, UnitBudget
from tremplin.people.forms import active_person
from tremplin.people.models import OrgUnit, Person


class PlanSettingsForm(forms.ModelForm[PlanSettings]):
    second_signatory_id = forms.CharField(
        label=_("Second signatory for people without a manager (employee id)"),
        required=False,
        max_length=64,
        help_text=_(
            "Signs plans beside the person when they have no manager; the programme "
            "lead when empty."
        ),
    )

    class Meta:
        model = PlanSettings
        fields = ["objective", "max_hours_per_year", "reassess_on_completion"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        hours = self.instance.max_hours_per_year
        if hours is not None and hours == int(hours):
            self.initial["max_hours_per_year"] = int(hours)  # "40", not "40.0"
        chosen = self.instance.second_signatory
        self.initial["second_signatory_id"] = chosen.employee_id if chosen else ""

    def clean_second_signatory_id(self) -> Person | None:
        return active_person(self.cleaned_data["second_signatory_id"])

    def save(self, commit: bool = True) -> PlanSettings:
        self.instance.second_signatory = self.cleaned_data["second_signatory_id"]
        return super().save(commit)


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


class SessionForm(forms.Form):
    """A new training session, as the programme lead schedules it (times in the company's time
    zone)."""

    module = forms.ModelChoiceField(
        queryset=Module.objects.filter(active=True).order_by("code"), label=_("Module")
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    duration_hours = forms.DecimalField(
        label=_("Duration (hours)"),
        min_value=Decimal("0.25"),
        max_value=Decimal(80),
        max_digits=5,
        decimal_places=2,
    )
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Video link"), max_length=200, required=False, assume_scheme="https"
    )
    trainer_id = forms.CharField(
        label=_("Trainer of the company (employee id)"), max_length=64, required=False
    )
    provider = forms.CharField(
        label=_("Or an outside trainer or provider"), max_length=200, required=False
    )

    def clean_trainer_id(self) -> Person | None:
        return active_person(self.cleaned_data["trainer_id"])


class AbsenceForm(forms.Form):
    first_day = forms.DateField(label=_("First day"))
    last_day = forms.DateField(label=_("Last day"))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if isinstance(first, datetime.date) and isinstance(last, datetime.date):
            if last < first:
                raise forms.ValidationError(_("The last day comes after the first."))
            if last < timezone.localdate():
                raise forms.ValidationError(_("These days have passed."))
        return data
