"""The lead's forms: a survey's population and dates, and one question."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.compute import surveys as rules
from tremplin.learning.models import TrainingSession
from tremplin.voice.models import Question, Survey

UPLOAD_LIMIT = 200_000  # a template is a few kilobytes
SESSIONS_OFFERED = datetime.timedelta(days=365)  # a session's survey is sent within a year


class SessionField(forms.ModelChoiceField):
    """A session as the sessions page shows it: its module, its local time, where and who."""

    def label_from_instance(self, obj: Any) -> str:
        when = formats.date_format(timezone.localtime(obj.starts_at), "SHORT_DATETIME_FORMAT")
        where = obj.place or gettext("online")
        return " · ".join(part for part in (obj.module.title, when, where, obj.trainer_name)
                          if part)  # fmt: skip


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
        field_classes = {"session": SessionField}
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
        session = self.fields["session"]
        assert isinstance(session, forms.ModelChoiceField)
        # Only sessions already held (nobody has attended one to come), the last year's.
        held = Q(starts_at__lte=timezone.now(), cancelled_at=None,
                 starts_at__gte=timezone.now() - SESSIONS_OFFERED)  # fmt: skip
        session.queryset = (
            TrainingSession.objects.filter(held | Q(pk=survey.session_id or 0))
            .select_related("module", "trainer")
            .order_by("-starts_at", "pk")
        )

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

    def problems(self, survey: Survey) -> list[tuple[str, str]]:
        """The survey's questions with this one, checked as a template would be: this one's
        problems, each with the field of the form it is about."""
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
            return [("kind", str(_("Only a named survey may ask to name colleagues.")))]
        at = ordered.index(question) + 1
        from tremplin.voice.services import TEMPLATE_MESSAGES

        return [
            (
                _field_of(field, code),
                str(FORM_MESSAGES.get(code) or capfirst(TEMPLATE_MESSAGES.get(code, code))) + ".",
            )
            for number, field, code in found
            if number == at
        ]


# A template's problem is said after its field's name ("key: is used by an earlier question");
# on the form, under the field, as a sentence.
FORM_MESSAGES = {
    "duplicate": _("Another question of this survey already has this key"),
}


def _field_of(field: str, code: str) -> str:
    """The form's field for a field of a template's question."""
    if field == "options":
        return "option_lines"
    if field == "show_if":
        return "show_if_values" if code == "values" else "show_if_question"
    return field


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
