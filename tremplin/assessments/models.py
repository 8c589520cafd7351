"""Campaigns, ratings with their provenance, consolidated levels and career interviews.

The quiz (item bank, sessions, answers, calibration) lives in quiz_models.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.compute import consolidation
from tremplin.people.models import JobFamily, OrgUnit, Person, Role, person_of, user_has_role
from tremplin.skills.models import Competence, Level


class Source(models.TextChoices):
    SELF = consolidation.SELF, _("self-assessment")
    MANAGER = consolidation.MANAGER, _("manager")
    QUIZ = consolidation.QUIZ, _("adaptive quiz")
    EVIDENCE = consolidation.EVIDENCE, _("certification or practical case")
    INTERVIEW = consolidation.INTERVIEW, _("career interview")
    TRAINING = consolidation.TRAINING, _("training module completed")


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    self_assessment = models.BooleanField(_("self-assessment"), default=True)
    manager_assessment = models.BooleanField(_("manager assessment"), default=True)
    quiz = models.BooleanField(_("adaptive quiz"), default=False)
    # The new-campaign form's one-time token: a second post of the same form (a double click,
    # a reload) finds the campaign the first one made instead of making another.
    submission = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    org_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="campaigns", verbose_name=_("org units")
    )
    job_families = models.ManyToManyField(
        JobFamily, blank=True, related_name="campaigns", verbose_name=_("job families")
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="campaigns", verbose_name=_("people")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="campaign_closes_after"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def population(self) -> models.QuerySet[Person]:
        """Active people in the chosen units (and their sub-units), families or list.

        A campaign with no population chosen covers every active person.
        """
        people = Person.objects.filter(active=True)
        units = list(self.org_units.all())
        families = list(self.job_families.all())
        listed = list(self.people.values_list("pk", flat=True))
        if not units and not families and not listed:
            return people
        scope = Q(pk__in=listed)
        for unit in units:
            scope |= Q(org_unit__path__startswith=unit.path)
        if families:
            scope |= Q(job_family__in=families)
        return people.filter(scope)

    def includes(self, person: Person) -> bool:
        return self.population().filter(pk=person.pk).exists()


class RatingQuerySet(models.QuerySet["Rating"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> RatingQuerySet:
        """Programme lead: all. Manager: their reporting line and themselves. Others: their own."""
        return self.filter(person__in=Person.objects.visible_to(user))


class Rating(models.Model):
    """One assessment of one competence. Never edited: a new assessment adds a new rating."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="ratings", verbose_name=_("person")
    )
    competence = models.ForeignKey(
        Competence, models.CASCADE, related_name="ratings", verbose_name=_("competence")
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, validators=[MaxValueValidator(4)]
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    assessed_on = models.DateField(_("assessed on"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    assessor = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings_given",
        verbose_name=_("assessor"),
    )
    campaign = models.ForeignKey(
        Campaign,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("campaign"),
    )
    quiz_session = models.ForeignKey(
        "assessments.QuizSession",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("quiz session"),
    )
    standard_error = models.FloatField(
        _("standard error"),
        null=True,
        blank=True,
        help_text=_("For a quiz level: how precisely the answers measured this competence."),
    )
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True, max_length=500)
    evidence_file_name = models.CharField(_("evidence file"), max_length=255, blank=True)
    evidence_file = models.BinaryField(null=True, blank=True, editable=False)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["person", "competence"], name="rating_person_competence")]

    def __str__(self) -> str:
        return f"{self.person} {self.competence.code} {self.level} ({self.source})"


class CurrentLevel(models.Model):
    """The consolidated level, maintained by services.consolidate_levels when a rating arrives."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="current_levels", verbose_name=_("person")
    )
    competence = models.ForeignKey(
        Competence, models.CASCADE, related_name="current_levels", verbose_name=_("competence")
    )
    level = models.PositiveSmallIntegerField(_("current level"), choices=Level.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    rating = models.ForeignKey(Rating, models.CASCADE, related_name="+")
    self_level = models.PositiveSmallIntegerField(_("self-assessment"), null=True, blank=True)
    manager_level = models.PositiveSmallIntegerField(_("manager"), null=True, blank=True)
    quiz_level = models.PositiveSmallIntegerField(_("quiz"), null=True, blank=True)
    self_manager_disagree = models.BooleanField(_("self and manager disagree"), default=False)
    self_quiz_disagree = models.BooleanField(_("self and quiz disagree"), default=False)
    manager_quiz_disagree = models.BooleanField(_("manager and quiz disagree"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("current level")
        verbose_name_plural = _("current levels")
        constraints = [
            models.UniqueConstraint(fields=["person", "competence"], name="current_level_once")
        ]
        indexes = [models.Index(fields=["competence", "level"], name="current_competence_level")]

    def __str__(self) -> str:
        return f"{self.person} {self.competence.code} {self.level}"

    @property
    def disagrees(self) -> bool:
        return self.self_manager_disagree or self.self_quiz_disagree or self.manager_quiz_disagree


class Draft(models.Model):
    """A self or manager assessment in progress within a campaign: saved, resumed, submitted."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="drafts")
    person = models.ForeignKey(Person, models.CASCADE, related_name="assessment_drafts")
    assessor = models.ForeignKey(Person, models.CASCADE, related_name="+")
    source = models.CharField(max_length=12, choices=Source.choices)
    levels = models.JSONField(default=dict)  # {competence code: level}
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person", "source"], name="one_draft_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.person} {self.source}"


class CareerInterviewQuerySet(models.QuerySet["CareerInterview"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> CareerInterviewQuerySet:
        """The person, the manager who held it while the person is still in their line, and
        the programme lead; nobody else (a manager moved away loses it with the team)."""
        if not user.is_authenticated:
            return self.none()
        if user_has_role(user, Role.LEAD):
            return self
        me = person_of(user)
        if me is None:
            return self.none()
        line = Person.objects.reporting_line_of(me).values("pk")
        return self.filter(Q(person=me) | Q(manager=me, person__in=line))


class CareerInterview(models.Model):
    """The AI section of the yearly career interview ("entretien professionnel").

    It is about development only and is never to be used for performance appraisal: the flag
    below is fixed, shown on every page and export of the record.
    """

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="career_interviews", verbose_name=_("person")
    )
    manager = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        related_name="career_interviews_held",
        verbose_name=_("manager"),
    )
    held_on = models.DateField(_("held on"))
    learned = models.TextField(_("what was learned about AI this year"), blank=True)
    wishes = models.TextField(_("what the person wants to learn"), blank=True)
    priorities = models.TextField(_("priorities agreed"), blank=True)
    not_for_appraisal = models.BooleanField(
        _("separate from performance appraisal"), default=True, editable=False
    )
    person_agreed_at = models.DateTimeField(_("agreed by the person"), null=True, blank=True)
    manager_agreed_at = models.DateTimeField(_("agreed by the manager"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CareerInterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("career interview")
        verbose_name_plural = _("career interviews")
        constraints = [
            models.CheckConstraint(condition=Q(not_for_appraisal=True), name="never_appraisal")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.held_on}"

    @property
    def agreed(self) -> bool:
        return self.person_agreed_at is not None and self.manager_agreed_at is not None

    def mark_agreed_by(self, person: Person) -> bool:
        """Record the agreement of the person or their manager; False for anyone else."""
        if person == self.person:
            self.person_agreed_at = timezone.now()
        elif person == self.manager:
            self.manager_agreed_at = timezone.now()
        else:
            return False
        return True


class CampaignReminder(models.Model):
    """A reminder that someone's part in a campaign is still waiting: shown beside the to-do of
    whoever has to act (the person for a self-assessment or the quiz, their manager for a
    rating) and to the lead on the campaign page."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, models.CASCADE, related_name="campaign_reminders")
    source = models.CharField(max_length=12, choices=Source.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["campaign", "source", "person"], name="reminder_campaign_person")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.person} {self.source}"


class ReassessmentQuerySet(models.QuerySet["Reassessment"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ReassessmentQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))

    def open(self) -> ReassessmentQuerySet:
        return self.filter(Q(self_done_at__isnull=True) | Q(manager_done_at__isnull=True))


class Reassessment(models.Model):
    """Competences to assess again after completed modules, for one person: the person and
    their manager each rate them once. One open per person gathers every module completed
    meanwhile (instead of a campaign per completion)."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="reassessments", verbose_name=_("person")
    )
    competences = models.ManyToManyField(Competence, related_name="+")
    modules = models.JSONField(_("modules completed"), default=list)  # module codes
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("due on"))
    self_done_at = models.DateTimeField(_("self-assessment done"), null=True, blank=True)
    manager_done_at = models.DateTimeField(_("manager rating done"), null=True, blank=True)

    objects = ReassessmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("reassessment")
        verbose_name_plural = _("reassessments")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(self_done_at__isnull=True) | Q(manager_done_at__isnull=True),
                name="one_open_reassessment_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {', '.join(self.modules)}"


from tremplin.assessments.quiz_models import (  # noqa: E402  (one models module for Django)
    CalibrationRun,
    Item,
    ItemStatus,
    QuizAnswer,
    QuizSession,
    QuizSettings,
)

__all__ = [
    "CalibrationRun",
    "Campaign",
    "CampaignReminder",
    "CareerInterview",
    "CurrentLevel",
    "Draft",
    "Item",
    "ItemStatus",
    "QuizAnswer",
    "QuizSession",
    "QuizSettings",
    "Rating",
    "Reassessment",
    "Source",
]
