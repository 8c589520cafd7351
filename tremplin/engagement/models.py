"""Engagement: for now, the prompt coach's settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoachSettings(models.Model):
    """One row, edited by the programme lead: the client names a prompt must not carry."""

    clients = models.TextField(
        _("client names"), blank=True,
        help_text=_("One per line. The prompt coach warns when a prompt names one of them."),
    )  # fmt: skip

    def __str__(self) -> str:
        return str(_("prompt coach settings"))

    @classmethod
    def current(cls) -> CoachSettings:
        return cls.objects.order_by("pk").first() or cls.objects.create()

    def client_names(self) -> list[str]:
        return [line.strip() for line in self.clients.splitlines() if line.strip()]


from tremplin.engagement.ambassador_models import (  # noqa: E402  (one models module for Django)
    ActivityKind,
    Ambassador,
    AmbassadorActivity,
    AmbassadorStatus,
)
from tremplin.engagement.badge_models import Award, Badge, Criterion, SigningKey  # noqa: E402
from tremplin.engagement.challenge_models import (  # noqa: E402
    Challenge,
    ChallengeKind,
    ChallengeTeam,
    Community,
    CommunityMeeting,
    Resource,
    ResourceKind,
    Review,
    Submission,
    SubmissionVote,
)
from tremplin.engagement.mentoring_models import (  # noqa: E402
    OPEN_STATUSES,
    MenteeRequest,
    MentoringFeedback,
    MentoringMeeting,
    MentorOffer,
    Mentorship,
    MentorshipStatus,
)

__all__ = [
    "OPEN_STATUSES", "ActivityKind", "Ambassador", "AmbassadorActivity", "AmbassadorStatus",
    "Award", "Badge", "Challenge", "ChallengeKind", "ChallengeTeam", "CoachSettings", "Community",
    "CommunityMeeting", "Criterion", "MenteeRequest", "MentorOffer", "MentoringFeedback",
    "MentoringMeeting", "Mentorship", "MentorshipStatus", "Resource", "ResourceKind", "Review",
    "SigningKey", "Submission", "SubmissionVote",
]  # fmt: skip
