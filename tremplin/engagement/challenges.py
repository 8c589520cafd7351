"""Challenges' rules: who may enter, vote and review, what a submission may carry, and the
results shown (per team, never an individual ranking)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.alphabetical import Alphabetical
from tremplin.compute.prompts import confidential
from tremplin.engagement.challenge_models import (
    Challenge,
    ChallengeKind,
    ChallengeTeam,
    Review,
    Submission,
    SubmissionVote,
)
from tremplin.engagement.models import CoachSettings
from tremplin.people.models import Person


class Refused(Exception):
    """A rule stops the action; the message says which, for the person."""


def leaked(*texts: str) -> list[str]:
    """The confidential items a text would publish (the prompt coach's detectors)."""
    clients = CoachSettings.current().client_names()
    return [f.value for text in texts for f in confidential(text, clients)]


def reviews(person: Person | None, challenge: Challenge, *, lead: bool) -> bool:
    """The jury and the programme lead review entries and choose winners."""
    if lead:
        return True
    return person is not None and challenge.jury.filter(pk=person.pk).exists()


def team_of(challenge: Challenge, person: Person) -> ChallengeTeam | None:
    return challenge.teams_in.filter(members=person).first()


@transaction.atomic
def join(challenge: Challenge, person: Person, name: str) -> ChallengeTeam:
    """Join the team called `name` (created if new); a person plays in one team."""
    if not challenge.is_open():
        raise Refused(_("This challenge is closed."))
    name = name.strip()[:100]
    if not name:
        raise Refused(_("Give your team a name."))
    for team in challenge.teams_in.filter(members=person):
        team.members.remove(person)
    team, _created = ChallengeTeam.objects.get_or_create(challenge=challenge, name=name)
    team.members.add(person)
    return team


def submit(challenge: Challenge, person: Person, fields: dict[str, str]) -> Submission:
    """An entry while the challenge is open; in a team challenge, once in a team. Nothing
    confidential may be published in it."""
    now = timezone.now()
    if not challenge.opens_at <= now < challenge.closes_at:
        raise Refused(_("This challenge is closed: entries are no longer accepted."))
    team = team_of(challenge, person)
    if challenge.teams and team is None:
        raise Refused(_("Join a team before submitting."))
    keys = ["output", "claim", "proof"] if challenge.kind == ChallengeKind.HUNT else ["prompt"]
    values = {key: fields.get(key, "").strip() for key in keys}
    missing = [key for key, value in values.items() if not value]
    if missing:
        raise Refused(_("Every field is needed."))
    found = leaked(*values.values())
    if found:
        raise Refused(
            _("Remove what is confidential before publishing: %(items)s")
            % {"items": ", ".join(found)}
        )
    return Submission.objects.create(challenge=challenge, author=person, team=team, **values)


def vote(submission: Submission, person: Person) -> None:
    """A promptathon's peer vote: once per entry, never for one's own or one's team's, until
    the results are published."""
    challenge = submission.challenge
    if challenge.kind != ChallengeKind.PROMPTATHON:
        raise Refused(_("Only promptathon entries are voted on."))
    if challenge.results_published_at is not None or timezone.now() < challenge.opens_at:
        raise Refused(_("Voting is closed."))
    team = submission.team
    if submission.author_id == person.pk or (
        team is not None and team.members.filter(pk=person.pk).exists()
    ):
        raise Refused(_("You cannot vote for your own entry or your team's."))
    try:
        with transaction.atomic():
            SubmissionVote.objects.create(submission=submission, person=person)
    except IntegrityError:
        raise Refused(_("You have already voted for this entry.")) from None
    Submission.objects.filter(pk=submission.pk).update(votes_count=F("votes_count") + 1)


def judge(
    submission: Submission, reviewer: Person, verdict: str, note: str = "", *, lead: bool
) -> None:
    if not reviews(reviewer, submission.challenge, lead=lead):
        raise Refused(_("Only the jury reviews entries."))
    if submission.author_id == reviewer.pk:
        raise Refused(_("Nobody reviews their own entry."))
    if verdict == "winner":
        submission.winner = not submission.winner
        submission.review = Review.VALIDATED if submission.winner else submission.review
    elif verdict in (Review.VALIDATED, Review.REJECTED):
        submission.review = verdict
    else:
        raise Refused(_("Unknown verdict."))
    submission.reviewed_by = reviewer
    submission.review_note = note[:500]
    submission.save(update_fields=["review", "winner", "reviewed_by", "review_note"])


@dataclass(frozen=True)
class TeamResult:
    name: str
    members: int
    entries: int
    validated: int
    votes: int
    winners: int


def team_results(challenge: Challenge) -> list[TeamResult]:
    """Per team: members, entries, validated, votes received and winners. Votes are summed
    apart: joined with the members, each entry's votes would count once per member."""
    votes = dict(
        challenge.submissions.filter(team__isnull=False)
        .values("team")
        .annotate(n=Sum("votes_count"))
        .values_list("team", "n")
    )
    rows = challenge.teams_in.annotate(
        n_members=Count("members", distinct=True),
        n_entries=Count("submissions", distinct=True),
        n_valid=Count("submissions", filter=Q(submissions__review=Review.VALIDATED), distinct=True),
        n_won=Count("submissions", filter=Q(submissions__winner=True), distinct=True),
    )
    return [
        TeamResult(t.name, t.n_members, t.n_entries, t.n_valid, votes.get(t.pk) or 0, t.n_won)
        for t in rows.order_by(Alphabetical("name"))
    ]


def totals(challenge: Challenge) -> dict[str, int]:
    return challenge.submissions.aggregate(
        entries=Count("pk"),
        people=Count("author", distinct=True),
        validated=Count("pk", filter=Q(review=Review.VALIDATED)),
        winners=Count("pk", filter=Q(winner=True)),
    )
