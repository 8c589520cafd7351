"""The lead's forms: a survey's population and dates, and one question."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.compute import surveys as rules
from tremplin.voice.models import Question, Survey

UPLOAD_LIMIT = 200_000  # a template is a few kilobytes


class SendForm(forms.ModelForm):
    """Who the survey goes to and when it is open."""

    opens_at = forms.DateTimeField(
        label=_("Opens"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Survey
        fields = ["units", "families", "waves", "session"]
        widgets = {
            "units": forms.SelectMultiple(attrs={"size": 6}),
            "families": forms.SelectMultiple(attrs={"size": 6}),
            "waves": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.localtime().replace(second=0, microsecond=0)
        survey: Survey = self.instance
        self.fields["opens_at"].initial = survey.opens_at or now
        self.fields["closes_at"].initial = survey.closes_at or now + datetime.timedelta(days=14)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("units", "families", "waves", "session")):
            raise forms.ValidationError(_("Choose who the survey is for."))
        return data


class QuestionForm(forms.ModelForm):
    """One question; the options of a choice one per line as "key | French | English", and a
    show-if as an earlier question's key and the values that show this one."""

    option_lines = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a choice, one per line: key | French | English."),
    )
    show_if_question = forms.CharField(label=_("Shown only if question (key)"), required=False)
    show_if_values = forms.CharField(
        label=_("has one of these answers"),
        required=False,
        help_text=_("Separated by commas: option keys, or numbers on a scale."),
    )

    class Meta:
        model = Question
        fields = ["key", "section_fr", "section_en", "text_fr", "text_en", "kind", "required"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        question: Question = self.instance
        self.fields["option_lines"].initial = "\n".join(
            f"{o['key']} | {o['fr']} | {o['en']}" for o in question.options or []
        )
        if question.show_if:
            self.fields["show_if_question"].initial = question.show_if["question"]
            self.fields["show_if_values"].initial = ", ".join(question.show_if["in"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        options = []
        for number, line in enumerate(str(data.get("option_lines") or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not all(parts):
                self.add_error(
                    "option_lines",
                    _("Line %(n)s: expected key | French | English.") % {"n": number},
                )
                return data
            options.append({"key": parts[0], "fr": parts[1], "en": parts[2]})
        self.instance.options = options
        on = str(data.get("show_if_question") or "").strip()
        values = [v.strip() for v in str(data.get("show_if_values") or "").split(",") if v.strip()]
        self.instance.show_if = {"question": on, "in": values} if on else {}
        return data

    def problems(self, survey: Survey) -> list[str]:
        """The survey's questions with this one, checked as a template would be."""
        question: Question = self.instance
        others = [q for q in survey.questions.all() if q.pk != question.pk]
        if question.pk is None:
            question.order = max((q.order for q in others), default=0) + 1
        ordered = sorted([*others, question], key=lambda q: q.order)
        found = rules.template_problems(
            [
                {
                    "key": q.key,
                    "kind": q.kind,
                    "text_fr": q.text_fr,
                    "text_en": q.text_en,
                    "options": q.options,
                    "show_if": q.show_if,
                }
                for q in ordered
            ]
        )
        if question.kind == rules.COLLEAGUES and survey.anonymity != "named":
            return [str(_("Only a named survey may ask to name colleagues."))]
        at = ordered.index(question) + 1
        from tremplin.voice.services import TEMPLATE_MESSAGES

        return [
            f"{field}: {TEMPLATE_MESSAGES.get(code, code)}"
            for number, field, code in found
            if number == at
        ]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Template file (JSON)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_LIMIT:
            raise forms.ValidationError(
                _("A template file holds at most %(n)s kilobytes.") % {"n": UPLOAD_LIMIT // 1000}
            )
        return upload


class SurveyForm(forms.ModelForm):
    """A draft's titles, introductions, anonymity and how long named answers are kept."""

    class Meta:
        model = Survey
        fields = ["title_fr", "title_en", "intro_fr", "intro_en", "anonymity", "retention_days"]
        widgets = {
            "intro_fr": forms.Textarea(attrs={"rows": 2}),
            "intro_en": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        survey: Survey = self.instance
        named = survey.pk and survey.questions.filter(kind=rules.COLLEAGUES).exists()
        if named and data.get("anonymity") != "named":
            raise forms.ValidationError(_("Only a named survey may ask to name colleagues."))
        return data
