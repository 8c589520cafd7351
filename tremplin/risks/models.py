"""The risk self-diagnostic before an AI system is deployed in a work unit, answered together by
management, staff and their representatives; the risk lines its answers propose; and the
versions of the occupational risk assessment (DUERP) cut from the register, kept for good."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.compute import risks as scoring
from tremplin.governance.models import AISystem
from tremplin.people.models import OrgUnit, Person, Role, person_of, roles_of
from tremplin.risks.questionnaire import questionnaire

EVERY_UNIT = frozenset({Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL})


class RiskError(Exception):
    """A rule stops the action; the message says which, for the person."""


class VersionsAreKept(RiskError):
    """A version of the occupational risk assessment is never changed nor deleted."""


def unit_scope(user: AbstractBaseUser | AnonymousUser, field: str = "unit") -> Q | None:
    """Which work units `user` reads: None for every unit (the lead, the executive sponsor, the
    works council); a manager, the units they head and those below, and their own unit; anyone
    else, none (an empty filter)."""
    roles = roles_of(user)
    if roles & EVERY_UNIT:
        return None
    me = person_of(user)
    if Role.MANAGER not in roles or me is None:
        return Q(pk__in=[])
    scope = Q(**{field: me.org_unit_id}) if me.org_unit_id else Q(pk__in=[])
    for path in me.headed_units.values_list("path", flat=True):
        scope |= Q(**{f"{field}__path__startswith": path})
    return scope


class Party(models.TextChoices):
    MANAGEMENT = "management", _("management")
    STAFF = "staff", _("staff")
    REPRESENTATIVES = "representatives", _("staff representatives")


class DiagnosticStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    COMPLETED = "completed", _("completed")


class DiagnosticQuerySet(models.QuerySet["Diagnostic"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> DiagnosticQuerySet:
        scope = unit_scope(user)
        return self if scope is None else self.filter(scope)


class Diagnostic(models.Model):
    system = models.ForeignKey(
        AISystem, models.PROTECT, related_name="risk_diagnostics", verbose_name=_("AI system")
    )
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="risk_diagnostics", verbose_name=_("work unit")
    )
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=10, choices=DiagnosticStatus.choices,
        default=DiagnosticStatus.DRAFT,
    )  # fmt: skip
    people = models.ManyToManyField(
        Person, through="Participant", related_name="risk_diagnostics",
        verbose_name=_("participants"),
    )  # fmt: skip
    # {statement key: answer on the scale}, for the questionnaire's version below.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    questionnaire_version = models.PositiveSmallIntegerField(default=1)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(_("completed on"), null=True, blank=True)

    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("risk self-diagnostic")
        verbose_name_plural = _("risk self-diagnostics")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False),
                name="completed_diagnostic_has_its_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.system} – {self.unit}"

    @property
    def is_draft(self) -> bool:
        return self.status == DiagnosticStatus.DRAFT

    def parties(self) -> dict[str, list[Participant]]:
        """The participants by party, every party present (possibly empty)."""
        found: dict[str, list[Participant]] = {p: [] for p in Party.values}
        for participant in self.participants.select_related("person").order_by("person"):
            found[participant.party].append(participant)
        return found

    def missing_parties(self) -> list[str]:
        present = set(self.participants.values_list("party", flat=True))
        return [p for p in Party.values if p not in present]


class Participant(models.Model):
    diagnostic = models.ForeignKey(Diagnostic, models.CASCADE, related_name="participants")
    # Kept: who answered stays on the record of a diagnostic.
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    party = models.CharField(_("party"), max_length=16, choices=Party.choices)

    class Meta:
        verbose_name = _("participant")
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "person"], name="participates_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_party_display()})"


class Severity(models.IntegerChoices):
    MINOR = 1, _("1 · minor")
    SIGNIFICANT = 2, _("2 · significant")
    SERIOUS = 3, _("3 · serious")
    VERY_SERIOUS = 4, _("4 · very serious")


class Likelihood(models.IntegerChoices):
    UNLIKELY = 1, _("1 · unlikely")
    POSSIBLE = 2, _("2 · possible")
    LIKELY = 3, _("3 · likely")
    VERY_LIKELY = 4, _("4 · very likely")


class LineStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed, to review")
    OPEN = "open", _("open")
    DONE = "done", _("action done")
    DISMISSED = "dismissed", _("dismissed")


IN_REGISTER = (LineStatus.OPEN, LineStatus.DONE)


class RiskLineQuerySet(models.QuerySet["RiskLine"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> RiskLineQuerySet:
        scope = unit_scope(user)
        return self if scope is None else self.filter(scope)

    def by_criticity(self) -> RiskLineQuerySet:
        """Most critical first (severity × likelihood), then by unit."""
        criticity = models.F("severity") * models.F("likelihood")
        return self.order_by(criticity.desc(), "unit__path", "pk")


def _graded(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 4}), name=f"risk_{field}_graded"
    )


class RiskLine(models.Model):
    """A line of the occupational risk assessment: a hazard in a work unit, graded, with the
    measures in place, the actions to take, who owns them and by when."""

    diagnostic = models.ForeignKey(
        Diagnostic, models.PROTECT, related_name="lines", verbose_name=_("self-diagnostic")
    )
    statement = models.CharField(max_length=60, blank=True)  # the statement that proposed it
    dimension = models.CharField(_("dimension of work"), max_length=20)
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="risk_lines", verbose_name=_("work unit")
    )
    hazard = models.CharField(_("hazard"), max_length=500)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=Likelihood.choices)
    existing_measures = models.TextField(_("existing measures"), max_length=4000, blank=True)
    actions = models.TextField(_("actions"), max_length=4000, blank=True)
    owner = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="risk_lines",
        verbose_name=_("owner"),
    )  # fmt: skip
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.PROPOSED
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = RiskLineQuerySet.as_manager()

    class Meta:
        ordering = ["-severity", "-likelihood", "pk"]
        verbose_name = _("risk line")
        verbose_name_plural = _("risk lines")
        constraints = [
            _graded("severity"),
            _graded("likelihood"),
            models.CheckConstraint(
                condition=~Q(status__in=["open", "done"])
                | Q(owner__isnull=False, due_on__isnull=False),
                name="risk_line_in_register_has_owner_and_due_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "unit"], name="riskline_status_unit")]

    def __str__(self) -> str:
        return self.hazard

    @property
    def criticity(self) -> int:
        return scoring.criticity(self.severity, self.likelihood)

    @property
    def priority(self) -> str:
        return scoring.priority(self.criticity)

    @property
    def dimension_label(self) -> str:
        found = questionnaire().dimension(self.dimension)
        return str(found.label) if found else self.dimension


class DuerpVersionQuerySet(models.QuerySet["DuerpVersion"]):
    """Versions are kept: no bulk change nor deletion either."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise VersionsAreKept(str(KEPT))

    def update(self, **kwargs: Any) -> int:
        raise VersionsAreKept(str(KEPT))


KEPT = _(
    "The versions of the occupational risk assessment are kept for good: none can be changed "
    "or deleted. Cut a new version instead."
)


class DuerpVersion(models.Model):
    """A version of the occupational risk assessment: the register's lines frozen as they
    stood when the lead cut it. Immutable; its exports read these rows, never the live lines."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("cut on"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_name = models.CharField(_("cut by"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    rows = models.JSONField(_("lines"), default=list)

    objects = DuerpVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("occupational risk assessment version")

    def __str__(self) -> str:
        return f"v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise VersionsAreKept(str(KEPT))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise VersionsAreKept(str(KEPT))
