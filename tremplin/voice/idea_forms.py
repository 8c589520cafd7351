"""The idea box's forms: an idea, a measurement, a success story."""

from __future__ import annotations

from django import forms

from tremplin.skills.models import Competence, Framework
from tremplin.voice.idea_models import Idea, IdeaSettings, Measurement


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


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["metric", "phase", "mean", "observations", "sd", "measured_on"]
        widgets = {"measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class StoryForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = ["story", "story_consent"]
        widgets = {"story": forms.Textarea(attrs={"rows": 4})}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = IdeaSettings
        fields = ["hourly_cost"]
