"""What an e-mail is and why it was not sent, in words: the codes the outbox keeps, as the
outbox page and a person's data (page, PDF) show them."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "session_invitation": _("invitation to a training session"),
    "session_enrolled": _("enrolment in a training session"),
    "session_waiting": _("waiting list of a training session"),
    "session_seat": _("seat freed in a training session"),
    "session_cancelled": _("training session cancelled"),
    "session_reminder": _("reminder of a training session"),
    "communication": _("programme communication"),
    "campaign_invitation": _("invitation to an assessment campaign"),
    "campaign_rate": _("team to rate in an assessment campaign"),
    "campaign_reminder": _("reminder of an assessment campaign"),
    "campaign_rate_reminder": _("reminder of the ratings due in a campaign"),
    "plan_to_sign": _("development plan to sign"),
    "interview_to_agree": _("career interview to agree"),
    "wave_opened": _("wave opened"),
    "survey_invitation": _("invitation to a survey"),
    "survey_reminder": _("reminder of a survey"),
    "charter_to_acknowledge": _("AI usage charter to acknowledge"),
    "charter_reminder": _("reminder of the AI usage charter"),
}

# Why a message was not sent (empty: it was, or will be).
REASONS = {
    "invalid address": _("the address is not valid"),
    "session cancelled": _("the session was cancelled"),
    "no longer enrolled": _("the seat was given up"),
    "withdrawn": _("the communication was withdrawn"),
    "cancelled": _("the communication was cancelled"),
    "charter acknowledged": _("the charter was acknowledged meanwhile"),
    "survey withdrawn": _("the survey was withdrawn"),
    "survey closed": _("the survey closed"),
    "already answered": _("the survey was answered meanwhile"),
    "campaign withdrawn": _("the campaign was withdrawn"),
    "campaign closed": _("the campaign closed"),
    "plan signed": _("the plan was signed meanwhile"),
    "record agreed": _("the record was agreed meanwhile"),
}
