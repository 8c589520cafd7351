"""The demo's engagement: the suggested badges, the demo ambassador serving with a community,
a cover proposed from the help network, mentors and mentees matched (one mentoring under
way, with the demo employee), a hallucination hunt open and a promptathon with its results
published, and the badges earned so far."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from tremplin.engagement import ambassadors, badges, mentoring
from tremplin.engagement.ambassador_models import (
    ActivityKind,
    Ambassador,
    AmbassadorActivity,
    AmbassadorStatus,
)
from tremplin.engagement.challenge_models import (
    Challenge,
    ChallengeKind,
    ChallengeTeam,
    Community,
    CommunityMeeting,
    Resource,
    ResourceKind,
    Review,
    Submission,
)
from tremplin.engagement.mentoring_models import (
    MenteeRequest,
    MentoringMeeting,
    MentorOffer,
    Mentorship,
    MentorshipStatus,
)
from tremplin.people.models import Person

HUNT_ENTRIES = [
    ("L'outil affirme que la loi impose un entretien professionnel tous les ans.",
     "L'entretien professionnel a lieu tous les deux ans (article L6315-1 du Code du travail)."),
    ("Le résumé cite un chiffre d'affaires 2023 qui n'apparaît nulle part dans le rapport.",
     "Le rapport annuel, page 4, donne un autre montant ; l'outil l'a inventé."),
    ("La réponse attribue la norme ISO 9001 à la sécurité de l'information.",
     "ISO 9001 porte sur le management de la qualité ; la sécurité relève d'ISO/IEC 27001."),
]  # fmt: skip
PROMPTS = [
    "Tu es assistant commercial. Résume cet échange client en cinq points, puis propose une "
    "relance polie de trois phrases. Ne cite aucun montant.",
    "Rédige une relance pour un client qui n'a pas répondu depuis deux semaines. Ton cordial, "
    "moins de 80 mots, une question ouverte à la fin.",
    "À partir des notes ci-dessous, écris un e-mail de suivi : contexte, prochaines étapes, "
    "date proposée. Format : trois paragraphes courts.",
    "Relance ce client.",
]


def _user(name: str) -> Person | None:
    user = get_user_model().objects.filter(username=name).first()
    return getattr(user, "person", None) if user else None


def _ambassador(host: Person) -> Ambassador:
    found, _created = Ambassador.objects.update_or_create(
        person=host,
        defaults={
            "status": AmbassadorStatus.ACTIVE,
            "mission": "Aider les équipes marketing et commerciales à adopter les outils "
            "d'IA autorisés ; animer la communauté « Prompts du quotidien ».",
            "hours_per_month": 6,
            "office_hours": "Mardi 14 h – 15 h, salle Horizon ou en visio",
            "invited_at": timezone.now() - datetime.timedelta(days=40),
            "answered_at": timezone.now() - datetime.timedelta(days=38),
        },
    )
    if host.org_unit is not None:
        found.teams.set([host.org_unit])
    today = timezone.localdate()
    for days, kind, helped, note in [
        (30, ActivityKind.OFFICE_HOURS, 4, "Questions sur la charte"),
        (20, ActivityKind.SESSION, 9, "Atelier prompts"),
        (3, ActivityKind.HELPED, 2, "Relances clients"),
    ]:
        AmbassadorActivity.objects.get_or_create(
            ambassador=found, on=today - datetime.timedelta(days=days), kind=kind,
            defaults={"people_helped": helped, "hours": 1.5, "note": note},
        )  # fmt: skip
    return found


def _community(host: Person, rng: random.Random) -> Community:
    found, _created = Community.objects.get_or_create(
        name="Prompts du quotidien",
        defaults={"topic": "Partager les prompts qui marchent pour les e-mails, comptes rendus "
                           "et synthèses, et ceux qui ne marchent pas."},
    )  # fmt: skip
    found.hosts.set([host])
    people = list(Person.objects.filter(active=True).exclude(pk=host.pk).order_by("pk"))
    found.members.set(rng.sample(people, min(18, len(people))))
    CommunityMeeting.objects.get_or_create(
        community=found, starts_at=timezone.now() + datetime.timedelta(days=9),
        defaults={"place": "Salle Horizon", "agenda": "Prompts de relance client"},
    )  # fmt: skip
    Resource.objects.get_or_create(
        community=found, title="Compte rendu de réunion",
        defaults={"kind": ResourceKind.PROMPT, "author": host,
                  "body": "Tu es assistant de direction. À partir des notes ci-dessous, rédige "
                          "un compte rendu : décisions, actions (qui, quoi, quand), points "
                          "ouverts. Format : trois listes à puces."},
    )  # fmt: skip
    return found


def _challenges(host: Person, rng: random.Random) -> None:
    now = timezone.now()
    people = list(Person.objects.filter(active=True).exclude(pk=host.pk).order_by("pk"))
    hunt, _created = Challenge.objects.get_or_create(
        title="Chasse aux hallucinations – printemps",
        defaults={"kind": ChallengeKind.HUNT, "opens_at": now - datetime.timedelta(days=5),
                  "closes_at": now + datetime.timedelta(days=10),
                  "brief": "Posez à un outil autorisé une question de votre métier, trouvez "
                           "une affirmation fausse dans sa réponse et prouvez-la."},
    )  # fmt: skip
    hunt.jury.set([host])
    for (claim, proof), author in zip(HUNT_ENTRIES, rng.sample(people, 3), strict=True):
        Submission.objects.get_or_create(
            challenge=hunt, author=author, claim=claim,
            defaults={"output": "…" + claim + "…", "proof": proof},
        )  # fmt: skip
    thon, _created = Challenge.objects.get_or_create(
        title="Promptathon – relances clients",
        defaults={"kind": ChallengeKind.PROMPTATHON, "teams": True,
                  "opens_at": now - datetime.timedelta(days=30),
                  "closes_at": now - datetime.timedelta(days=16),
                  "results_published_at": now - datetime.timedelta(days=14),
                  "brief": "Écrire le prompt qui produit la meilleure relance d'un client "
                           "silencieux, sans donnée confidentielle."},
    )  # fmt: skip
    thon.jury.set([host])
    for n, prompt in enumerate(PROMPTS):
        name = f"Équipe {'ABCD'[n]}"
        team, _created = ChallengeTeam.objects.get_or_create(challenge=thon, name=name)
        members = rng.sample(people, 3)
        team.members.set(members)
        Submission.objects.get_or_create(
            challenge=thon, team=team, author=members[0], prompt=prompt,
            defaults={"submitted_at": now - datetime.timedelta(days=20),
                      "review": Review.VALIDATED if n < 3 else Review.REJECTED,
                      "winner": n == 0, "votes_count": [14, 9, 6, 1][n], "reviewed_by": host,
                      "story": "Nos relances partent deux fois plus vite, et les clients "
                               "répondent davantage." if n == 0 else "",
                      "story_consent": n == 0},
        )  # fmt: skip


def _mentoring(rng: random.Random) -> str:
    mentors = 0
    for person in Person.objects.filter(active=True).order_by("pk"):
        offered = mentoring.offerable(person)
        if len(offered) >= 2 and rng.random() < 0.5:
            offer, _created = MentorOffer.objects.get_or_create(
                person=person, defaults={"capacity": rng.choice([1, 2, 2, 3]),
                                         "languages": ["fr"], "remote": rng.random() < 0.7},
            )  # fmt: skip
            offer.competences.set(offered)
            mentors += 1
    employee = _user("employee")
    asking = [p for p in Person.objects.filter(active=True).order_by("pk")
              if rng.random() < 0.2 or p == employee]  # fmt: skip
    mentees = 0
    for person in asking:
        goals = mentoring.goals_of(person)
        if goals and not hasattr(person, "mentor_offer"):
            ask, _created = MenteeRequest.objects.get_or_create(
                person=person, defaults={"languages": ["fr"], "remote": True}
            )
            ask.goals.set(goals[:4])
            mentees += 1
    found = mentoring.propose()
    pair = (Mentorship.objects.filter(mentee=employee).first() if employee else None) or (
        Mentorship.objects.filter(status=MentorshipStatus.PROPOSED).first()
    )
    if pair is not None:
        mentoring.approve(pair)
        pair.refresh_from_db()
        pair.mentor_accepted_at = pair.mentee_accepted_at = timezone.now()
        pair.status = MentorshipStatus.ACTIVE
        pair.save()
        MentoringMeeting.objects.create(
            mentorship=pair, held_on=timezone.localdate() - datetime.timedelta(days=6),
            minutes=45, topics="Objectifs du mentorat", logged_by=pair.mentor,
        )  # fmt: skip
    return f"{mentors} mentors, {mentees} mentees, {found.pairs} pairs proposed"


def build_engagement(seed: int = 7) -> str:
    rng = random.Random(seed)
    badges.load_suggested()
    host = _user("ambassador")
    if host is not None:
        _ambassador(host)
        _community(host, rng)
        _challenges(host, rng)
    proposal = ambassadors.propose()
    matched = _mentoring(rng)
    awarded = badges.award_due()
    return (f"{len(proposal.proposed)} ambassadors proposed, {matched}, "
            f"{awarded} badges awarded")  # fmt: skip
