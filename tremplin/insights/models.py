"""Settings of the dashboards and the snapshots of figures they read."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.compute.publication import DEFAULT_MIN_SIZE, FLOOR


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


class Audience(models.TextChoices):
    """Who reads a publication; a manager's names their reporting line ("manager:PK")."""

    WORKS_COUNCIL = "cse", _("works council")
    EXECUTIVE = "direction", _("executive sponsor")
    MANAGER = "manager", _("managers")


COMPANY_TABLES = ["department", "department-2", "family", "persona", "site", "wave", "cohort"]
MANAGER_TABLES = ["team", "family", "cohort"]


def default_tables(audience: str) -> list[str]:
    return list(MANAGER_TABLES if audience == Audience.MANAGER else COMPANY_TABLES)


class PublicationPlan(models.Model):
    """What one audience receives, set by the programme lead: which tables (and cross-tables),
    which of them per competence rather than per tier, over how many quarter ends."""

    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, unique=True)
    tables = models.JSONField(_("tables"), default=list)
    competences = models.JSONField(_("tables per competence"), default=list, blank=True)
    crosses = models.JSONField(_("cross-tables"), default=list, blank=True)
    periods = models.PositiveSmallIntegerField(
        _("quarter ends"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(13)],
        help_text=_("How many of the latest quarter ends the tables cover (1 to 13)."),
    )

    class Meta:
        verbose_name = _("publication plan")
        verbose_name_plural = _("publication plans")

    def __str__(self) -> str:
        return str(self.get_audience_display())

    @classmethod
    def of(cls, audience: str) -> PublicationPlan:
        found, _created = cls.objects.get_or_create(
            audience=audience, defaults={"tables": default_tables(audience)}
        )
        return found


class Publication(models.Model):
    """One audience's protected figures on one snapshot, computed once and stored: the pages,
    the XLSX exports and the PDF reports of that audience render it and nothing else."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="publications")
    audience = models.CharField(_("audience"), max_length=40)
    min_group_size = models.PositiveSmallIntegerField(_("minimum group size"))
    built_at = models.DateTimeField(_("built at"), auto_now=True)
    seconds = models.FloatField(_("seconds"), default=0)
    data = models.BinaryField(_("data"))

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "audience"], name="one_publication")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id} {self.audience}"


class AudienceRelease(models.Model):
    """What a company audience (the works council, the executive sponsor) was shown for one
    date, kept for auditing its later figures with it (`insights.releases`): each person's
    (by primary key) group in each table and 0/1 values that never go away (assessed, per
    competence), and the ranges of the figures shown. Never deleted with a snapshot or a
    publication: what was read stays read."""

    audience = models.CharField(max_length=40)
    k = models.PositiveSmallIntegerField()
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    data = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["audience", "k", "day"])]

    def __str__(self) -> str:
        return f"{self.audience} k={self.k} {self.day.isoformat()}"


from tremplin.insights.usage_models import UsageDay, UsageSource  # noqa: E402,F401  (one models module)
