"""The names a person's data export shows for the tables and columns whose models do not name
them in both languages (Django then derives "drafts" or "updated at" from the code, in English
only). A model's own translated name wins; tests/accountability checks that every exported table
and column has one or the other, and that no name here outlives its need."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TABLES: dict[str, Promise] = {
    "assessments.Draft": _("assessment drafts"),
    "assessments.CampaignReminder": _("campaign reminders"),
    "voice.Invitation": _("survey invitations"),
    "voice.Response": _("survey responses"),
    "voice.Vote": _("votes on ideas"),
    "voice.IdeaComment": _("comments on ideas"),
    "voice.Measurement": _("measurements of ideas"),
    "engagement.Challenge": _("challenges"),
    "engagement.ChallengeTeam": _("challenge teams"),
    "engagement.Submission": _("challenge entries"),
    "engagement.SubmissionVote": _("votes on challenge entries"),
    "engagement.Resource": _("community resources"),
    "engagement.MentorOffer": _("mentor offers"),
    "engagement.MenteeRequest": _("mentee requests"),
    "engagement.Mentorship": _("mentorships"),
    "engagement.MentoringMeeting": _("mentoring meetings"),
    "engagement.MentoringFeedback": _("mentoring feedback"),
    "governance.StatusChange": _("status changes"),
    "governance.Acknowledgement": _("charter acknowledgements"),
    "governance.CouncilEvent": _("works-council events"),
    "risks.Participant": _("participants"),
    "risks.DuerpVersion": _("occupational risk assessment versions"),
}

# By field name: the same name means the same thing in every table that has it.
COLUMNS: dict[str, Promise] = {
    "id": _("identifier"),
    "uid": _("public identifier"),
    "about": _("about"),
    "answered": _("has answered"),
    "answered_at": _("date answered"),
    "approved_at": _("date approved"),
    "assessor": _("assessor"),
    "author": _("author"),
    "awarded_by": _("awarded by"),
    "badge": _("badge"),
    "breakdown": _("match details"),
    "by": _("by"),
    "campaign": _("campaign"),
    "challenge": _("challenge"),
    "charter": _("usage charter"),
    "community": _("community"),
    "created_at": _("created on"),
    "created_by": _("created by"),
    "credential": _("signed credential"),
    "declined_by": _("declined by"),
    "diagnostic": _("self-diagnostic"),
    "ended_at": _("date ended"),
    "focus": _("competences aimed at"),
    "given_at": _("date given"),
    "idea": _("idea"),
    "invited_at": _("date invited"),
    "item": _("plan module"),
    "key_id": _("signing key"),
    "language": _("language"),
    "levels": _("levels"),
    "logged_by": _("logged by"),
    "mentee_accepted_at": _("date the mentee accepted"),
    "mentor_accepted_at": _("date the mentor accepted"),
    "mentorship": _("mentorship"),
    "not_for_appraisal": _("not for performance appraisal"),
    "person": _("person"),
    "prefix": _("prefix"),
    "proposed_at": _("date proposed"),
    "rating": _("rating"),
    "reasons": _("reasons"),
    "reminded": _("reminded"),
    "results": _("results"),
    "reviewed_by": _("reviewed by"),
    "seed": _("random seed"),
    "sent_at": _("date sent"),
    "sent_by": _("sent by"),
    "session_id": _("training session (id)"),
    "source": _("source"),
    "statement": _("statement"),
    "submission": _("challenge entry"),
    "submitted_at": _("date submitted"),
    "survey": _("survey"),
    "system": _("AI system"),
    "team": _("team"),
    "updated_at": _("updated at"),
    "version": _("version"),
    "votes_count": _("votes"),
    "answers": _("answers"),
}


def table_name(model: type[models.Model]) -> str:
    """The table's plural name, in the current language."""
    if "verbose_name_plural" in model._meta.original_attrs:
        return str(model._meta.verbose_name_plural)
    return str(TABLES.get(model._meta.label, model._meta.verbose_name_plural))


def column_name(field: models.Field[Any, Any]) -> str:
    """The column's name, in the current language."""
    if isinstance(field.verbose_name, Promise):
        return str(field.verbose_name)
    return str(COLUMNS.get(field.name, field.verbose_name))
