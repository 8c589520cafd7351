"""Accountability for personal data: the audit log (who did or read what, when), the erasures
done, and the retention rules the daily run applies."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import Person


class Action(models.TextChoices):
    WRITE = "write", _("change")
    READ = "read", _("personal page read")
    EXPORT = "export", _("export downloaded")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_OUT = "sign_out", _("signed out")
    ERASE = "erase", _("person erased")
    RETENTION = "retention", _("retention rule applied")
    API = "api", _("API read")


class AuditEntry(models.Model):
    """One line of the audit log, never changed afterwards (but for the name of an erased
    person, replaced by their pseudonym)."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    actor = models.CharField(_("who"), max_length=150, blank=True)  # the name at the time
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    method = models.CharField(max_length=6, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    view = models.CharField(_("page"), max_length=100, blank=True)
    status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    person = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("person concerned"), db_constraint=False,
    )  # fmt: skip
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["person", "at"], name="audit_person_at"),
            models.Index(fields=["user", "at"], name="audit_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.path}"

    @property
    def shown_detail(self) -> str:
        """The detail in the reader's language (`details.shown`)."""
        from tremplin.accountability.details import shown  # it reads this module's Target

        return shown(self.detail)


class Erasure(models.Model):
    """A person's data erased: the person kept as a pseudonym (their levels still count in
    the aggregates), their identity and free text gone. One per person: never twice."""

    person = models.OneToOneField(Person, models.PROTECT, related_name="erasure")
    at = models.DateTimeField(_("erased on"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    pseudonym = models.CharField(_("pseudonym"), max_length=40, unique=True)
    counts = models.JSONField(default=dict)  # {holding: rows cleared or deleted}

    class Meta:
        ordering = ["-at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return self.pseudonym


class Target(models.TextChoices):
    NAMED_ANSWERS = "named_answers", _("named survey answers (help network)")
    SURVEY_COMMENTS = "survey_comments", _("survey comments")
    PEOPLE_GONE = "people_gone", _("people gone (erased)")
    EMAILS = "emails", _("e-mails sent")
    AUDIT_LOG = "audit_log", _("audit log")
    RISK_VERSIONS = "risk_versions", _("occupational-risk assessment versions (DUERP)")


# Data no rule may delete, and why.
KEPT_BY_LAW = {
    Target.RISK_VERSIONS: _(
        "The occupational-risk assessment's versions are kept for good (French Labour Code, "
        "article L4121-3-1: at least 40 years): no retention rule can delete them."
    ),
}
# The least a rule may keep, in months, and why (shown when a rule asks for less).
MINIMUM_MONTHS = {
    Target.AUDIT_LOG: (
        6,
        _("The audit log is kept at least 6 months, so that accesses can still be checked."),
    ),
}


class RetentionRule(models.Model):
    target = models.CharField(_("data"), max_length=20, choices=Target.choices, unique=True)
    months = models.PositiveIntegerField(_("kept for (months)"))
    active = models.BooleanField(_("applied"), default=True)
    last_run_at = models.DateTimeField(_("last applied"), null=True, blank=True)
    last_count = models.PositiveIntegerField(_("removed last time"), default=0)

    class Meta:
        ordering = ["target"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.get_target_display()}: {self.months}"

    def clean(self) -> None:
        kept = KEPT_BY_LAW.get(Target(self.target)) if self.target in Target.values else None
        if kept:
            raise ValidationError({"target": kept})
        if not self.months:
            raise ValidationError({"months": _("Keep the data at least one month.")})
        least = MINIMUM_MONTHS.get(Target(self.target)) if self.target in Target.values else None
        if least and self.months < least[0]:
            raise ValidationError({"months": least[1]})

    def cutoff(self, now: datetime.datetime | None = None) -> datetime.datetime:
        """Data older than this goes (months counted as 30.44 days)."""
        return (now or timezone.now()) - datetime.timedelta(days=round(self.months * 30.44))
