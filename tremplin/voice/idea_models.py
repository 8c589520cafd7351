"""The idea box: AI use cases proposed by anyone, voted on, discussed, taken through review,
pilot and deployment, and measured before and after so that their gain is known."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import OrgUnit, Person
from tremplin.skills.models import Competence


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    REVIEW = "review", _("under review")
    PILOT = "pilot", _("in pilot")
    DEPLOYED = "deployed", _("deployed")
    DECLINED = "declined", _("declined")


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("public information only")
    INTERNAL = "internal", _("internal documents")
    CONFIDENTIAL = "confidential", _("confidential business data")
    PERSONAL = "personal", _("personal data")


class Risk(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Idea(models.Model):
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem it solves"))
    team = models.ForeignKey(
        OrgUnit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    tools = models.CharField(_("AI tools"), max_length=300, blank=True)
    expected_hours = models.DecimalField(
        _("expected gain (hours per month)"), max_digits=8, decimal_places=1, default=0
    )
    sensitivity = models.CharField(
        _("data it uses"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    risk = models.CharField(_("risk"), max_length=6, choices=Risk.choices, default=Risk.LOW)
    author = models.ForeignKey(
        Person, models.SET_NULL, null=True, related_name="ideas", verbose_name=_("author")
    )
    owner = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas_owned",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED
    )
    declined_because = models.TextField(_("declined because"), blank=True)
    competences = models.ManyToManyField(
        Competence, blank=True, related_name="ideas", verbose_name=_("competences it needs")
    )
    created_at = models.DateTimeField(_("submitted on"), default=timezone.now)
    votes_count = models.PositiveIntegerField(_("votes"), default=0)
    # A success story, published only with its author's consent.
    story = models.TextField(_("success story"), blank=True)
    story_consent = models.BooleanField(_("the author agrees to its publication"), default=False)

    class Meta:
        ordering = ["-votes_count", "-pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(declined_because=""),
                name="declined_with_a_reason",
                violation_error_message=_("A declined idea needs its reason."),
            ),
            models.CheckConstraint(
                condition=models.Q(expected_hours__gte=0),
                name="expected_gain_not_negative",
                violation_error_message=_("The expected gain cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    idea = models.ForeignKey(Idea, models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, models.CASCADE, related_name="idea_votes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "person"], name="one_vote")]

    def __str__(self) -> str:
        return f"{self.idea_id} {self.person_id}"


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, models.CASCADE, related_name="comments")
    person = models.ForeignKey(Person, models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Metric(models.TextChoices):
    MINUTES = "minutes", _("minutes per task")
    ERRORS = "errors", _("error rate (%)")
    VOLUME = "volume", _("tasks per month")


class Phase(models.TextChoices):
    BEFORE = "before", _("before")
    AFTER = "after", _("after")


class Measurement(models.Model):
    """A mean over a number of observations, before or after the use case."""

    idea = models.ForeignKey(Idea, models.CASCADE, related_name="measurements")
    metric = models.CharField(_("what"), max_length=8, choices=Metric.choices)
    phase = models.CharField(_("when"), max_length=6, choices=Phase.choices)
    mean = models.DecimalField(_("mean"), max_digits=10, decimal_places=2)
    observations = models.PositiveIntegerField(_("observations"))
    sd = models.DecimalField(
        _("standard deviation"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    measured_on = models.DateField(_("measured on"), default=timezone.localdate)
    by = models.ForeignKey(Person, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["metric", "phase", "-measured_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(observations__gte=1),
                name="measured_at_least_once",
                violation_error_message=_("A measurement rests on at least one observation."),
            ),
            models.CheckConstraint(
                condition=models.Q(mean__gte=0),
                name="measured_not_negative",
                violation_error_message=_("A measurement cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} {self.metric} {self.phase}"


class IdeaSettings(models.Model):
    """One row, edited by the programme lead: what an hour saved is worth."""

    hourly_cost = models.DecimalField(
        _("value of an hour saved (€)"),
        max_digits=7,
        decimal_places=2,
        default=45,
        help_text=_("Loaded hourly cost used to value the time the use cases save."),
    )

    def __str__(self) -> str:
        return str(self.hourly_cost)

    @classmethod
    def current(cls) -> IdeaSettings:
        return cls.objects.order_by("pk").first() or cls.objects.create()
