"""Challenges (a hallucination hunt, a promptathon) and communities of practice."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.alphabetical import Alphabetical
from tremplin.people.models import Person


class ChallengeKind(models.TextChoices):
    HUNT = "hunt", _("hallucination hunt")
    PROMPTATHON = "promptathon", _("promptathon")


class Challenge(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=ChallengeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    brief = models.TextField(
        _("brief"),
        max_length=4000,
        help_text=_("For a promptathon, the task the prompts must accomplish."),
    )
    opens_at = models.DateTimeField(_("opens on"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes on"))
    teams = models.BooleanField(_("played in teams"), default=False)
    jury = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("jury"))
    results_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-closes_at", "-pk"]
        verbose_name = _("challenge")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="challenge_closes_after_opening",
                violation_error_message=_("A challenge closes after it opens."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return bool(self.opens_at <= moment < self.closes_at)  # type: ignore[operator]


class ChallengeTeam(models.Model):
    challenge = models.ForeignKey(Challenge, models.CASCADE, related_name="teams_in")
    name = models.CharField(_("team name"), max_length=100)
    members = models.ManyToManyField(Person, related_name="challenge_teams")

    class Meta:
        ordering = [Alphabetical("name")]
        constraints = [models.UniqueConstraint(fields=["challenge", "name"], name="team_name_once")]

    def __str__(self) -> str:
        return self.name


class Review(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    VALIDATED = "validated", _("validated")
    REJECTED = "rejected", _("not retained")


class Submission(models.Model):
    challenge = models.ForeignKey(Challenge, models.CASCADE, related_name="submissions")
    author = models.ForeignKey(Person, models.CASCADE, related_name="challenge_submissions")
    team = models.ForeignKey(
        ChallengeTeam, models.SET_NULL, null=True, blank=True, related_name="submissions"
    )
    # A hallucination hunt: the AI's output, the false claim in it and the proof.
    output = models.TextField(_("the AI's answer"), max_length=8000, blank=True)
    claim = models.TextField(_("the false claim"), max_length=2000, blank=True)
    proof = models.TextField(_("the proof"), max_length=4000, blank=True)
    # A promptathon: the prompt.
    prompt = models.TextField(_("your prompt"), max_length=8000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(Person, models.SET_NULL, null=True, related_name="+")
    review_note = models.CharField(_("reviewer's note"), max_length=500, blank=True)
    votes_count = models.PositiveIntegerField(default=0)
    winner = models.BooleanField(_("chosen by the jury"), default=False)
    story = models.TextField(_("success story"), max_length=4000, blank=True)
    story_consent = models.BooleanField(_("the author agrees to its publication"), default=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.challenge_id} {self.author_id}"


class SubmissionVote(models.Model):
    submission = models.ForeignKey(Submission, models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "person"], name="one_vote_per_submission")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.person_id}"


class Community(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    topic = models.TextField(_("topic"), max_length=2000)
    hosts = models.ManyToManyField(
        Person, related_name="communities_hosted", verbose_name=_("hosts")
    )
    members = models.ManyToManyField(
        Person, blank=True, related_name="communities", verbose_name=_("members")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Alphabetical("name")]
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")

    def __str__(self) -> str:
        return self.name


class CommunityMeeting(models.Model):
    community = models.ForeignKey(Community, models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), max_length=2000, blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.community_id} {self.starts_at}"


class ResourceKind(models.TextChoices):
    PROMPT = "prompt", _("prompt")
    LINK = "link", _("link")
    NOTE = "note", _("note")


class Resource(models.Model):
    community = models.ForeignKey(Community, models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=8, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), max_length=8000, blank=True)
    url = models.URLField(_("link"), blank=True)
    author = models.ForeignKey(Person, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
