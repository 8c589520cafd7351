"""The rollout's pilot and waves: who is trained when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.people.models import OrgUnit, Person
from tremplin.skills.models import localised


class Wave(models.Model):
    """A group of people who go through the programme together: whole org units (with their
    sub-units) and people named one by one. The pilot comes first, then the waves by start
    date."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    pilot = models.BooleanField(
        _("pilot"), default=False, help_text=_("The first group, which tries the programme out.")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    units = models.ManyToManyField(
        OrgUnit,
        blank=True,
        related_name="waves",
        verbose_name=_("org units"),
        help_text=_("Everyone in these units and their sub-units."),
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="waves", verbose_name=_("people named one by one")
    )
    # Readiness gates the lead chose: {gate code: threshold in % (None for all-or-nothing)}.
    gates = models.JSONField(_("readiness gates"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(_("opened despite its gates, because"), blank=True)

    class Meta:
        ordering = ["-pilot", models.F("starts_on").asc(nulls_last=True), "pk"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        constraints = [
            models.UniqueConstraint(
                fields=["pilot"],
                condition=models.Q(pilot=True),
                name="one_pilot_wave",
                violation_error_message=_("There is only one pilot."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def late(self) -> bool:
        """Its start date has come and it is not open: the lead opens it (gates met, or a
        reason) or moves the date."""
        return (
            self.opened_at is None
            and self.starts_on is not None
            and self.starts_on <= timezone.localdate()
        )


class StepStatus(models.TextChoices):
    TODO = "todo", _("to do")
    DOING = "doing", _("in progress")
    DONE = "done", _("done")


class RoadmapStep(models.Model):
    """One step of the programme's roadmap: a phase of the rollout or of the social and
    technological dialogue, with who owns it, when it is due, where it stands and its proof."""

    phase = models.CharField(_("phase"), max_length=20)
    phase_fr = models.CharField(_("phase (French)"), max_length=200)
    phase_en = models.CharField(_("phase (English)"), max_length=200)
    code = models.CharField(_("code"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    title_fr = models.CharField(_("step (French)"), max_length=300)
    title_en = models.CharField(_("step (English)"), max_length=300)
    owner = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=5, choices=StepStatus.choices, default=StepStatus.TODO
    )
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Minutes, documents, links: one per line.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("roadmap step")
        verbose_name_plural = _("roadmap")

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def phase_name(self) -> str:
        return localised(self, "phase")

    @property
    def late(self) -> bool:
        return (
            self.status != StepStatus.DONE
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class RoadmapApproval(models.Model):
    """The executive sponsor's approval of the roadmap as it stood, kept for the record."""

    by = models.ForeignKey(
        Person, models.SET_NULL, null=True, related_name="+", verbose_name=_("approved by")
    )
    at = models.DateTimeField(_("approved on"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    steps = models.JSONField(_("steps as approved"), default=list)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("roadmap approval")
        verbose_name_plural = _("roadmap approvals")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.by}"


class WaveEvent(models.Model):
    """The history of a wave: gates chosen, opened (with the gates as measured then, and the
    reason when the lead overrode them)."""

    wave = models.ForeignKey(Wave, models.CASCADE, related_name="events", verbose_name=_("wave"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("what"), max_length=12, choices=[
        ("gates", _("readiness gates chosen")), ("opened", pgettext_lazy("wave event", "opened")),
        ("override", _("opened despite its gates"))])  # fmt: skip
    details = models.JSONField(_("details"), default=dict)

    class Meta:
        ordering = ["wave", "at", "pk"]
        verbose_name = _("wave history entry")
        verbose_name_plural = _("wave history")

    def __str__(self) -> str:
        return f"{self.wave} {self.kind} {self.at:%Y-%m-%d}"


class Communication(models.Model):
    """A planned message of the communication calendar: to whom (a wave, its managers, or
    everyone), what (an announcement, an invitation...), how (an e-mail Tremplin sends at its
    date, the intranet, a meeting), who owns it, when, and where it stands."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("announcement")
        INVITATION = "invitation", _("invitation")
        REMINDER = "reminder", _("reminder")
        SUCCESS = "success", _("success story")
        RESULTS = "results", _("results")

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail sent by Tremplin")
        INTRANET = "intranet", _("intranet")
        MEETING = "meeting", _("meeting")

    class Audience(models.TextChoices):
        WAVE = "wave", _("everyone in the wave")
        MANAGERS = "managers", _("the wave's managers")
        COMPANY = "company", _("everyone in the company")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        SCHEDULED = "scheduled", _("e-mails scheduled")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    wave = models.ForeignKey(
        Wave, models.CASCADE, null=True, blank=True, related_name="communications",
        verbose_name=_("wave"),
    )  # fmt: skip
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fr = models.TextField(_("message (French)"), blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)
    owner = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    at = models.DateTimeField(_("date and time"))
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.PLANNED
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("planned communication")
        verbose_name_plural = _("communication calendar")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind} {self.channel}"

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def body(self) -> str:
        return localised(self, "body")
