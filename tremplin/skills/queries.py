"""Read models for the framework pages: targets as a job family actually gets them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tremplin.people.models import JobFamily
from tremplin.skills.models import Competence, Framework, JobFamilyTarget, PersonaTarget


@dataclass
class EffectiveTarget:
    competence: Competence
    persona_level: int  # the persona's default (0 when it sets none)
    override: JobFamilyTarget | None

    @property
    def level(self) -> int:
        return self.override.level if self.override else self.persona_level

    @property
    def weight(self) -> Decimal:
        return self.override.weight if self.override else Decimal(1)

    @property
    def priority(self) -> bool:
        return bool(self.override and self.override.priority)


def effective_targets(framework: Framework, family: JobFamily) -> list[EffectiveTarget]:
    return targets_by_family(framework, [family])[family.pk]


def targets_by_family(
    framework: Framework, families: Iterable[JobFamily]
) -> dict[int, list[EffectiveTarget]]:
    """Each family's effective targets, in framework order: its persona's defaults and its own
    overrides, in three queries however many families (read with their persona)."""
    families = list(families)
    competences = list(framework.competences.order_by("order", "code"))
    by_persona: dict[str, dict[int, int]] = {}
    for persona, competence_id, level in PersonaTarget.objects.filter(
        competence__framework=framework, persona__in={f.persona for f in families}
    ).values_list("persona", "competence_id", "level"):
        by_persona.setdefault(persona, {})[competence_id] = level
    overrides: dict[int, dict[int, JobFamilyTarget]] = {}
    for target in JobFamilyTarget.objects.filter(
        competence__framework=framework, job_family__in=[f.pk for f in families]
    ):
        overrides.setdefault(target.job_family_id, {})[target.competence_id] = target
    found = {}
    for family in families:
        defaults, own = by_persona.get(family.persona, {}), overrides.get(family.pk, {})
        found[family.pk] = [
            EffectiveTarget(c, defaults.get(c.pk, 0), own.get(c.pk)) for c in competences
        ]
    return found


def active_framework() -> Framework | None:
    return Framework.objects.filter(is_active=True).first()
