"""The idea box's forms: an idea, a measurement, a success story."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.skills.models import Competence, Framework
from tremplin.voice.idea_models import Idea, IdeaSettings, Measurement, Metric


class IdeaForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = [
            "title",
            "problem",
            "team",
            "tools",
            "expected_hours",
            "sensitivity",
            "risk",
            "competences",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "competences": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        active = Framework.objects.filter(is_active=True).order_by("-pk").first()
        field = self.fields["competences"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Competence.objects.filter(framework=active).order_by("code")
        self.fields["expected_hours"].widget.attrs["min"] = "0"

    def clean_expected_hours(self) -> Decimal:
        hours: Decimal = self.cleaned_data["expected_hours"]
        if hours < 0:
            raise forms.ValidationError(
                _("Give the hours the idea would save, 0 or more (0 when you cannot tell).")
            )
        return hours


class MeasurementForm(forms.ModelForm):
    """Its own labels: "what" and "when" alone read as an event and a date in French."""

    class Meta:
        model = Measurement
        fields = ["metric", "phase", "mean", "observations", "sd", "measured_on"]
        widgets = {"measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {
            "metric": pgettext_lazy("measurement", "What was measured"),
            "phase": pgettext_lazy("measurement", "Before or after"),
        }
        error_messages = {
            "metric": {"required": _("Choose what was measured.")},
            "phase": {"required": _("Choose whether it was measured before or after.")},
            "mean": {"required": _("Give the mean measured, 0 or more.")},
            "observations": {
                "required": _("Give how many observations the mean rests on."),
                "min_value": _("A mean rests on at least one observation: give 1 or more."),
            },
            "measured_on": {"required": _("Give the day it was measured.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mean"].widget.attrs["min"] = "0"
        self.fields["observations"].widget.attrs["min"] = "1"
        self.fields["sd"].widget.attrs["min"] = "0"

    def clean_mean(self) -> Decimal:
        mean: Decimal = self.cleaned_data["mean"]
        if mean < 0:
            raise forms.ValidationError(_("A mean cannot be negative: give 0 or more."))
        return mean

    def clean_observations(self) -> int:
        observations: int = self.cleaned_data["observations"]
        if observations < 1:
            raise forms.ValidationError(
                _("A mean rests on at least one observation: give 1 or more.")
            )
        return observations

    def clean_sd(self) -> Decimal | None:
        sd: Decimal | None = self.cleaned_data.get("sd")
        if sd is not None and sd < 0:
            raise forms.ValidationError(_("A standard deviation cannot be negative."))
        return sd

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mean = data.get("mean")
        if data.get("metric") == Metric.ERRORS and mean is not None and mean > 100:
            self.add_error("mean", _("An error rate is between 0 and 100 %."))
        return data


class StoryForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = ["story", "story_consent"]
        widgets = {"story": forms.Textarea(attrs={"rows": 4})}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = IdeaSettings
        fields = ["hourly_cost"]
