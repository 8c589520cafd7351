"""Mentoring: people offer to mentor on competences they master (level 3 or more) and ask for a
mentor on their gaps; a global matching proposes pairs, the lead approves, both accept, meetings
are logged and an end-of-mentoring feedback closes it."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import Person
from tremplin.skills.models import Competence

MAX_CAPACITY = 6


class MentorOffer(models.Model):
    person = models.OneToOneField(
        Person, models.CASCADE, related_name="mentor_offer", verbose_name=_("mentor")
    )
    competences = models.ManyToManyField(
        Competence, related_name="+", verbose_name=_("competences I can pass on")
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentees at most"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    languages = models.JSONField(_("languages"), default=list)
    remote = models.BooleanField(_("remote mentoring suits me"), default=True)
    active = models.BooleanField(_("open to new mentees"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mentor offer")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="mentor_capacity_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class MenteeRequest(models.Model):
    person = models.OneToOneField(
        Person, models.CASCADE, related_name="mentee_request", verbose_name=_("mentee")
    )
    goals = models.ManyToManyField(
        Competence, related_name="+", verbose_name=_("what I want to progress on")
    )
    languages = models.JSONField(_("languages"), default=list)
    remote = models.BooleanField(_("remote mentoring suits me"), default=True)
    active = models.BooleanField(_("looking for a mentor"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mentee request")

    def __str__(self) -> str:
        return str(self.person)


class MentorshipStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed by the matching")
    APPROVED = "approved", _("approved, waiting for both to accept")
    ACTIVE = "active", _("under way")
    DECLINED = "declined", _("declined")
    ENDED = "ended", _("ended")


OPEN_STATUSES = (MentorshipStatus.PROPOSED, MentorshipStatus.APPROVED, MentorshipStatus.ACTIVE)


class Mentorship(models.Model):
    mentor = models.ForeignKey(
        Person, models.CASCADE, related_name="mentees_of", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        Person, models.CASCADE, related_name="mentors_of", verbose_name=_("mentee")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MentorshipStatus.choices,
        default=MentorshipStatus.PROPOSED,
    )
    score = models.FloatField(_("score"), default=0)
    # {"coverage": …, "level": …, "cross_department": …, "total": …, "competences": [codes]}
    breakdown = models.JSONField(default=dict)
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "pk"]
        verbose_name = _("mentorship")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="nobody_mentors_themselves"
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status__in=["proposed", "approved", "active"]),
                name="one_open_mentorship_per_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    def side_of(self, person: Person | None) -> str:
        if person is None:
            return ""
        return (
            "mentor"
            if person.pk == self.mentor_id
            else "mentee"
            if person.pk == self.mentee_id
            else ""
        )


class MentoringMeeting(models.Model):
    mentorship = models.ForeignKey(Mentorship, models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=45, validators=[MinValueValidator(5)]
    )
    topics = models.TextField(_("what we worked on"), max_length=2000, blank=True)
    logged_by = models.ForeignKey(Person, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.mentorship_id} {self.held_on}"


class MentoringFeedback(models.Model):
    mentorship = models.ForeignKey(Mentorship, models.CASCADE, related_name="feedback")
    person = models.ForeignKey(Person, models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("how useful it was (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    goals_reached = models.BooleanField(_("the goals were reached"), default=False)
    comment = models.TextField(_("what you take away"), max_length=2000, blank=True)
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "person"], name="one_feedback_each"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship_id} {self.rating}"
