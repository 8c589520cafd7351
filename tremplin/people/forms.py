from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.people.imports.columns import FIELDS, IGNORE
from tremplin.people.models import JobFamily, OrgUnit, Person, Site
from tremplin.uploads import sized_file


def active_person(employee_id: str) -> Person | None:
    """The active person an employee-id field names (None when the field is empty)."""
    employee_id = employee_id.strip()
    if not employee_id:
        return None
    found = Person.objects.filter(employee_id=employee_id, active=True).first()
    if found is None:
        raise forms.ValidationError(
            _("No active person has the employee id %(id)s.") % {"id": employee_id}
        )
    return found


class UnitChoices(forms.ModelMultipleChoiceField):
    """Org units in tree order, indented by depth, as ticked boxes in a scrolling list (what is
    ticked stays visible, unlike a multiple select); none ticked is allowed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "choices"}))
        super().__init__(OrgUnit.objects.order_by("path"), **kwargs)

    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{'· ' * obj.depth}{obj.name}"


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, employee id or e-mail")}
        ),
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.all(),
        required=False,
        empty_label=_("All units"),
    )
    job_family = forms.ModelChoiceField(
        label=_("Job family"),
        queryset=JobFamily.objects.all(),
        required=False,
        empty_label=_("All job families"),
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, empty_label=_("All sites")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].label_from_instance = (  # type: ignore[attr-defined]
            lambda unit: "\u00a0\u00a0" * unit.depth + unit.name
        )


class PeopleUploadForm(forms.Form):
    file = forms.FileField(
        label=_("People file (CSV or Excel .xlsx)"),
        help_text=_(
            "As your HR system exports it: separators “;” or “,”, UTF-8 or Windows-1252, "
            "dates as dd/mm/yyyy. French or English headers."
        ),
    )

    def clean_file(self) -> Any:
        return sized_file(self.cleaned_data["file"])


def field_choices() -> list[tuple[str, str]]:
    return [(IGNORE, str(_("— ignore this column —")))] + [
        (key, str(label)) for key, label in FIELDS.items()
    ]


class ColumnMappingForm(forms.Form):
    """One select per header that was not recognised (or was mapped before)."""

    def __init__(
        self, *args: Any, headers: list[str], mapping: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header,
                choices=field_choices(),
                initial=mapping.get(header, IGNORE),
            )

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data[f"column_{i}"] for i, header in enumerate(self.headers)}
