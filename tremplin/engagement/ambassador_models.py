"""Ambassadors: proposed from the help network and engagement signals, confirmed by the lead,
accepted or declined by the person; each has a mission, the teams they cover, time allotted,
office hours and an activity log."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.alphabetical import Alphabetical
from tremplin.people.models import OrgUnit, Person


class AmbassadorStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    INVITED = "invited", _("invited, waiting for an answer")
    ACTIVE = "active", _("ambassador")
    DECLINED = "declined", _("declined")
    ENDED = "ended", _("ended")


class Ambassador(models.Model):
    person = models.OneToOneField(
        Person, models.CASCADE, related_name="ambassadorship", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AmbassadorStatus.choices,
        default=AmbassadorStatus.PROPOSED,
    )
    mission = models.TextField(_("mission"), max_length=2000, blank=True)
    teams = models.ManyToManyField(
        OrgUnit, blank=True, related_name="ambassadors", verbose_name=_("teams covered")
    )
    hours_per_month = models.DecimalField(
        _("time allotted (hours per month)"),
        max_digits=5,
        decimal_places=1,
        default=4,
        validators=[MinValueValidator(0)],
    )
    office_hours = models.CharField(
        _("office hours"),
        max_length=200,
        blank=True,
        help_text=_("When and where colleagues can drop in, e.g. “Tuesdays 2–3 pm, room B”."),
    )
    # Why the cover proposed them: {"named_by": …, "pagerank": …, "signals": {…}}.
    reasons = models.JSONField(default=dict, blank=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    declined_because = models.TextField(_("reason (optional)"), max_length=1000, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = [Alphabetical("person__last_name"), Alphabetical("person__first_name")]
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")

    def __str__(self) -> str:
        return str(self.person)


class ActivityKind(models.TextChoices):
    SESSION = "session", _("session run")
    HELPED = "helped", _("colleagues helped")
    OFFICE_HOURS = "office_hours", _("office hours held")
    COMMUNITY = "community", _("community meeting")
    RELAY = "relay", _("message relayed")
    OTHER = "other", _("other")


class AmbassadorActivity(models.Model):
    ambassador = models.ForeignKey(Ambassador, models.CASCADE, related_name="activities")
    on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("what"), max_length=12, choices=ActivityKind.choices)
    people_helped = models.PositiveIntegerField(_("people helped"), default=0)
    hours = models.DecimalField(
        _("hours spent"),
        max_digits=5,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("ambassador activity")
        verbose_name_plural = _("ambassador activities")

    def __str__(self) -> str:
        return f"{self.ambassador_id} {self.on} {self.kind}"
