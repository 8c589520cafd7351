from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.governance.models import AISystem, SystemStatus
from tremplin.people.models import Person
from tremplin.risks import services
from tremplin.risks.models import Diagnostic, RiskLine

DATE = {"type": "date"}


class StartForm(forms.ModelForm):
    class Meta:
        model = Diagnostic
        fields = ["system", "unit", "held_on"]
        widgets = {"held_on": forms.DateInput(DATE, format="%Y-%m-%d")}
        help_texts = {"held_on": _("The day management, staff and representatives meet to "
                                   "answer; it can be planned ahead.")}  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        systems = AISystem.objects.exclude(status=SystemStatus.FORBIDDEN)
        self.fields["system"].queryset = systems  # type: ignore[attr-defined]


class LineForm(forms.ModelForm):
    owner_id = forms.CharField(
        label=_("Owner (employee id)"), max_length=64, required=False,
        widget=forms.TextInput(attrs={"list": "people", "autocomplete": "off"}),
    )  # fmt: skip

    class Meta:
        model = RiskLine
        fields = ["hazard", "severity", "likelihood", "existing_measures", "actions", "owner_id",
                  "due_on"]  # fmt: skip
        widgets = {"hazard": forms.Textarea(attrs={"rows": 2}),
                   "existing_measures": forms.Textarea(attrs={"rows": 3}),
                   "actions": forms.Textarea(attrs={"rows": 3}),
                   "due_on": forms.DateInput(DATE, format="%Y-%m-%d")}  # fmt: skip

    def __init__(self, *args: Any, in_register: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_register = in_register
        hint = gettext("The list offers the unit's people and the heads of units.")
        if self.instance.owner_id:
            owner = self.instance.owner
            if not self.is_bound:
                self.initial["owner_id"] = owner.employee_id
            hint = gettext("Now: %(name)s. %(hint)s") % {"name": owner.full_name, "hint": hint}
        self.fields["owner_id"].help_text = hint

    def clean_owner_id(self) -> Person | None:
        text = self.cleaned_data.get("owner_id", "").strip()
        if not text:
            return None
        found = services.active_person(text)
        if found is None:
            raise forms.ValidationError(
                _("Unknown owner: no active person has the employee id “%(id)s”."),
                params={"id": text},
            )
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.in_register:
            if data.get("owner_id") is None and "owner_id" not in self.errors:
                self.add_error("owner_id", _("A line in the register has an owner."))
            if not data.get("due_on"):
                self.add_error("due_on", _("A line in the register has a due date."))
        return data
