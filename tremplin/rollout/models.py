"""The rollout's pilot and waves: who is trained when."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import OrgUnit, Person


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
