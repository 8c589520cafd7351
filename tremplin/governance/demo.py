"""The demo's governance: a register of eight AI systems (two shadow uses discovered; the CV
screening tolerated when entered, forbidden a month ago), the usage charter in two versions
with their acknowledgements, and the works council informed, then consulted before the first
wave (favourable opinion)."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import User
from django.utils import timezone

from tremplin.governance import services
from tremplin.governance.models import (
    Acknowledgement,
    AISystem,
    AnnexArea,
    Category,
    Charter,
    CouncilEvent,
    EventKind,
    Evolution,
    JobImpact,
    Opinion,
    SystemStatus,
)
from tremplin.people.models import JobFamily, Person
from tremplin.rollout.models import Wave
from tremplin.skills.models import Competence

SYSTEMS = [
    ("Copilote rédactionnel", "Microsoft", "Rédaction, synthèse et traduction de documents "
     "internes.", SystemStatus.APPROVED, Category.TRANSPARENCY, "", False),
    ("Assistant conversationnel d'entreprise", "Mistral AI", "Questions sur les procédures "
     "internes, brouillons d'e-mails.", SystemStatus.APPROVED, Category.TRANSPARENCY, "", False),
    ("Transcription des réunions", "Otter", "Comptes rendus de réunions internes.",
     SystemStatus.TOLERATED, Category.MINIMAL, "", True),
    ("Tri des candidatures", "Éditeur SIRH", "Présélection des CV reçus.",
     SystemStatus.FORBIDDEN, Category.HIGH_RISK, AnnexArea.EMPLOYMENT, True),
    ("Maintenance prédictive", "Éditeur GMAO", "Anticiper les pannes des lignes de production.",
     SystemStatus.APPROVED, Category.MINIMAL, "", False),
    ("Prévision des ventes", "Interne", "Prévisions mensuelles par famille de produits.",
     SystemStatus.APPROVED, Category.MINIMAL, "", False),
]  # fmt: skip
ENTERED_DAYS_AGO = 120  # the register's systems were entered four months ago
CHANGED = ("Tri des candidatures", 30)  # tolerated when entered, its status set 30 days ago
SHADOW = [("Assistants conversationnels généralistes (déclarés dans l'inventaire)", 31),
          ("Générateurs d'images (déclarés dans l'inventaire)", 7)]  # fmt: skip
CHARTER = {
    "title_fr": "Charte d'usage de l'IA", "title_en": "AI usage charter",
    "body_fr": "Nous utilisons les outils d'IA autorisés ci-dessous pour gagner du temps sur "
               "les tâches qui s'y prêtent.\n\nAucune donnée client, financière ou personnelle "
               "n'est saisie dans un outil qui n'est pas autorisé.\n\nChaque résultat est relu "
               "et vérifié par la personne qui l'utilise : elle en reste responsable.\n\nEn cas "
               "de doute, demandez à votre ambassadeur ou au responsable du programme.",
    "body_en": "We use the AI tools allowed below to save time on the tasks they suit.\n\nNo "
               "customer, financial or personal data is entered into a tool that is not "
               "allowed.\n\nEvery output is read and checked by the person using it, who "
               "remains responsible for it.\n\nWhen in doubt, ask your ambassador or the "
               "programme lead.",
}  # fmt: skip


IMPACTS = {
    "MKT": ("Rédaction des contenus et des fiches produit\nVeille concurrentielle\nAnalyse des "
            "retours clients", Evolution.MODIFIED, ["T2-PROMPT", "T2-VERIFY", "T3-CONTENT"],
            ["T1-ENVIRONMENT"], "Parcours « Contenus assistés par l'IA » et atelier de "
            "vérification des sources."),
    "FIN": ("Rapprochements et contrôles\nPréparation des clôtures", Evolution.MODIFIED,
            ["T2-VERIFY", "T3-ANOMALY"], [], "Module « Vérifier les résultats » pour tous."),
}  # fmt: skip


def _observatory(systems: list[AISystem]) -> None:
    competences = {c.code: c for c in Competence.objects.filter(framework__is_active=True)}
    for code, (tasks, evolution, critical, declining, training) in IMPACTS.items():
        family = JobFamily.objects.filter(code=code).first()
        if family is None:
            continue
        impact, _created = JobImpact.objects.get_or_create(
            family=family, defaults={"tasks": tasks, "evolution": evolution, "training": training}
        )
        impact.systems.set(systems[:2])
        impact.critical.set([competences[c] for c in critical if c in competences])
        impact.declining.set([competences[c] for c in declining if c in competences])


def build_governance(seed: int = 7) -> str:
    rng = random.Random(seed)
    people = list(Person.objects.filter(active=True).order_by("pk"))
    families = list(JobFamily.objects.all())
    made = []
    lead = User.objects.filter(username="lead").first()
    entered = timezone.now() - datetime.timedelta(days=ENTERED_DAYS_AGO)
    for name, vendor, purpose, status, category, area, personal in SYSTEMS:
        system = AISystem.objects.filter(name=name).first()
        if system is None:
            changed = name == CHANGED[0]
            system = AISystem(
                name=name, vendor=vendor, purpose=purpose, category=category, annex_area=area,
                personal_data=personal, created_at=entered, reviewed_at=entered,
                status=SystemStatus.TOLERATED if changed else status,
            )  # fmt: skip
            services.save_system(system=system, by=lead)
            if changed:
                system.status = status
                services.save_system(system=system, by=lead)
                system.status_changes.filter(status=status).update(
                    changed_at=timezone.now() - datetime.timedelta(days=CHANGED[1])
                )
        system.supervisors.set(rng.sample(people, 1))
        system.families.set(rng.sample(families, min(3, len(families))))
        made.append(system)
    for name, count in SHADOW:
        if not AISystem.objects.filter(name=name).exists():
            services.save_system(system=AISystem(
                name=name, status=SystemStatus.DISCOVERED, reported_by=count,
                purpose="Usage déclaré sans être fourni par l'entreprise."), by=None)  # fmt: skip
    today = timezone.localdate()
    allowed = [s for s in made if s.status in (SystemStatus.APPROVED, SystemStatus.TOLERATED)]
    first, _c = Charter.objects.get_or_create(
        version=1, defaults={**CHARTER, "published_on": today - datetime.timedelta(days=90)}
    )
    first.tools.set(allowed[:2])
    second, _c = Charter.objects.get_or_create(
        version=2, defaults={**CHARTER, "published_on": today - datetime.timedelta(days=6)}
    )
    second.tools.set(allowed)
    for charter, share, days in ((first, 0.9, 80), (second, 0.45, 4)):
        for person in people:
            if rng.random() < share:
                at = timezone.now() - datetime.timedelta(days=rng.randint(0, days))
                Acknowledgement.objects.get_or_create(charter=charter, person=person,
                                                      defaults={"at": at})  # fmt: skip
    wave = Wave.objects.filter(pilot=False).order_by("starts_on", "pk").first()
    copilot = made[0]
    if wave is not None:
        copilot.waves.add(wave)
    CouncilEvent.objects.get_or_create(
        subject="Présentation du programme IA et de la charte d'usage",
        defaults={"kind": EventKind.INFORMATION, "held_on": today - datetime.timedelta(days=95),
                  "documents": "Note de présentation du programme\nCharte d'usage v1"},
    )  # fmt: skip
    # Consulted before the wave opened: its opinion came ahead of the wave's start date.
    opening = wave.starts_on if wave is not None and wave.starts_on is not None else today
    held = min(opening, today) - datetime.timedelta(days=40)
    consult, _c = CouncilEvent.objects.get_or_create(
        subject="Déploiement du copilote rédactionnel (vague 1)",
        defaults={"kind": EventKind.CONSULTATION, "held_on": held,
                  "deadline": held + datetime.timedelta(days=30),
                  "opinion": Opinion.FAVOURABLE, "opinion_on": held + datetime.timedelta(days=25),
                  "documents": "Analyse d'impact sur les postes\nPlan de formation de la vague 1",
                  "notes": "Avis favorable, sous réserve d'un point d'étape à trois mois."},
    )  # fmt: skip
    consult.systems.set([copilot])
    _observatory(made)
    acknowledged = second.acknowledgements.count()
    return (f"{AISystem.objects.count()} AI systems, charter v2 acknowledged by {acknowledged}, "
            f"{CouncilEvent.objects.count()} council events")  # fmt: skip
