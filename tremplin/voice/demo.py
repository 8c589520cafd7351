"""The demo's voice: the pilot sessions' satisfaction surveys answered and closed, a trust
pulse open to everyone (most have answered), the pilot's help network, and the recipe's ideas
in every status, the deployed ones measured before and after."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tremplin.people.models import OrgUnit, Person
from tremplin.rollout.models import Wave
from tremplin.skills.models import Competence
from tremplin.voice import ideas as idea_service
from tremplin.voice import services
from tremplin.voice.idea_models import Idea, IdeaComment, Metric, Phase
from tremplin.voice.models import Invitation, Survey
from tremplin.voice.results import build_result

COMMENTS = [
    "Très utile pour mon équipe.",
    "Attention aux données clients.",
    "On a essayé, ça marche bien sur les cas simples.",
    "Je suis volontaire pour tester.",
]


def _likert(rng: random.Random, mean: float) -> str:
    return str(min(5, max(1, round(rng.gauss(mean, 0.9)))))


def _answers(
    survey: Survey, person: Person, rng: random.Random, people: list[int]
) -> dict[str, object]:
    given: dict[str, object] = {}
    for q in survey.questions.all():
        if q.kind in ("likert5", "likert7"):
            given[q.key] = _likert(rng, 3.9 if q.key != "worry_job_change" else 2.8)
        elif q.kind == "scale10":
            given[q.key] = str(min(10, max(0, round(rng.gauss(7.5, 1.6)))))
        elif q.kind == "single":
            given[q.key] = rng.choice(q.options)["key"]
        elif q.kind == "multiple":
            given[q.key] = [o["key"] for o in rng.sample(q.options, 2)]
        elif q.kind == "colleagues":
            given[q.key] = [p for p in rng.sample(people, 2) if p != person.pk][:2]
        elif q.kind == "text" and rng.random() < 0.3:
            given[q.key] = rng.choice(
                ["Plus d'exemples concrets.", "Bien rythmé.", "Besoin d'un suivi après la session."]
            )
    return given


def _answered_by(survey: Survey, share: float, rng: random.Random) -> int:
    """Most of those invited answer (through the service, as a person would)."""
    invited = list(Person.objects.filter(survey_invitations__survey=survey))
    people = [p.pk for p in invited]
    done = 0
    for person in invited:
        if rng.random() >= share:
            continue
        try:
            services.answer(survey, person, _answers(survey, person, rng, people))
            done += 1
        except services.SurveyError:
            continue  # a show-if left a required answer unasked: skipped, as a person might
    return done


def build_voice(recipe: dict[str, Any], seed: int = 7) -> str:
    rng = random.Random(seed)
    now = timezone.now()
    for survey in Survey.objects.filter(template=services.POST_SESSION):
        _answered_by(survey, 0.95, rng)
        Survey.objects.filter(pk=survey.pk).update(closes_at=now - datetime.timedelta(minutes=1))
        services.seal(Survey.objects.get(pk=survey.pk))
        build_result(survey)
    pulse = services.create_survey(services.templates()["trust_pulse"], by=None)
    pulse.units.set(OrgUnit.objects.filter(parent=None))
    services.send(
        pulse, opens_at=now - datetime.timedelta(days=3), closes_at=now + datetime.timedelta(days=7)
    )
    _answered_by(pulse, 0.6, rng)
    build_result(pulse)
    pilot = Wave.objects.filter(pilot=True).first()
    if pilot is not None:
        network = services.create_survey(services.templates()["help_network"], by=None)
        network.waves.set([pilot])
        services.send(
            network,
            opens_at=now - datetime.timedelta(days=2),
            closes_at=now + datetime.timedelta(days=12),
        )
        _answered_by(network, 0.7, rng)
    ideas = _ideas(recipe, rng)
    answered = Invitation.objects.filter(answered=True).count()
    return f"{Survey.objects.count()} surveys ({answered} open answers), {ideas} ideas"


def _ideas(recipe: dict[str, Any], rng: random.Random) -> int:
    people = list(Person.objects.filter(active=True).select_related("org_unit"))
    competences = list(Competence.objects.filter(framework__is_active=True))
    day = timezone.localdate()
    for n, data in enumerate(recipe.get("ideas", [])):
        author = people[(n * 7) % len(people)]
        idea = Idea.objects.create(
            title=data["title"],
            problem=data["problem"],
            tools=data["tools"],
            expected_hours=Decimal(data["hours"]),
            sensitivity=data["sensitivity"],
            risk=data["risk"],
            author=author,
            team=author.org_unit,
            owner=people[(n * 11 + 3) % len(people)] if data["status"] != "submitted" else None,
            created_at=timezone.now() - datetime.timedelta(days=90 - 2 * n),
        )
        idea.competences.set(rng.sample(competences, min(2, len(competences))))
        for voter in rng.sample(people, rng.randint(0, 14)):
            if voter.pk != author.pk:
                idea_service.vote(idea, voter)
        for text in rng.sample(COMMENTS, rng.randint(0, 2)):
            IdeaComment.objects.create(idea=idea, person=rng.choice(people), text=text)
        idea_service.move(idea, data["status"], reason=data.get("reason", ""))
        _measure(idea, data, day)
    return len(recipe.get("ideas", []))


def _measure(idea: Idea, data: dict[str, Any], day: datetime.date) -> None:
    """Minutes per task [mean, observations, sd] before and after, tasks per month, errors."""
    taken = []
    for phase, key in ((Phase.BEFORE, "before"), (Phase.AFTER, "after")):
        if key in data:
            mean, n, sd = data[key]
            taken.append((Metric.MINUTES, phase, mean, n, sd))
    if "volume" in data:
        taken.append((Metric.VOLUME, Phase.AFTER, data["volume"], 1, None))
    if "errors" in data:
        taken += [
            (Metric.ERRORS, Phase.BEFORE, data["errors"][0], 50, None),
            (Metric.ERRORS, Phase.AFTER, data["errors"][1], 50, None),
        ]
    for metric, phase, mean, n, sd in taken:
        on = day - datetime.timedelta(days=60 if phase == Phase.BEFORE else 5)
        idea_service.measure(
            idea,
            metric=metric,
            phase=phase,
            mean=Decimal(str(mean)),
            observations=n,
            sd=None if sd is None else Decimal(str(sd)),
            on=on,
            by=idea.owner,
        )
