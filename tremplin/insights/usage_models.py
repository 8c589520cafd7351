"""AI-tool usage as the tools report it: per day and tool, one person's use (active or not, how
many actions), or a team's when the vendor reports only per team (how many active, how many
actions). Sent through the API (`/api/v1/usage`) or imported from a vendor's usage report; the
adoption KPIs are computed from it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import OrgUnit, Person


class UsageSource(models.TextChoices):
    API = "api", _("API")
    FILE = "file", _("usage report")


class UsageDay(models.Model):
    day = models.DateField(_("day"))
    tool = models.CharField(_("tool"), max_length=80)
    # No foreign keys in the database (deleting a person or team still deletes their rows,
    # through Django): checking each row's person one query at a time took half of the time of
    # writing ten million rows; `upsert_usage` locks the people and teams of a batch at once
    # instead. No index of their own either: the unique constraints below start with them.
    person = models.ForeignKey(
        Person, models.CASCADE, null=True, blank=True, related_name="usage_days",
        verbose_name=_("person"), db_constraint=False, db_index=False,
    )  # fmt: skip
    unit = models.ForeignKey(
        OrgUnit, models.CASCADE, null=True, blank=True, related_name="usage_days",
        verbose_name=_("team"), db_constraint=False, db_index=False,
    )  # fmt: skip
    # A person: 1 when they used the tool that day, else 0; a team: how many of its members did.
    active = models.PositiveIntegerField(_("active users"), default=1)
    actions = models.PositiveIntegerField(_("actions"), default=0)
    source = models.CharField(_("source"), max_length=4, choices=UsageSource.choices)

    class Meta:
        verbose_name = _("AI-tool usage (day)")
        verbose_name_plural = _("AI-tool usage")
        constraints = [
            models.UniqueConstraint(fields=["person", "tool", "day"], name="usage_person_day",
                                    condition=models.Q(person__isnull=False)),
            models.UniqueConstraint(fields=["unit", "tool", "day"], name="usage_unit_day",
                                    condition=models.Q(unit__isnull=False)),
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) ^ models.Q(unit__isnull=True),
                name="usage_person_or_team",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["day", "tool"], name="usage_day_tool")]

    def __str__(self) -> str:
        return f"{self.day} {self.tool}"
