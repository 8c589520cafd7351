"""Governance: the register of AI systems (shadow uses included) with the dated history of
their status, the AI usage charter with its acknowledgements, and the works-council log whose
opinions gate the waves that deploy a system."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.alphabetical import Alphabetical
from tremplin.learning.models import Module
from tremplin.people.models import JobFamily, OrgUnit, Person
from tremplin.rollout.models import Wave
from tremplin.skills.models import Competence, localised


class SystemStatus(models.TextChoices):
    APPROVED = "approved", _("approved")
    TOLERATED = "tolerated", _("tolerated")
    FORBIDDEN = "forbidden", _("forbidden")
    DISCOVERED = "discovered", _("discovered, to review")


ALLOWED = (SystemStatus.APPROVED, SystemStatus.TOLERATED)


class SystemQuerySet(models.QuerySet["AISystem"]):
    def allowed_at(self, moment: datetime.datetime) -> SystemQuerySet:
        """The systems approved or tolerated at `moment`, as their dated history records it
        (a system created or allowed later is not among them; one forbidden since is)."""
        status_then = (
            StatusChange.objects.filter(system=models.OuterRef("pk"), changed_at__lte=moment)
            .order_by("-changed_at", "-pk")
            .values("status")[:1]
        )
        # A system written without its history (by a script, a fixture): its status now, from
        # its creation.
        unrecorded = ~models.Exists(StatusChange.objects.filter(system=models.OuterRef("pk")))
        return self.annotate(status_then=models.Subquery(status_then)).filter(
            models.Q(status_then__in=ALLOWED)
            | (unrecorded & models.Q(created_at__lte=moment, status__in=ALLOWED))
        )


class CompanyRole(models.TextChoices):
    DEPLOYER = "deployer", _("deployer")
    PROVIDER = "provider", _("provider")


class Category(models.TextChoices):
    """The AI Act's risk categories."""

    PROHIBITED = "prohibited", _("prohibited practice")
    HIGH_RISK = "high_risk", _("high-risk")
    TRANSPARENCY = "transparency", _("transparency obligations")
    MINIMAL = "minimal", _("minimal risk")


class AnnexArea(models.TextChoices):
    """The areas of the AI Act's Annex III (high-risk systems)."""

    NONE = "", _("—")
    BIOMETRICS = "biometrics", _("biometrics")
    INFRASTRUCTURE = "infrastructure", _("critical infrastructure")
    EDUCATION = "education", _("education and vocational training")
    EMPLOYMENT = "employment", _("employment, workers management and access to self-employment")
    SERVICES = "services", _("access to essential private and public services")
    LAW = "law", _("law enforcement")
    MIGRATION = "migration", _("migration, asylum and border control")
    JUSTICE = "justice", _("administration of justice and democratic processes")


class AISystem(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SystemStatus.choices, default=SystemStatus.DISCOVERED
    )
    role = models.CharField(
        _("company's role"), max_length=8, choices=CompanyRole.choices,
        default=CompanyRole.DEPLOYER,
    )  # fmt: skip
    category = models.CharField(
        _("AI Act category"), max_length=12, choices=Category.choices, default=Category.MINIMAL
    )
    annex_area = models.CharField(
        _("Annex III area"), max_length=14, choices=AnnexArea.choices, blank=True,
        help_text=_("For a high-risk system."),
    )  # fmt: skip
    data = models.TextField(_("data handled"), max_length=2000, blank=True)
    personal_data = models.BooleanField(_("personal data involved"), default=False)
    supervisors = models.ManyToManyField(
        Person, blank=True, related_name="supervised_systems", verbose_name=_("supervised by")
    )
    families = models.ManyToManyField(
        JobFamily, blank=True, related_name="ai_systems", verbose_name=_("job families using it")
    )
    units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="ai_systems", verbose_name=_("units using it")
    )
    competences = models.ManyToManyField(
        Competence, blank=True, related_name="+", verbose_name=_("competences required")
    )
    modules = models.ManyToManyField(
        Module, blank=True, related_name="+", verbose_name=_("modules required")
    )
    waves = models.ManyToManyField(
        Wave, blank=True, related_name="systems", verbose_name=_("waves deploying it")
    )
    # Shadow use: how many answers of the inventory survey reported this kind of tool.
    reported_by = models.PositiveIntegerField(_("reported by"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)

    objects = SystemQuerySet.as_manager()

    class Meta:
        ordering = [Alphabetical("name")]
        verbose_name = _("AI system")
        verbose_name_plural = _("AI systems")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(category="high_risk") | ~models.Q(annex_area=""),
                name="high_risk_has_its_area",
                violation_error_message=_("A high-risk system names its Annex III area."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    """A system's status from a moment on, and who set it: the register's dated history, from
    which a past day's Article 4 dossier reads the status each system had then."""

    system = models.ForeignKey(AISystem, models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=10, choices=SystemStatus.choices)
    changed_at = models.DateTimeField(_("changed on"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        indexes = [models.Index(fields=["system", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.system_id} {self.status} {self.changed_at:%Y-%m-%d}"


class Charter(models.Model):
    """A version of the AI usage charter; published from a date, then unchanged."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fr = models.TextField(_("text (French)"), max_length=30_000)
    body_en = models.TextField(_("text (English)"), max_length=30_000)
    tools = models.ManyToManyField(
        AISystem, blank=True, related_name="charters", verbose_name=_("tools allowed")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("usage charter")

    def __str__(self) -> str:
        return f"v{self.version}"

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def body(self) -> str:
        return localised(self, "body")

    def is_published(self) -> bool:
        return self.published_on is not None and self.published_on <= timezone.localdate()


class Acknowledgement(models.Model):
    charter = models.ForeignKey(Charter, models.PROTECT, related_name="acknowledgements")
    person = models.ForeignKey(Person, models.CASCADE, related_name="charter_acknowledgements")
    at = models.DateTimeField(_("acknowledged on"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "person"], name="acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.charter} {self.person_id}"


class EventKind(models.TextChoices):
    INFORMATION = "information", _("information")
    CONSULTATION = "consultation", _("consultation")
    OVERRIDE = "override", _("wave opened without the opinion")


class Opinion(models.TextChoices):
    NONE = "", _("none yet")
    FAVOURABLE = "favourable", _("favourable")
    UNFAVOURABLE = "unfavourable", _("unfavourable")


class CouncilEvent(models.Model):
    """An information or consultation of the works council, or a wave opened before its
    opinion (with the reason), all shown to the council."""

    held_on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    documents = models.TextField(
        _("documents"), max_length=4000, blank=True, help_text=_("One per line: title or link.")
    )
    systems = models.ManyToManyField(
        AISystem, blank=True, related_name="council_events", verbose_name=_("systems concerned")
    )
    deadline = models.DateField(_("deadline for the opinion"), null=True, blank=True)
    opinion = models.CharField(_("opinion"), max_length=12, choices=Opinion.choices, blank=True)
    opinion_on = models.DateField(_("opinion given on"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    wave = models.ForeignKey(Wave, models.SET_NULL, null=True, blank=True, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("works-council event")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opinion="") | models.Q(opinion_on__isnull=False),
                name="opinion_has_its_date",
                violation_error_message=_("An opinion is recorded with its date."),
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def settles(self, day: datetime.date) -> bool:
        """Whether this consultation lets a wave deploying its systems open on `day`: the
        council gave its opinion, or let its deadline pass."""
        return self.kind == EventKind.CONSULTATION and (
            self.opinion != Opinion.NONE or (self.deadline is not None and self.deadline < day)
        )


class Evolution(models.TextChoices):
    MODIFIED = "modified", _("modified")
    CREATED = "created", _("created")
    AUTOMATED = "automated", _("largely automated")


class JobImpact(models.Model):
    """The observatory's entry for a job family: what AI changes in it and the training
    answer, shared with the works council."""

    family = models.OneToOneField(
        JobFamily, models.CASCADE, related_name="ai_impact", verbose_name=_("job family")
    )
    tasks = models.TextField(_("tasks affected"), max_length=4000, help_text=_("One per line."))
    evolution = models.CharField(
        _("expected evolution"), max_length=10, choices=Evolution.choices,
        default=Evolution.MODIFIED,
    )  # fmt: skip
    systems = models.ManyToManyField(
        AISystem, blank=True, related_name="impacts", verbose_name=_("systems used")
    )
    critical = models.ManyToManyField(
        Competence, blank=True, related_name="+", verbose_name=_("skills becoming critical")
    )
    declining = models.ManyToManyField(
        Competence, blank=True, related_name="+", verbose_name=_("skills becoming less important")
    )
    training = models.TextField(_("training answer"), max_length=4000, blank=True)
    modules = models.ManyToManyField(
        Module, blank=True, related_name="+", verbose_name=_("modules offered")
    )
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        ordering = ["family__name_fr"]
        verbose_name = _("job impact")

    def __str__(self) -> str:
        return str(self.family)


class RegisterRelease(models.Model):
    """The Article 4 register of one quarter end as the sponsor and the works council read it,
    prepared once by the background worker (`governance.releases`): audited with every earlier
    quarter end's release, then never redone, so that what the council read stays what it
    read. Its figures are kept in no language (shown in the reader's); `audit` holds what the
    audit of later quarters needs: each person's (by primary key) group and 0/1 measures on
    that day, and the ranges shown."""

    class State(models.TextChoices):
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    day = models.DateField()
    k = models.PositiveIntegerField()  # the minimum group size it was protected for
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    charter = models.PositiveIntegerField(null=True)  # the version in force on that day
    figures = models.JSONField(default=list)
    audit = models.BinaryField(default=b"", editable=False)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "k"], name="one_release_per_day")]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} k={self.k} {self.state}"
