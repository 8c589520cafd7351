"""Surveys: their questions, who they were sent to, and the responses.

How a response is kept depends on the survey's anonymity, stated to the respondent before the
first question:

- anonymous: the response has no person, no time and a random id; who answered is kept apart
  on the invitation, only to remind the others, and erased when the survey closes (the counts
  stay); responses are then rewritten in random order (`services.seal`);
- confidential: the response names its person, and only aggregates are ever shown;
- named (the help network): used for the network analysis, seen by the lead alone, deleted
  after the retention period.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tremplin.compute import surveys as rules
from tremplin.learning.models import TrainingSession
from tremplin.people.models import Person
from tremplin.rollout.models import Wave
from tremplin.skills.models import localised


class Anonymity(models.TextChoices):
    ANONYMOUS = "anonymous", _("anonymous")
    CONFIDENTIAL = "confidential", _("confidential")
    NAMED = "named", _("named")


class Kind(models.TextChoices):
    LIKERT5 = rules.LIKERT5, _("agreement, 5 points")
    LIKERT7 = rules.LIKERT7, _("agreement, 7 points")
    SINGLE = rules.SINGLE, _("single choice")
    MULTIPLE = rules.MULTIPLE, _("multiple choice")
    SCALE10 = rules.SCALE10, _("scale from 0 to 10")
    TEXT = rules.TEXT, _("free text")
    COLLEAGUES = rules.COLLEAGUES, _("colleagues (up to three)")


class Survey(models.Model):
    """A survey sent once to a population, between two dates. `template` names the shipped
    template it came from (surveys of one template make a series, compared over time)."""

    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    template = models.CharField(_("template"), max_length=40, blank=True)
    anonymity = models.CharField(
        _("anonymity"), max_length=12, choices=Anonymity.choices, default=Anonymity.ANONYMOUS
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # The population, as chosen: whole units (with their sub-units), job families, waves, the
    # people present at a session.
    units = models.ManyToManyField(
        "people.OrgUnit", blank=True, related_name="+", verbose_name=_("org units")
    )
    families = models.ManyToManyField(
        "people.JobFamily", blank=True, related_name="+", verbose_name=_("job families")
    )
    waves = models.ManyToManyField(
        Wave, blank=True, related_name="surveys", verbose_name=_("waves")
    )
    session = models.ForeignKey(
        TrainingSession,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("attendees of"),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sealed_at = models.DateTimeField(_("sealed"), null=True, blank=True)
    invited = models.PositiveIntegerField(_("invited"), default=0)
    answered = models.PositiveIntegerField(_("answered"), default=0)
    retention_days = models.PositiveSmallIntegerField(
        _("kept for (days)"),
        default=365,
        help_text=_("Named responses are deleted this many days after the survey closes."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def intro(self) -> str:
        return localised(self, "intro")

    def is_open(self) -> bool:
        now = timezone.now()
        return (
            self.sent_at is not None
            and self.opens_at is not None
            and self.opens_at <= now
            and (self.closes_at is None or now < self.closes_at)
        )

    def is_closed(self) -> bool:
        return self.closes_at is not None and timezone.now() >= self.closes_at

    def specs(self) -> list[rules.QuestionSpec]:
        return [q.spec() for q in self.questions.all()]


class Question(models.Model):
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.CharField(_("key"), max_length=30)
    section_fr = models.CharField(_("section (French)"), max_length=200, blank=True)
    section_en = models.CharField(_("section (English)"), max_length=200, blank=True)
    text_fr = models.CharField(_("question (French)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    # [{"key": "chatgpt", "fr": "…", "en": "…"}] for a choice.
    options = models.JSONField(_("options"), default=list, blank=True)
    # {"question": key of an earlier question, "in": [values]}: shown only then.
    show_if = models.JSONField(_("shown if"), default=dict, blank=True)
    # The KPI its answers feed ("satisfaction", "sentiment_speed"…), empty for most.
    kpi = models.CharField(_("indicator fed"), max_length=30, blank=True)

    class Meta:
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="one_question_key"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localised(self, "text")

    @property
    def section(self) -> str:
        return localised(self, "section")

    def choices(self) -> list[tuple[str, str]]:
        suffix = "en" if get_language() == "en" else "fr"
        return [(str(o["key"]), str(o[suffix])) for o in self.options]

    def spec(self) -> rules.QuestionSpec:
        condition = None
        if self.show_if:
            condition = (str(self.show_if["question"]), tuple(str(v) for v in self.show_if["in"]))
        return rules.QuestionSpec(
            self.key,
            self.kind,
            self.required,
            tuple(str(o["key"]) for o in self.options),
            condition,
        )


class Invitation(models.Model):
    """Who a survey was sent to and, only while it is open, whether they answered (for the
    reminders and to refuse a second answer). No time of answer is kept; an anonymous survey's
    invitations are written again, in random order and unanswered, when it closes."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, models.CASCADE, related_name="survey_invitations")
    answered = models.BooleanField(default=False)
    reminded = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="one_invitation"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.person_id}"


class Response(models.Model):
    """One respondent's answers ({question key: answer}); `person` only when the survey is not
    anonymous. A random id and no time: the order of answers cannot be read from it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        Person, models.CASCADE, null=True, blank=True, related_name="survey_responses"
    )
    answers = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"],
                name="one_response",
                condition=models.Q(person__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class Result(models.Model):
    """A survey's protected results for the company's audiences (the lead, the executive
    sponsor, the works council), built once and read by its page: the figures of each table
    (hidden ones with why), the audit report, and the comments shown (only when a question has
    at least `COMMENTS_AT_LEAST` of them)."""

    survey = models.OneToOneField(Survey, models.CASCADE, related_name="result")
    built_at = models.DateTimeField(_("built at"), auto_now=True)
    respondents = models.PositiveIntegerField(_("respondents"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.survey_id}"


from tremplin.voice.idea_models import (  # noqa: E402  (one models module for Django)
    Idea,
    IdeaComment,
    IdeaSettings,
    IdeaStatus,
    Measurement,
    Metric,
    Phase,
    Risk,
    Sensitivity,
    Vote,
)

__all__ = [
    "Anonymity", "Idea", "IdeaComment", "IdeaSettings", "IdeaStatus", "Invitation", "Kind",
    "Measurement", "Metric", "Phase", "Question", "Response", "Result", "Risk", "Sensitivity",
    "Survey", "Vote",
]  # fmt: skip
