"""Read models for the framework pages: targets as a job family actually gets them."""

from __future__ import annotations

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
    competences = list(framework.competences.order_by("order", "code"))
    persona = dict(
        PersonaTarget.objects.filter(
            competence__framework=framework, persona=family.persona
        ).values_list("competence_id", "level")
    )
    overrides = {
        t.competence_id: t
        for t in JobFamilyTarget.objects.filter(competence__framework=framework, job_family=family)
    }
    return [EffectiveTarget(c, persona.get(c.pk, 0), overrides.get(c.pk)) for c in competences]


def active_framework() -> Framework | None:
    return Framework.objects.filter(is_active=True).first()
