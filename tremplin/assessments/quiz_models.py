"""The adaptive quiz: item bank, settings, sessions, answers and calibration runs."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import Person
from tremplin.skills.models import localised


class ItemStatus(models.TextChoices):
    PILOT = "pilot", _("pilot (shown, not scored)")
    CALIBRATED = "calibrated", _("calibrated (scored)")
    RETIRED = "retired", _("retired")


class Item(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    # Competence codes of the active framework, main competence first.
    competences = models.JSONField(_("competences"), default=list)
    stem_fr = models.TextField(_("question (French)"))
    stem_en = models.TextField(_("question (English)"))
    options_fr = models.JSONField(_("options (French)"), default=list)
    options_en = models.JSONField(_("options (English)"), default=list)
    correct = models.PositiveSmallIntegerField(_("right option"))
    explanation_fr = models.TextField(_("explanation (French)"))
    explanation_en = models.TextField(_("explanation (English)"))
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PILOT
    )
    prior_difficulty = models.FloatField(
        _("prior difficulty"),
        validators=[MinValueValidator(-4), MaxValueValidator(4)],
        help_text=_("The authors' estimate, from -3 (very easy) to 3 (very hard)."),
    )
    a = models.FloatField(_("discrimination"), default=1.0)
    b = models.FloatField(_("difficulty"), default=0.0)
    c = models.FloatField(_("guessing"), default=0.0)
    calibrated_at = models.DateTimeField(_("calibrated on"), null=True, blank=True)
    fit_flags = models.JSONField(default=list, blank=True)
    times_shown = models.PositiveIntegerField(_("times shown"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("quiz item")
        verbose_name_plural = _("quiz items")
        indexes = [models.Index(fields=["status"], name="item_status")]

    def __str__(self) -> str:
        return self.code

    @property
    def stem(self) -> str:
        return localised(self, "stem")

    @property
    def options(self) -> list[str]:
        return list(self.options_en if get_language() == "en" else self.options_fr)

    @property
    def explanation(self) -> str:
        return localised(self, "explanation")

    @property
    def main_competence(self) -> str:
        return self.competences[0] if self.competences else ""


class QuizSettings(models.Model):
    """One row: how the quiz runs. Edited by the programme lead."""

    max_items = models.PositiveSmallIntegerField(
        _("maximum number of scored questions"),
        default=30,
        validators=[MinValueValidator(3), MaxValueValidator(60)],
    )
    min_items = models.PositiveSmallIntegerField(
        _("minimum number of scored questions"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    se_target = models.FloatField(
        _("precision to reach (standard error)"),
        default=0.4,
        validators=[MinValueValidator(0.1), MaxValueValidator(1.5)],
        help_text=_("The quiz stops once the standard error of the ability is this small."),
    )
    competence_se = models.FloatField(
        _("precision of a competence level (standard error)"),
        default=0.45,
        validators=[MinValueValidator(0.1), MaxValueValidator(1.5)],
        help_text=_(
            "A competence gets a quiz level only when its standard error is this small; "
            "otherwise the result says that the quiz did not gather enough evidence yet."
        ),
    )
    pilot_items = models.PositiveSmallIntegerField(
        _("pilot questions per quiz"), default=2, validators=[MaxValueValidator(5)]
    )
    max_exposure = models.FloatField(
        _("maximum exposure of a question"),
        default=0.4,
        validators=[MinValueValidator(0.05), MaxValueValidator(1)],
        help_text=_("Share of quizzes above which a question is set aside while others remain."),
    )
    retake_days = models.PositiveIntegerField(
        _("days before the quiz can be taken again"), default=90
    )
    # Abilities at which levels 1, 2, 3 and 4 start.
    cut_scores = models.JSONField(_("cut scores"), default=list)
    # Quizzes ever started: with each item's times_shown (never decremented either), the share
    # of quizzes that showed it, read in one row instead of counting the sessions at every
    # answer. Written only by an increment (quiz.start_or_resume), never by the settings form.
    sessions_started = models.PositiveBigIntegerField(default=0, editable=False)

    DEFAULT_CUT_SCORES = (-1.5, -0.5, 0.5, 1.5)

    class Meta:
        verbose_name = _("quiz settings")
        verbose_name_plural = _("quiz settings")

    def __str__(self) -> str:
        return str(_("quiz settings"))

    @classmethod
    def current(cls) -> QuizSettings:
        found = cls.objects.order_by("pk").first()
        if found is None:
            found = cls.objects.create(cut_scores=list(cls.DEFAULT_CUT_SCORES))
        return found

    @property
    def cuts(self) -> list[float]:
        return [float(x) for x in (self.cut_scores or self.DEFAULT_CUT_SCORES)]


class QuizSessionQuerySet(models.QuerySet["QuizSession"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> QuizSessionQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class QuizSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        FINISHED = "finished", _("finished")
        ABANDONED = "abandoned", _("abandoned")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="quiz_sessions", verbose_name=_("person")
    )
    campaign = models.ForeignKey(
        "assessments.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="quiz_sessions",
        verbose_name=_("campaign"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    language = models.CharField(max_length=2, default="fr")
    seed = models.PositiveIntegerField()
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    theta = models.FloatField(_("ability"), null=True, blank=True)
    se = models.FloatField(_("standard error"), null=True, blank=True)
    # {competence code: {"theta": .., "se": .., "level": ..}} once finished
    results = models.JSONField(default=dict, blank=True)
    # Competence codes the person asked to have measured, in the order the test takes them.
    focus = models.JSONField(default=list, blank=True)

    objects = QuizSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("quiz session")
        verbose_name_plural = _("quiz sessions")
        constraints = [
            # Two open sessions of one person could both be scored: the database refuses it.
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="open"), name="one_open_quiz_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.started_at:%Y-%m-%d}"


class QuizAnswer(models.Model):
    """An item shown in a session; `choice` stays empty until the person answers it."""

    session = models.ForeignKey(QuizSession, models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    scored = models.BooleanField(default=True)
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    correct = models.BooleanField(null=True)
    shown_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "item"], name="item_once_per_session"),
            models.UniqueConstraint(fields=["session", "position"], name="position_once"),
        ]
        indexes = [models.Index(fields=["item", "answered_at"], name="answer_item")]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.position} {self.item_id}"


class CalibrationRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    model = models.CharField(
        _("model"),
        max_length=3,
        choices=[
            ("2pl", _("Standard (difficulty and discrimination)")),
            ("3pl", _("With guessing (for multiple-choice questions)")),
        ],
        default="2pl",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    answers = models.PositiveIntegerField(_("answers used"), default=0)
    people = models.PositiveIntegerField(_("people"), default=0)
    # [{"code", "a", "b", "c", "answers", "p_correct", "fit_p", "flags", "status"}]
    report = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("calibration run")
        verbose_name_plural = _("calibration runs")

    def __str__(self) -> str:
        return f"{self.model} {self.requested_at:%Y-%m-%d %H:%M}"
