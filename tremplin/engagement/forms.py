"""The engagement pages' forms: ambassadors, mentoring, challenges, communities, badges."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.alphabetical import Alphabetical
from tremplin.engagement.ambassador_models import Ambassador, AmbassadorActivity
from tremplin.engagement.mentoring_models import (
    MenteeRequest,
    MentoringFeedback,
    MentoringMeeting,
    MentorOffer,
)
from tremplin.people.models import Language, OrgUnit
from tremplin.skills.models import Competence

DAY_HOURS = 24  # an activity logged for one day


def flash_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """A form posted from a page that shows other things: its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


class AmbassadorForm(forms.ModelForm):
    class Meta:
        model = Ambassador
        fields = ["mission", "teams", "hours_per_month", "office_hours"]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "teams": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = OrgUnit.objects.order_by(Alphabetical("name"))  # type: ignore[attr-defined]


class OfficeHoursForm(forms.ModelForm):
    class Meta:
        model = Ambassador
        fields = ["office_hours"]


class ActivityForm(forms.ModelForm):
    class Meta:
        model = AmbassadorActivity
        fields = ["on", "kind", "people_helped", "hours", "note"]
        widgets = {"on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_on(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["on"])

    def clean_hours(self) -> Decimal:
        hours: Decimal = self.cleaned_data["hours"]
        if hours > DAY_HOURS:
            raise forms.ValidationError(
                _("A day holds %(most)s hours at most: log each day's time on its day.")
                % {"most": DAY_HOURS}
            )
        return hours


def _not_in_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future: log what has happened."))
    return day


class DeclineForm(forms.Form):
    because = forms.CharField(
        label=_("Reason (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = MentoringMeeting
        fields = ["held_on", "minutes", "topics"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "topics": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_held_on(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["held_on"])


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = MentoringFeedback
        fields = ["rating", "goals_reached", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}


class OfferForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = MentorOffer
        fields = ["competences", "capacity", "languages", "remote", "active"]
        widgets = {"competences": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, offerable: list[Competence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competences"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in offerable]
        )
        self.fields["competences"].help_text = _("Those at level 3 or more in your profile.")


class RequestForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = MenteeRequest
        fields = ["goals", "languages", "remote", "active"]
        widgets = {"goals": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, goals: list[Competence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in goals]
        )
        self.fields["goals"].help_text = _(
            "Taken from your gaps: where you are below your job's target."
        )
