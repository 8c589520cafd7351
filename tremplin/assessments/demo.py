"""A year of assessment history for the demo company, generated deterministically.

Two campaigns (last year's mapping, closed; this year's review, open), self and manager ratings
with some people overrating themselves, quiz sessions simulated with the real engine on the
shipped bank, and career interviews in the demo manager's team.
"""

from __future__ import annotations

import datetime
import random

import numpy as np
from django.db import transaction
from django.utils import timezone

from tremplin.assessments.bank import load_default_bank
from tremplin.assessments.models import (
    Campaign,
    CareerInterview,
    Draft,
    Item,
    QuizAnswer,
    QuizSession,
    QuizSettings,
    Rating,
    Source,
)
from tremplin.assessments.queries import ToAssess, competences_to_assess
from tremplin.assessments.quiz import (
    default_focus,
    load_bank,
    measured,
    results_of,
    settings_for,
)
from tremplin.assessments.services import consolidate_levels
from tremplin.compute import cat
from tremplin.people.models import Person
from tremplin.skills.queries import active_framework

INTERVIEW_TEXT = {
    "learned": "Rédiger des demandes précises à l'assistant ; vérifier les chiffres avant envoi.",
    "wishes": "Automatiser la préparation des rapports hebdomadaires.",
    "priorities": "Atelier vérification des sorties au prochain trimestre ; binôme avec un "
    "ambassadeur.",
}


def _day(base: datetime.date, rng: random.Random, span: int) -> datetime.date:
    return base + datetime.timedelta(days=rng.randrange(span))


def build_assessment_history(*, seed: int = 7, manager: Person | None = None) -> None:
    load_default_bank()
    rng = random.Random(seed)
    today = timezone.localdate()
    framework = active_framework()
    if framework is None:
        return
    with transaction.atomic():
        mapping = Campaign.objects.create(
            name="Cartographie initiale des compétences IA",
            quiz=True,
            opens_on=today - datetime.timedelta(days=330),
            closes_on=today - datetime.timedelta(days=300),
        )
        review = Campaign.objects.create(
            name="Bilan annuel IA",
            quiz=True,
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=25),
        )
        people = list(Person.objects.filter(active=True).select_related("job_family", "manager"))
        ability = {p.pk: rng.gauss(0.0, 1.0) for p in people}
        ratings: list[Rating] = []
        drafts: list[Draft] = []
        by_family: dict[int | None, list[ToAssess]] = {}
        for person in people:
            if person.job_family_id not in by_family:  # the same for a whole job family
                by_family[person.job_family_id] = competences_to_assess(person)
            to_assess = by_family[person.job_family_id]
            true = {
                e.competence: max(
                    0, min(4, round(e.target - 1 + ability[person.pk] + rng.gauss(0, 0.6)))
                )
                for e in to_assess
            }
            overrates = rng.random() < 0.15
            if rng.random() < 0.85:
                day = _day(mapping.opens_on, rng, 25)
                levels = {
                    c: min(4, level + (2 if overrates else rng.choice([0, 0, 1])))
                    for c, level in true.items()
                }
                ratings += [
                    Rating(
                        person=person,
                        competence=c,
                        level=v,
                        source=Source.SELF,
                        assessed_on=day,
                        assessor=person,
                        campaign=mapping,
                    )
                    for c, v in levels.items()
                ]
                drafts.append(
                    Draft(
                        campaign=mapping,
                        person=person,
                        assessor=person,
                        source=Source.SELF,
                        submitted_at=timezone.now(),
                        levels={c.code: v for c, v in levels.items()},
                    )
                )
            if person.manager and rng.random() < 0.75:
                day = _day(mapping.opens_on, rng, 30)
                levels = {c: max(0, level - rng.choice([0, 0, 1])) for c, level in true.items()}
                ratings += [
                    Rating(
                        person=person,
                        competence=c,
                        level=v,
                        source=Source.MANAGER,
                        assessed_on=day,
                        assessor=person.manager,
                        campaign=mapping,
                    )
                    for c, v in levels.items()
                ]
                drafts.append(
                    Draft(
                        campaign=mapping,
                        person=person,
                        assessor=person.manager,
                        source=Source.MANAGER,
                        submitted_at=timezone.now(),
                        levels={c.code: v for c, v in levels.items()},
                    )
                )
            if rng.random() < 0.3:
                drafts.append(
                    Draft(
                        campaign=review,
                        person=person,
                        assessor=person,
                        source=Source.SELF,
                        levels={c.code: v for c, v in list(true.items())[:3]},
                    )
                )
        Rating.objects.bulk_create(ratings, batch_size=2000)
        Draft.objects.bulk_create(drafts, batch_size=2000)
        _simulate_quizzes(people, ability, mapping, rng, today)
        consolidate_levels(person_ids=[p.pk for p in people])
        if manager is not None:
            _interviews(manager, today)


def _simulate_quizzes(
    people: list[Person],
    ability: dict[int, float],
    campaign: Campaign,
    rng: random.Random,
    today: datetime.date,
) -> None:
    quiz_settings = QuizSettings.current()
    settings = settings_for(quiz_settings)
    loaded = load_bank(texts=True)  # answers are chosen among the options
    framework = active_framework()
    assert framework is not None
    competences = {c.code: c for c in framework.competences.all()}
    shown = np.zeros(len(loaded.items))
    ratings: list[Rating] = []
    for n, person in enumerate(p for p in people if rng.random() < 0.8):
        generator = np.random.default_rng([rng.randrange(2**31), n])
        bank = cat.Bank(loaded.bank.items, loaded.bank.domain, loaded.bank.pilot, shown / max(n, 1))
        codes = default_focus(person)
        focus = [loaded.domains.index(code) for code in codes if code in loaded.domains]
        # Competences correlate: the person's ability plus a part of each competence's own.
        own = ability[person.pk] + generator.normal(0, 0.6, len(loaded.domains))
        answers, history = cat.run_simulated_test(
            bank, settings, ability[person.pk], generator, focus=focus, domain_theta=own
        )
        shown[answers.asked] += 1
        overall = history[-1]
        results = results_of(loaded, quiz_settings, answers, focus)
        day = _day(campaign.opens_on, rng, 28)
        finished = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))
        session = QuizSession.objects.create(
            person=person,
            campaign=campaign,
            seed=rng.randrange(2**31),
            status=QuizSession.Status.FINISHED,
            theta=overall.theta,
            se=overall.se,
            results=results,
            focus=codes,
            finished_at=finished,
        )
        QuizAnswer.objects.bulk_create(
            QuizAnswer(
                session=session,
                item=loaded.items[i],
                position=k,
                scored=not bool(bank.pilot[i]),
                choice=(
                    loaded.items[i].correct
                    if ok
                    else (loaded.items[i].correct + 1) % len(loaded.items[i].options_fr)
                ),
                correct=ok,
                answered_at=finished,
            )
            for k, (i, ok) in enumerate(zip(answers.asked, answers.correct, strict=True))
        )
        ratings += [
            Rating(
                person=person,
                competence=competences[code],
                level=int(result["level"]),
                source=Source.QUIZ,
                assessed_on=day,
                campaign=campaign,
                quiz_session=session,
                standard_error=float(result["se"]),
            )
            for code, result in measured(results, quiz_settings).items()
            if code in competences
        ]
    # Consolidated with the other ratings by the caller, in one pass.
    Rating.objects.bulk_create(ratings, batch_size=2000)
    for item, count in zip(loaded.items, shown, strict=True):
        if count:
            Item.objects.filter(pk=item.pk).update(times_shown=int(count))
    QuizSettings.objects.filter(pk=quiz_settings.pk).update(
        sessions_started=QuizSession.objects.count()
    )


def _interviews(manager: Person, today: datetime.date) -> None:
    now = timezone.now()
    for n, person in enumerate(manager.direct_reports.filter(active=True)[:4]):
        CareerInterview.objects.create(
            person=person,
            manager=manager,
            held_on=today - datetime.timedelta(days=40 + 7 * n),
            person_agreed_at=now if n != 3 else None,
            manager_agreed_at=now,
            **INTERVIEW_TEXT,
        )
