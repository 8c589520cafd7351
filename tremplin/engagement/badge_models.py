"""Badges: criteria met automatically or awarded by the lead, each award issued as an Open Badges
3.0 credential signed with the company's Ed25519 key, verifiable by anyone and revocable."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import Person
from tremplin.skills.models import Competence, localised


class Criterion(models.TextChoices):
    LEVEL = "level", _("a level reached on competences")
    CHALLENGE = "challenge", _("a challenge won")
    MENTORING = "mentoring", _("a mentoring completed")
    SESSIONS = "sessions", _("training sessions attended")
    AMBASSADOR = "ambassador", _("the ambassador role")
    MANUAL = "manual", _("awarded by the lead")


class Badge(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_fr = models.TextField(_("description (French)"), max_length=1000)
    description_en = models.TextField(_("description (English)"), max_length=1000)
    criteria_fr = models.TextField(_("how it is earned (French)"), max_length=1000)
    criteria_en = models.TextField(_("how it is earned (English)"), max_length=1000)
    criterion = models.CharField(_("criterion"), max_length=10, choices=Criterion.choices)
    competences = models.ManyToManyField(
        Competence, blank=True, related_name="+", verbose_name=_("competences")
    )
    level = models.PositiveSmallIntegerField(
        _("level reached"), default=3, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    sessions = models.PositiveSmallIntegerField(
        _("sessions attended"), default=3, validators=[MinValueValidator(1)]
    )
    automatic = models.BooleanField(_("awarded automatically"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def description(self) -> str:
        return localised(self, "description")

    @property
    def criteria(self) -> str:
        return localised(self, "criteria")


class Award(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge = models.ForeignKey(Badge, models.PROTECT, related_name="awards")
    person = models.ForeignKey(Person, models.CASCADE, related_name="badge_awards")
    awarded_at = models.DateTimeField(_("awarded on"), default=timezone.now)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    language = models.CharField(max_length=2, default="fr")
    credential = models.TextField(editable=False)  # the signed credential, as issued
    key_id = models.CharField(max_length=40, editable=False)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoked_because = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        verbose_name = _("badge awarded")
        verbose_name_plural = _("badges awarded")
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "person"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_award_per_badge",
            )
        ]

    def __str__(self) -> str:
        return f"{self.badge} – {self.person}"


class SigningKey(models.Model):
    """The company's Ed25519 keys. The private half is encrypted with a key derived from the
    installation's secret key; retired keys stay published so old credentials still verify."""

    kid = models.CharField(max_length=40, unique=True)
    public = models.BinaryField()
    private_sealed = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kid
