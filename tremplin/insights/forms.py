from __future__ import annotations

from django import forms

from tremplin.insights.models import InsightSettings


class InsightSettingsForm(forms.ModelForm[InsightSettings]):
    class Meta:
        model = InsightSettings
        fields = ["min_group_size"]
