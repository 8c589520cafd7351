from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.people.forms import UnitChoices, active_person
from tremplin.people.models import Person
from tremplin.rollout.models import Communication, RoadmapStep, Wave


class WaveForm(forms.ModelForm[Wave]):
    """A wave: its org units from a list, and people named by employee id, one per line."""

    units = UnitChoices(
        label=_("Org units"), help_text=_("Everyone in these units and their sub-units.")
    )

    employee_ids = forms.CharField(
        label=_("People named one by one"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Employee ids, one per line or separated by commas."),
    )

    class Meta:
        model = Wave
        fields = ["name", "pilot", "starts_on", "units"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            named = self.instance.people.order_by("employee_id")
            self.initial["employee_ids"] = "\n".join(p.employee_id for p in named)

    def clean_employee_ids(self) -> list[Person]:
        wanted = [i for i in re.split(r"[\s,;]+", self.cleaned_data["employee_ids"]) if i]
        found = {p.employee_id: p for p in Person.objects.filter(employee_id__in=wanted)}
        unknown = [i for i in wanted if i not in found]
        if unknown:
            raise forms.ValidationError(
                _("No person has the employee id %(ids)s."), params={"ids": ", ".join(unknown)}
            )
        return list(found.values())

    def clean_pilot(self) -> bool:
        pilot = bool(self.cleaned_data["pilot"])
        other = Wave.objects.filter(pilot=True).exclude(pk=self.instance.pk).first()
        if pilot and other is not None:
            raise forms.ValidationError(
                _("%(name)s is already the pilot; there is only one."), params={"name": other}
            )
        return pilot


class RoadmapStepForm(forms.ModelForm[RoadmapStep]):
    owner_id = forms.CharField(label=_("Owner (employee id)"), max_length=64, required=False)

    class Meta:
        model = RoadmapStep
        fields = ["status", "due_on", "evidence"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        owner = self.instance.owner
        self.initial["owner_id"] = owner.employee_id if owner else ""

    def clean_owner_id(self) -> Person | None:
        return active_person(self.cleaned_data["owner_id"])

    def save(self, commit: bool = True) -> RoadmapStep:
        self.instance.owner = self.cleaned_data["owner_id"]
        return super().save(commit)


class CommunicationForm(forms.ModelForm[Communication]):
    owner_id = forms.CharField(label=_("Owner (employee id)"), max_length=64, required=False)

    class Meta:
        model = Communication
        fields = ["at", "wave", "audience", "kind", "channel", "title_fr", "title_en", "body_fr",
                  "body_en"]  # fmt: skip
        widgets = {
            "at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "body_fr": forms.Textarea(attrs={"rows": 4}),
            "body_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        at = self.fields["at"]
        assert isinstance(at, forms.DateTimeField)
        at.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        owner = self.instance.owner
        self.initial["owner_id"] = owner.employee_id if owner else ""

    def clean_owner_id(self) -> Person | None:
        return active_person(self.cleaned_data["owner_id"])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("audience") != Communication.Audience.COMPANY and not data.get("wave"):
            self.add_error("wave", _("Choose the wave this audience belongs to."))
        if data.get("channel") == Communication.Channel.EMAIL:
            for name in ("body_fr", "body_en"):
                if not str(data.get(name) or "").strip():
                    self.add_error(name, _("An e-mail needs its message in both languages."))
        return data

    def save(self, commit: bool = True) -> Communication:
        self.instance.owner = self.cleaned_data["owner_id"]
        return super().save(commit)
