"""Organisation: org units (a tree), job families, sites, people, reporting lines and roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tremplin.alphabetical import Alphabetical

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Persona(models.TextChoices):
    LEADERS = "leaders", _("Leaders and managers")
    EXPERTS = "experts", _("Technical experts")
    OPERATIONAL = "operational", _("Operational users")
    SUPPORT = "support", _("Support functions")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Appetite(models.TextChoices):
    """How a person feels about AI at work, declared by themselves: used only to mix training
    groups, and only ever counted per group."""

    ENTHUSIASTIC = "enthusiastic", _("rather enthusiastic")
    NEUTRAL = "neutral", _("neither, or curious")
    SCEPTICAL = "sceptical", _("rather sceptical")


class Role(models.TextChoices):
    LEAD = "lead", _("Programme lead")
    EXECUTIVE = "executive", _("Executive sponsor")
    MANAGER = "manager", _("Manager")
    EMPLOYEE = "employee", _("Employee")
    AMBASSADOR = "ambassador", _("Ambassador")
    WORKS_COUNCIL = "works_council", _("Works-council representative")
    # Reads the audit log, answers people's data requests (export, erasure), sets retention.
    DATA_PROTECTION = "data_protection", _("Data-protection officer")


class Company(models.Model):
    """The organisation this installation serves (one row)."""

    name = models.CharField(_("company name"), max_length=200)
    # When the lead last confirmed the job targets (the first-run checklist's step).
    targets_reviewed_at = models.DateTimeField(_("job targets reviewed on"), null=True, blank=True)
    targets_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job targets reviewed by"),
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("company")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Company | None:
        return cls.objects.order_by("pk").first()

    @classmethod
    def targets_reviewed(cls, user: User) -> None:
        """Record that `user` has reviewed the job targets (now)."""
        company = cls.current() or cls(name="")
        company.targets_reviewed_at = timezone.now()
        company.targets_reviewed_by = user
        company.save()


class Site(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = [Alphabetical("name")]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class JobFamily(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    persona = models.CharField(
        _("persona"), max_length=20, choices=Persona.choices, default=Persona.OPERATIONAL
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("job family")
        verbose_name_plural = _("job families")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_fr


class OrgUnit(models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    site = models.ForeignKey(
        Site,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="org_units",
        verbose_name=_("site"),
    )
    head = models.ForeignKey(
        "Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("head"),
    )
    # Materialised path of ids from the root to this unit ("/1/4/9/"), kept by services.
    path = models.CharField(max_length=1000, default="", editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        indexes = [
            models.Index(
                fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> PersonQuerySet:
        """Programme lead: everyone. Manager: self and whole reporting line. Others: self."""
        if not user.is_authenticated:
            return self.none()
        if user_has_role(user, Role.LEAD):
            return self
        me = person_of(user)
        if me is None:
            return self.none()
        if user_has_role(user, Role.MANAGER):
            return self.filter(reporting_path__startswith=me.reporting_path)
        return self.filter(pk=me.pk)

    def reporting_line_of(self, manager: Person) -> PersonQuerySet:
        """Direct and indirect reports, in one indexed prefix query."""
        return self.filter(reporting_path__startswith=manager.reporting_path).exclude(pk=manager.pk)


class Person(models.Model):
    employee_id = models.CharField(_("employee id"), max_length=64, unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("org unit"),
    )
    job_family = models.ForeignKey(
        JobFamily,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("job family"),
    )
    site = models.ForeignKey(
        Site, models.SET_NULL, null=True, blank=True, related_name="people", verbose_name=_("site")
    )
    manager = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("manager"),
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The day the person was first seen gone (kept by the daily retention run, and by the
    # import that marks them inactive): people gone for N years are erased by a retention rule.
    left_on = models.DateField(_("left on"), null=True, blank=True, editable=False)
    # A contractor or temporary worker: in the AI Act Article 4 register like everyone.
    external = models.BooleanField(_("external (contractor, temporary)"), default=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    ai_appetite = models.CharField(
        _("feeling about AI at work"), max_length=12, choices=Appetite.choices, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    # Ids from the top of the reporting line down to this person ("/1/17/240/"), kept by
    # services.refresh_reporting_paths; a reporting line is a prefix query on it.
    reporting_path = models.CharField(max_length=2000, default="", editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = [Alphabetical("last_name"), Alphabetical("first_name"), "employee_id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(
                fields=["reporting_path"],
                name="person_reporting_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["last_name", "first_name"], name="person_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def depth(self) -> int:
        return max(self.reporting_path.count("/") - 2, 0)

    def reports_to(self, manager: Person) -> bool:
        """`manager` is above this person in the reporting line (directly or not)."""
        return manager.pk != self.pk and f"/{manager.pk}/" in self.reporting_path


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user account"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_role_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class PeopleImport(models.Model):
    """An uploaded people file, kept with its preview and outcome: nothing is lost."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("previewed")
        IMPORTED = "imported", _("imported")
        CANCELLED = "cancelled", _("cancelled")

    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREVIEW
    )
    valid_only = models.BooleanField(_("only the valid rows"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")

    def __str__(self) -> str:
        return self.filename


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The user's roles, read once per request (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_tremplin_roles", None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user_id=user.pk).values_list("role", flat=True)
        )
        if getattr(user, "is_superuser", False):
            cached = cached | {Role.LEAD.value}
        user._tremplin_roles = cached  # type: ignore[attr-defined]
    return cached


def user_has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    return role in roles_of(user)


def person_of(user: AbstractBaseUser | AnonymousUser | User) -> Person | None:
    if not user.is_authenticated:
        return None
    try:
        return user.person  # type: ignore[attr-defined]
    except Person.DoesNotExist:
        return None
