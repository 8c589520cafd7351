"""Training catalogue and development plans."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import OrgUnit, Person
from tremplin.skills.models import Competence, Level, localised


class ModuleType(models.TextChoices):
    AWARENESS = "awareness", _("awareness")
    APPROACH = "approach", _("non-technical approach")
    TECHNICAL = "technical", _("technical")
    TOOL = "tool", _("tool-specific")


class ModuleFormat(models.TextChoices):
    ELEARNING = "elearning", _("e-learning")
    MOOC = "mooc", _("MOOC")
    WEBINAR = "webinar", _("webinar")
    WORKSHOP = "workshop", _("workshop")
    MICROLEARNING = "microlearning", _("micro-learning")
    COACHING = "coaching", _("coaching")
    SANDBOX = "sandbox", _("sandbox practice")


class Delivery(models.TextChoices):
    REMOTE = "remote", _("remote")
    ON_SITE = "on_site", _("on site")


# Theory before practice when nothing else orders two modules.
FORMAT_ORDER = {
    ModuleFormat.MICROLEARNING: 0,
    ModuleFormat.ELEARNING: 1,
    ModuleFormat.WEBINAR: 1,
    ModuleFormat.MOOC: 2,
    ModuleFormat.WORKSHOP: 3,
    ModuleFormat.SANDBOX: 4,
    ModuleFormat.COACHING: 5,
}


# Provider kinds used by the shipped catalogue, shown in the reader's language.
SHIPPED_PROVIDERS = {
    "Partner training body": _("Partner training body"),
    "Technical training institute": _("Technical training institute"),
    "Independent coach": _("Independent coach"),
    "Open MOOC": _("Open MOOC"),
}


class Module(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    # The learning platform's activity id (an IRI) whose xAPI statements complete this module.
    xapi_activity = models.CharField(_("xAPI activity id"), max_length=300, blank=True,
                                     db_index=True)  # fmt: skip
    type = models.CharField(_("type"), max_length=12, choices=ModuleType.choices)
    format = models.CharField(_("format"), max_length=14, choices=ModuleFormat.choices)
    duration_hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    cost_per_seat = models.DecimalField(
        _("cost per seat (€)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(Decimal(0))],
    )
    languages = models.JSONField(_("languages"), default=list)  # ["fr", "en"]
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        verbose_name=_("prerequisites"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0), name="module_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(cost_per_seat__gte=0), name="module_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def description(self) -> str:
        return localised(self, "description")

    @property
    def provider_label(self) -> str:
        return str(SHIPPED_PROVIDERS.get(self.provider, self.provider))


class ModuleRaise(models.Model):
    """A competence the module raises, from one level to a higher one."""

    module = models.ForeignKey(
        Module, models.CASCADE, related_name="raises", verbose_name=_("module")
    )
    competence = models.ForeignKey(
        Competence, models.CASCADE, related_name="raised_by", verbose_name=_("competence")
    )
    from_level = models.PositiveSmallIntegerField(_("from level"), choices=Level.choices)
    to_level = models.PositiveSmallIntegerField(
        _("to level"), choices=Level.choices, validators=[MaxValueValidator(4)]
    )

    class Meta:
        ordering = ["module", "competence__order", "from_level"]
        verbose_name = _("competence raised")
        verbose_name_plural = _("competences raised")
        constraints = [
            models.UniqueConstraint(fields=["module", "competence"], name="raise_once_per_module"),
            models.CheckConstraint(
                condition=Q(to_level__gt=models.F("from_level")) & Q(to_level__lte=4),
                name="raise_goes_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence.code} {self.from_level}→{self.to_level}"


class Objective(models.TextChoices):
    HOURS = "hours", _("least hours")
    COST = "cost", _("least cost")


class PlanSettings(models.Model):
    """How plans are generated; one row, edited by the programme lead."""

    objective = models.CharField(
        _("optimise for"), max_length=5, choices=Objective.choices, default=Objective.HOURS
    )
    max_hours_per_year = models.DecimalField(
        _("yearly maximum of training hours per person"),
        max_digits=6,
        decimal_places=1,
        default=Decimal(40),
        validators=[MinValueValidator(Decimal(1))],
    )
    reassess_on_completion = models.BooleanField(
        _("ask for a new assessment when a module is completed"), default=True
    )
    second_signatory = models.ForeignKey(
        "people.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second signatory for people without a manager"),
        help_text=_(
            "Signs beside the person when they have no manager; the programme lead if empty."
        ),
    )

    class Meta:
        verbose_name = _("plan settings")
        verbose_name_plural = _("plan settings")

    def __str__(self) -> str:
        return str(_("plan settings"))

    @classmethod
    def current(cls) -> PlanSettings:
        found = cls.objects.order_by("pk").first()
        return found or cls.objects.create()


class UnitBudget(models.Model):
    """Training money of an org unit (and its sub-units without their own budget) for a year."""

    org_unit = models.ForeignKey(
        OrgUnit, models.CASCADE, related_name="training_budgets", verbose_name=_("org unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("budget (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        ordering = ["year", "org_unit__path"]
        verbose_name = _("training budget")
        verbose_name_plural = _("training budgets")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year"], name="one_budget_per_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}: {self.amount} €"


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    DISCUSSED = "discussed", _("discussed")
    AGREED = "agreed", _("agreed")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


OPEN_STATUSES = (PlanStatus.PROPOSED, PlanStatus.DISCUSSED)


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> PlanQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))

    def current(self) -> PlanQuerySet:
        return self.exclude(status=PlanStatus.DONE)


class Plan(models.Model):
    """A person's development plan; never used for performance appraisal."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="plans", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.PROPOSED
    )
    starts_in = models.PositiveSmallIntegerField(_("first year"))
    objective = models.CharField(_("optimised for"), max_length=5, choices=Objective.choices)
    method = models.CharField(_("method"), max_length=10, default="optimal")
    open_steps = models.JSONField(_("gaps left open"), default=list, blank=True)
    # The gaps the plan was made for: {competence code: [current level, target]}.
    gaps = models.JSONField(_("gaps planned for"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    person_signed_at = models.DateTimeField(_("signed by the employee"), null=True, blank=True)
    manager_signed_at = models.DateTimeField(_("signed by the manager"), null=True, blank=True)
    manager_signed_by = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signing manager"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    not_for_appraisal = models.BooleanField(default=True, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status=PlanStatus.DONE),
                name="one_current_plan_per_person",
            ),
            models.CheckConstraint(
                condition=Q(not_for_appraisal=True), name="plan_not_for_appraisal"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="plan_status")]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"

    @property
    def editable(self) -> bool:
        return self.status in OPEN_STATUSES


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("completed")


class PlanItemQuerySet(models.QuerySet["PlanItem"]):
    def to_follow(self) -> PlanItemQuerySet:
        """Modules still to do in agreed plans (agreed or in progress)."""
        return self.filter(
            status=ItemStatus.PLANNED,
            plan__status__in=(PlanStatus.AGREED, PlanStatus.IN_PROGRESS),
        )


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="items", verbose_name=_("plan"))
    module = models.ForeignKey(Module, models.PROTECT, related_name="+", verbose_name=_("module"))
    position = models.PositiveSmallIntegerField(_("order"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    deferred_by_budget = models.BooleanField(
        _("moved to a later year by the budget"), default=False
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_declared_by = models.ForeignKey(
        "people.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completion recorded by"),
    )
    completion_confirmed_by = models.ForeignKey(
        "people.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completion confirmed by"),
    )

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("plan module")
        verbose_name_plural = _("plan modules")
        constraints = [
            models.UniqueConstraint(fields=["plan", "module"], name="module_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.module.code}"

    @property
    def self_declared(self) -> bool:
        """Completed on the person's word only: it counts as a self-assessment until confirmed."""
        return (
            self.status == ItemStatus.DONE
            and self.completion_confirmed_by_id is None
            and self.completion_declared_by_id == self.plan.person_id
        )


class PlanEvent(models.Model):
    """One entry of a plan's history: what changed, who, when; never edited."""

    class Kind(models.TextChoices):
        GENERATED = "generated", _("proposed by the generator")
        EDITED = "edited", _("modules changed")
        STATUS = "status", _("status changed")
        CONFIRMED = "confirmed", _("completion confirmed")
        REVISED = "revised", _("revision proposed")
        SIGNED = "signed", _("signed")
        COMPLETED = "completed", _("module completed")
        REOPENED = "reopened", _("completion withdrawn")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="events", verbose_name=_("plan"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    # {"added": [codes], "removed": [codes], "status": [old, new], "module": code, ...}
    details = models.JSONField(_("details"), default=dict, blank=True)
    modules = models.JSONField(_("modules after the change"), default=list, blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]
        verbose_name = _("plan history entry")
        verbose_name_plural = _("plan history")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.kind} {self.at:%Y-%m-%d}"


class PlanRun(models.Model):
    """A generation of plans for a population, run in the background with its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    scope = models.JSONField(_("population"), default=dict)  # {"org_units": [...], ...}
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("people"), default=0)
    done = models.PositiveIntegerField(_("people done"), default=0)
    created = models.PositiveIntegerField(_("plans proposed"), default=0)
    skipped = models.PositiveIntegerField(_("people skipped (plan already agreed)"), default=0)
    not_proven = models.PositiveIntegerField(_("plans from the greedy fallback"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("plan generation")
        verbose_name_plural = _("plan generations")

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.state}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, 100 * self.done // self.total)


class TrainingSession(models.Model):
    """One run of a catalogue module: a date, a place or a video link, a trainer (someone of
    the company or an outside provider), a number of seats and a language."""

    module = models.ForeignKey(
        Module, models.PROTECT, related_name="sessions", verbose_name=_("module")
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal(80))],
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    trainer = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions_trained",
        verbose_name=_("trainer (someone of the company)"),
    )
    provider = models.CharField(_("outside trainer or provider"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_a_seat"),
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0), name="session_duration_positive"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="session_starts")]

    def __str__(self) -> str:
        return f"{self.module.code} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(hours=float(self.duration_hours))

    @property
    def trainer_name(self) -> str:
        return self.trainer.full_name if self.trainer else self.provider


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("enrolled")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Attendance(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excused")


class Enrolment(models.Model):
    """A person's seat in a session (or place on its waiting list, first come first served)."""

    session = models.ForeignKey(
        TrainingSession, models.CASCADE, related_name="enrolments", verbose_name=_("session")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="enrolments", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=9, choices=EnrolmentStatus.choices)
    since = models.DateTimeField(_("since"))  # the waiting list's order
    attendance = models.CharField(
        _("attendance"), max_length=7, choices=Attendance.choices, blank=True
    )
    attendance_by = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance recorded by"),
    )
    attendance_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)

    class Meta:
        ordering = ["session", "since", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_enrolment_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.person} {self.status}"


class Absence(models.Model):
    """Days a person cannot attend training (leave, part time, a busy season), declared by
    themselves: mixed groups do not send them to a session on those days."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="absences", verbose_name=_("person")
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))

    class Meta:
        ordering = ["person", "first_day", "pk"]
        verbose_name = _("days away")
        verbose_name_plural = _("days away")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.first_day}–{self.last_day}"

    def covers(self, session: TrainingSession) -> bool:
        starts = timezone.localtime(session.starts_at).date()
        ends = timezone.localtime(session.ends_at).date()
        return starts <= self.last_day and self.first_day <= ends


class CompletionSource(models.TextChoices):
    API = "api", _("API")
    XAPI = "xapi", _("xAPI statement")
    FILE = "file", _("completions file")


class Completion(models.Model):
    """A module completed in a learning platform, as it reported it: recorded once (a statement
    or a completion sent twice is recognised by its reference), the plan's module completed
    and a training rating written."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="completions",
                               verbose_name=_("person"))  # fmt: skip
    module = models.ForeignKey(Module, models.CASCADE, related_name="completions",
                               verbose_name=_("module"))  # fmt: skip
    completed_on = models.DateField(_("completed on"))
    score = models.FloatField(_("score (0 to 1)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=4, choices=CompletionSource.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    item = models.ForeignKey(PlanItem, models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(fields=["source", "reference"], name="one_completion_a_ref",
                                    condition=~models.Q(reference="")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.person_id} {self.module_id} {self.completed_on}"
