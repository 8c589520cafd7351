"""AI skills framework: versioned frameworks, competences, level descriptors and targets."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import JobFamily, Persona

LEVELS = range(0, 5)


class Tier(models.TextChoices):
    LITERACY = "1", _("Tier 1 – AI literacy for all")
    TOOLS = "2", _("Tier 2 – tool mastery")
    BUSINESS = "3", _("Tier 3 – business application")
    TECHNICAL = "4", _("Tier 4 – technical expertise")
    PRESERVE = "preserve", _("Human skills to preserve")


class Level(models.IntegerChoices):
    NONE = 0, _("0 – none")
    AWARE = 1, _("1 – aware")
    PRACTITIONER = 2, _("2 – practitioner")
    ADVANCED = 3, _("3 – advanced")
    EXPERT = 4, _("4 – expert, can teach")


def localised(obj: object, field: str) -> str:
    """The French or English variant of `field`, following the active language."""
    suffix = "en" if get_language() == "en" else "fr"
    return str(getattr(obj, f"{field}_{suffix}"))


class Framework(models.Model):
    code = models.CharField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=30)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("The framework in use; only one is active at a time."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-created_at"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_version_once"),
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="one_active_framework",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def description(self) -> str:
        return localised(self, "description")


class Competence(models.Model):
    framework = models.ForeignKey(
        Framework, models.CASCADE, related_name="competences", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=40)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # [{"framework": "DigComp 2.2", "ref": "4.2 Protecting personal data and privacy"}, ...]
    references = models.JSONField(_("references to public frameworks"), default=list, blank=True)

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competence_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def description(self) -> str:
        return localised(self, "description")

    @property
    def is_preserve(self) -> bool:
        return self.tier == Tier.PRESERVE


class LevelDescriptor(models.Model):
    competence = models.ForeignKey(
        Competence, models.CASCADE, related_name="descriptors", verbose_name=_("competence")
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, validators=[MaxValueValidator(4)]
    )
    text_fr = models.TextField(_("descriptor (French)"))
    text_en = models.TextField(_("descriptor (English)"))

    class Meta:
        ordering = ["competence", "level"]
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        constraints = [
            models.UniqueConstraint(fields=["competence", "level"], name="descriptor_level_once")
        ]

    def __str__(self) -> str:
        return f"{self.competence.code} {self.level}"

    @property
    def text(self) -> str:
        return localised(self, "text")


class PersonaTarget(models.Model):
    """Default target of a persona; a job family inherits it unless it overrides it."""

    competence = models.ForeignKey(
        Competence, models.CASCADE, related_name="persona_targets", verbose_name=_("competence")
    )
    persona = models.CharField(_("persona"), max_length=20, choices=Persona.choices)
    level = models.PositiveSmallIntegerField(
        _("target level"), choices=Level.choices, validators=[MaxValueValidator(4)]
    )

    class Meta:
        verbose_name = _("persona target")
        verbose_name_plural = _("persona targets")
        constraints = [
            models.UniqueConstraint(fields=["competence", "persona"], name="persona_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.persona} {self.competence.code} {self.level}"


class JobFamilyTarget(models.Model):
    """A job family's own target and weight for a competence, overriding its persona's."""

    competence = models.ForeignKey(
        Competence, models.CASCADE, related_name="job_family_targets", verbose_name=_("competence")
    )
    job_family = models.ForeignKey(
        JobFamily, models.CASCADE, related_name="targets", verbose_name=_("job family")
    )
    level = models.PositiveSmallIntegerField(
        _("target level"), choices=Level.choices, validators=[MaxValueValidator(4)]
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("Importance of the competence for the job (1 = normal)."),
    )
    priority = models.BooleanField(_("priority for this job"), default=False)

    class Meta:
        verbose_name = _("job-family target")
        verbose_name_plural = _("job-family targets")
        constraints = [
            models.UniqueConstraint(fields=["competence", "job_family"], name="job_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.job_family.code} {self.competence.code} {self.level}"
