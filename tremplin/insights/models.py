"""Settings of the dashboards and the snapshots of figures they read."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.compute.privacy import DEFAULT_MIN_SIZE, FLOOR


class InsightSettings(models.Model):
    """One row, edited by the programme lead."""

    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=DEFAULT_MIN_SIZE,
        validators=[MinValueValidator(FLOOR)],
        help_text=_("Figures about fewer people than this are hidden. Never below 5."),
    )

    class Meta:
        verbose_name = _("dashboard settings")
        verbose_name_plural = _("dashboard settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=FLOOR), name="min_group_size_floor"
            )
        ]

    def __str__(self) -> str:
        return str(_("dashboard settings"))

    @classmethod
    def current(cls) -> InsightSettings:
        found = cls.objects.order_by("pk").first()
        return found or cls.objects.create()


class Snapshot(models.Model):
    """The arrays every dashboard reads, built in the background from the live data."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    people = models.PositiveIntegerField(_("people"), default=0)
    ratings = models.PositiveIntegerField(_("ratings"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    error = models.TextField(_("error"), blank=True)
    data = models.BinaryField(_("data"), blank=True, default=b"")

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("snapshot of figures")
        verbose_name_plural = _("snapshots of figures")

    def __str__(self) -> str:
        return f"{self.pk} {self.state}"
