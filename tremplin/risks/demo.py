"""The demo's risk self-diagnostic: the first AI system of the register in the demo manager's
unit, answered together three weeks ago by the manager, two of the unit's staff and a works-
council representative; its proposed risk lines reviewed by the lead (all but one accepted, one
action already done) and version 1 of the occupational risk assessment cut from them."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import User
from django.utils import timezone

from tremplin.compute import risks as scoring
from tremplin.governance.models import AISystem
from tremplin.people.models import OrgUnit, Person, Role
from tremplin.risks import services
from tremplin.risks.models import Diagnostic, DuerpVersion, LineStatus, Party
from tremplin.risks.questionnaire import questionnaire

# Answers the demo's participants gave where the system weighs most (the others drawn low).
MARKED = {"responsibility_check": 4, "know_how_loss": 3, "surveillance_activity": 3,
          "recognition_evaluation": 3, "autonomy_pace": 3}  # fmt: skip
NOTES = "Séance commune d'une heure et demie, animée par la responsable RH."
MEASURES = {
    "responsibility_check": "Relecture systématique prévue par la charte d'usage (v2).",
    "surveillance_activity": "Journalisation limitée aux erreurs techniques ; CSE informé.",
    "recognition_evaluation": "Charte d'usage : aucun indicateur de l'outil dans les entretiens.",
}


def _unit(manager: Person | None) -> OrgUnit | None:
    if manager is not None:
        headed = manager.headed_units.order_by("path").first()
        if headed is not None:
            return headed
        if manager.org_unit is not None:
            return manager.org_unit
    return OrgUnit.objects.filter(depth=1).order_by("path").first()


def build_risks(seed: int = 7) -> str:
    system = AISystem.objects.order_by("pk").first()
    manager = Person.objects.filter(user__username="manager").first()
    unit = _unit(manager)
    if system is None or unit is None:
        return "no AI system or unit: nothing built"
    found = Diagnostic.objects.filter(system=system, unit=unit).first()
    if found is not None:
        return f"self-diagnostic of {system} in {unit} already there"
    rng = random.Random(seed)
    lead = User.objects.filter(role_assignments__role=Role.LEAD).order_by("pk").first()
    today = timezone.localdate()
    management = manager or unit.head
    if management is None:
        return f"nobody manages {unit}: no self-diagnostic"
    staff = list(Person.objects.filter(active=True, org_unit__path__startswith=unit.path)
                 .exclude(pk=management.pk).order_by("pk")[:40])  # fmt: skip
    council = Person.objects.filter(active=True, user__role_assignments__role=Role.WORKS_COUNCIL)
    representative = council.exclude(pk__in=[p.pk for p in staff]).first()
    if representative is None or len(staff) < 2:
        return f"too few people in {unit} for a self-diagnostic"
    diagnostic = services.start(system=system, unit=unit, by=lead,
                                held_on=today - datetime.timedelta(days=21))  # fmt: skip
    for person, party in ((management, Party.MANAGEMENT), (representative, Party.REPRESENTATIVES),
                          *((p, Party.STAFF) for p in rng.sample(staff, 2))):  # fmt: skip
        services.add_participant(diagnostic=diagnostic, person=person, party=party)
    answers = {s.key: MARKED.get(s.key, rng.choice((1, 1, 2, 2)))
               for s in questionnaire().statements}  # fmt: skip
    services.record(diagnostic=diagnostic, answers=answers, notes=NOTES)
    lines = services.complete(diagnostic=diagnostic, today=today)
    for n, line in enumerate(lines):
        if line.statement == "autonomy_pace":  # judged already covered by the team's rules
            services.dismiss(line=line)
            continue
        line.existing_measures = MEASURES.get(line.statement, "")
        services.accept(line=line, owner=management,
                        due_on=today + datetime.timedelta(days=30 * (n + 1)))  # fmt: skip
    services.cut_version(by=lead, note="Première évaluation avant le déploiement.")
    done = next((ln for ln in lines if ln.statement == "surveillance_activity"), None)
    if done is not None:
        done.status = LineStatus.DONE
        done.save(update_fields=["status", "updated_at"])
    accepted = sum(1 for ln in lines if ln.status != LineStatus.DISMISSED)
    signals = len(scoring.signals(questionnaire().scoring(), answers))
    return (f"self-diagnostic of {system} in {unit}: {signals} answers signal a risk, "
            f"{accepted} lines in the register, DUERP v{DuerpVersion.objects.count()}")  # fmt: skip
