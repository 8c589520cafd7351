from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.assessments.models import Campaign, CareerInterview, Item, QuizSettings
from tremplin.assessments.queries import ToAssess
from tremplin.params import INT_MAX
from tremplin.people.forms import UnitChoices
from tremplin.people.models import Person
from tremplin.skills.models import Competence, Level


class CampaignForm(forms.ModelForm[Campaign]):
    org_units = UnitChoices(
        label=_("Org units"),
        help_text=_("Sub-units are included. Leave the population empty for everyone."),
    )
    employee_ids = forms.CharField(
        label=_("People (employee ids)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by spaces, commas or new lines."),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "self_assessment",
            "manager_assessment",
            "quiz",
            "opens_on",
            "closes_on",
            "org_units",
            "job_families",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "job_families": forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        }

    def clean_employee_ids(self) -> list[Person]:
        raw = self.cleaned_data["employee_ids"].replace(",", " ").split()
        found = {p.employee_id: p for p in Person.objects.filter(employee_id__in=raw)}
        unknown = [code for code in raw if code not in found]
        if unknown:
            raise ValidationError(
                _("Unknown employee ids: %(ids)s"), params={"ids": ", ".join(unknown)}
            )
        return list(found.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("self_assessment") or data.get("manager_assessment") or data.get("quiz")):
            raise ValidationError(_("Choose at least one kind of assessment."))
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The campaign must close after it opens."))
        return data


class RatingsForm(forms.Form):
    """One choice of level per competence, with the level descriptors as the choices' text."""

    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, to_assess: list[ToAssess], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.to_assess = to_assess
        for entry in to_assess:
            texts = {d.level: d.text for d in entry.competence.descriptors.all()}
            choices = [
                (
                    level.value,
                    f"{level.label} — {texts[level.value]}" if level in texts else level.label,
                )
                for level in Level
            ]
            self.fields[f"level_{entry.competence.code}"] = forms.TypedChoiceField(
                label=entry.competence.name,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def rows(self) -> list[tuple[ToAssess, forms.BoundField]]:
        return [(e, self[f"level_{e.competence.code}"]) for e in self.to_assess]

    def levels(self) -> dict[str, int]:
        return {
            e.competence.code: self.cleaned_data[f"level_{e.competence.code}"]
            for e in self.to_assess
            if self.cleaned_data.get(f"level_{e.competence.code}") not in (None, "")
        }


class InterviewForm(forms.ModelForm[CareerInterview]):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=INT_MAX)

    class Meta:
        model = CareerInterview
        fields = ["held_on", "learned", "wishes", "priorities"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "learned": forms.Textarea(attrs={"rows": 4}),
            "wishes": forms.Textarea(attrs={"rows": 4}),
            "priorities": forms.Textarea(attrs={"rows": 4}),
        }


class ItemForm(forms.ModelForm[Item]):
    competences_text = forms.CharField(
        label=_("Competences"), help_text=_("Competence codes, the main one first.")
    )
    options_fr_text = forms.CharField(
        label=_("Options (French)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option per line, 2 to 6."),
    )
    options_en_text = forms.CharField(
        label=_("Options (English)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option per line, in the same order."),
    )

    class Meta:
        model = Item
        fields = [
            "code",
            "status",
            "prior_difficulty",
            "stem_fr",
            "stem_en",
            "correct",
            "explanation_fr",
            "explanation_en",
        ]
        widgets = {
            "stem_fr": forms.Textarea(attrs={"rows": 3}),
            "stem_en": forms.Textarea(attrs={"rows": 3}),
            "explanation_fr": forms.Textarea(attrs={"rows": 3}),
            "explanation_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"correct": _("Number of the right option, counted from 0.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["competences_text"].initial = " ".join(self.instance.competences)
            self.fields["options_fr_text"].initial = "\n".join(self.instance.options_fr)
            self.fields["options_en_text"].initial = "\n".join(self.instance.options_en)

    def clean(self) -> dict[str, Any]:
        from tremplin.assessments.bank import check_item
        from tremplin.skills.queries import active_framework

        data = super().clean() or {}
        if self.errors:
            return data
        framework = active_framework()
        known = set(framework.competences.values_list("code", flat=True)) if framework else set()
        row = {
            **data,
            "competences": data.get("competences_text", ""),
            "options_fr": data.get("options_fr_text", "").splitlines(),
            "options_en": data.get("options_en_text", "").splitlines(),
        }
        item, problems = check_item(row, str(_("this item")), known)
        if problems:
            raise ValidationError(problems)
        self.instance.competences = item["competences"]
        self.instance.options_fr = item["options_fr"]
        self.instance.options_en = item["options_en"]
        if not self.instance.pk:
            self.instance.b = item["prior_difficulty"]
        return data


class QuizSettingsForm(forms.ModelForm[QuizSettings]):
    cut_scores_text = forms.CharField(
        label=_("Cut scores"),
        help_text=_(
            "Abilities at which levels 1, 2, 3 and 4 start, ascending (e.g. -1.5 -0.5 0.5 1.5)."
        ),
    )

    class Meta:
        model = QuizSettings
        fields = [
            "max_items",
            "min_items",
            "competence_se",
            "se_target",
            "pilot_items",
            "max_exposure",
            "retake_days",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cut_scores_text"].initial = " ".join(str(x) for x in self.instance.cuts)

    def clean_cut_scores_text(self) -> list[float]:
        try:
            cuts = [
                float(x.replace(",", ".")) for x in self.cleaned_data["cut_scores_text"].split()
            ]
        except ValueError as error:
            raise ValidationError(_("Expected four numbers.")) from error
        if len(cuts) != 4 or cuts != sorted(cuts) or len(set(cuts)) != 4:
            raise ValidationError(_("Expected four different numbers in ascending order."))
        return cuts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("min_items")
            and data.get("max_items")
            and data["min_items"] > data["max_items"]
        ):
            self.add_error("min_items", _("The minimum cannot exceed the maximum."))
        return data

    def save(self, commit: bool = True) -> QuizSettings:
        """Writes the form's fields only: the count of quizzes started moves under it."""
        self.instance.cut_scores = self.cleaned_data["cut_scores_text"]
        settings = super().save(commit=False)
        if commit:
            settings.save(update_fields=[*self.Meta.fields, "cut_scores"])
        return settings


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


class EvidenceForm(forms.Form):
    """A certification or a practical case, recorded by the lead or the manager."""

    competence: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Competence.objects.none(), label=_("Competence")
    )
    level = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int)
    assessed_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    evidence_text = forms.CharField(
        label=_("What shows it"), widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_url = forms.URLField(
        label=_("Link"), max_length=500, required=False, assume_scheme="https"
    )
    evidence_file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args: Any, competences: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = competences  # type: ignore[attr-defined]

    def clean_assessed_on(self) -> Any:
        on = self.cleaned_data["assessed_on"]
        if on > timezone.localdate():
            raise ValidationError(_("Evidence cannot be dated in the future."))
        return on

    def clean_evidence_file(self) -> Any:
        from django.conf import settings

        upload = self.cleaned_data.get("evidence_file")
        limit = settings.EVIDENCE_MAX_BYTES
        if upload and upload.size > limit:
            raise ValidationError(
                _("The file is too large (at most %(mb)s MB)."), params={"mb": limit // 1_000_000}
            )
        return upload
