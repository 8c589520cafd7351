"""Where Tremplin holds a person's data, and what an erasure does to each: the one list the
data export, the erasure and the "what we hold" page read. tests/accountability checks that
every model pointing at a person or an account is here, with each of its free-text fields
either cleared or knowingly kept.

The rule an erasure follows: the person stays as a pseudonym (their levels, plans and
attendance still count in the aggregates); what identifies them goes; free text they wrote
about themselves or their views (interview notes, evidence, comments, feedback, challenge
entries, idea statements) is removed; what others wrote about the company (a wave's override,
a council's notes, the risk assessment the law keeps for 40 years) stays, naming the
pseudonym."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Holding:
    model: str  # app_label.Model
    owner: str = ""  # the path to the person (or account) whose data the row is
    also: tuple[str, ...] = ()  # other paths naming a person or an account (exported only)
    clear: tuple[str, ...] = ()  # free text emptied on the owner's erasure
    delete: bool = False  # the owner's rows deleted on erasure
    keep: tuple[str, ...] = ()  # text or data fields knowingly kept (not free text by them)
    fields: tuple[str, ...] = ()  # the fields exported (all but binaries when empty)
    hide: tuple[str, ...] = ()  # fields never exported (copies, secrets)
    # A row someone else (the first `also` path) is still writing while this field is empty:
    # left out of the person's own download (they do not see it in the application either),
    # in the officers' export of their data.
    pending: str = ""


HOLDINGS: tuple[Holding, ...] = (
    Holding("people.RoleAssignment", owner="user", delete=True),
    Holding("people.Company", also=("targets_reviewed_by",),
            fields=("name", "targets_reviewed_at")),
    Holding("people.OrgUnit", also=("head",), fields=("code", "name")),
    Holding("people.PeopleImport", also=("uploaded_by",), keep=("content", "mapping", "report"),
            fields=("filename", "status", "created_at", "imported_at")),
    Holding("assessments.Campaign", also=("people", "created_by"),
            fields=("name", "opens_on", "closes_on")),
    Holding("assessments.Rating", owner="person", also=("assessor",),
            clear=("evidence_text", "evidence_url", "evidence_file_name", "evidence_file")),
    Holding("assessments.CurrentLevel", owner="person"),
    Holding("assessments.Draft", owner="person", also=("assessor",), delete=True,
            keep=("levels",), clear=("comment",), pending="submitted_at"),
    Holding("assessments.CareerInterview", owner="person", also=("manager",),
            clear=("learned", "wishes", "priorities")),
    Holding("assessments.CampaignReminder", owner="person", also=("sent_by",)),
    Holding("assessments.Reassessment", owner="person", keep=("modules",)),
    Holding("assessments.QuizSession", owner="person", keep=("results", "focus")),
    Holding("assessments.CalibrationRun", also=("requested_by",), keep=("report", "error"),
            fields=("model", "status", "requested_at")),
    Holding("learning.PlanSettings", also=("second_signatory",), fields=("objective",)),
    Holding("learning.Plan", owner="person", also=("manager_signed_by",),
            keep=("open_steps", "gaps")),
    Holding("learning.PlanItem", owner="plan__person",
            also=("completion_declared_by", "completion_confirmed_by")),
    Holding("learning.PlanEvent", owner="plan__person", also=("by",),
            keep=("details", "modules")),
    Holding("learning.PlanRun", also=("requested_by",), keep=("scope", "error"),
            fields=("state", "requested_at")),
    Holding("learning.TrainingSession", also=("trainer", "created_by"),
            fields=("module", "starts_at", "place")),
    Holding("learning.Enrolment", owner="person", also=("attendance_by",)),
    Holding("learning.Absence", owner="person", delete=True),
    Holding("learning.Completion", owner="person"),
    Holding("insights.UsageDay", owner="person"),
    Holding("rollout.Wave", also=("people", "opened_by"), keep=("gates", "override_reason"),
            fields=("name", "starts_on")),
    Holding("rollout.RoadmapStep", also=("owner",), keep=("evidence",),
            fields=("code", "title_fr", "title_en", "due_on", "status")),
    Holding("rollout.RoadmapApproval", also=("by",), keep=("note", "steps"), fields=("at",)),
    Holding("rollout.WaveEvent", also=("by",), keep=("details",), fields=("wave", "at", "kind")),
    Holding("rollout.Communication", also=("owner",), keep=("body_fr", "body_en"),
            fields=("title_fr", "title_en", "at")),
    Holding("notifications.Message", owner="person", delete=True, keep=("text", "error"),
            hide=("html", "ics")),
    Holding("notifications.Preference", owner="person", delete=True),
    Holding("notifications.CalendarFeed", owner="person", delete=True, hide=("token",)),
    Holding("voice.Survey", also=("created_by",), keep=("intro_fr", "intro_en"),
            fields=("title_fr", "title_en", "closes_at")),
    Holding("voice.Invitation", owner="person"),
    Holding("voice.Response", owner="person", delete=True, keep=("answers",)),
    Holding("voice.Idea", owner="author", also=("owner",), clear=("problem", "story"),
            keep=("declined_because",)),
    Holding("voice.Vote", owner="person"),
    Holding("voice.IdeaComment", owner="person", clear=("text",)),
    Holding("voice.Measurement", also=("by",)),
    Holding("engagement.Ambassador", owner="person", clear=("declined_because",),
            keep=("mission", "reasons")),
    Holding("engagement.Award", owner="person", also=("awarded_by",),
            clear=("credential", "evidence")),
    Holding("engagement.Challenge", also=("jury",), keep=("brief",), fields=("title",)),
    Holding("engagement.ChallengeTeam", also=("members",)),
    Holding("engagement.Submission", owner="author", also=("reviewed_by",),
            clear=("output", "claim", "proof", "prompt", "story")),
    Holding("engagement.SubmissionVote", owner="person"),
    Holding("engagement.Community", also=("hosts", "members"), keep=("topic",),
            fields=("name",)),
    Holding("engagement.Resource", owner="author", keep=("body",)),
    Holding("engagement.MentorOffer", owner="person", delete=True, keep=("languages",)),
    Holding("engagement.MenteeRequest", owner="person", delete=True, keep=("languages",)),
    Holding("engagement.Mentorship", owner="mentee", also=("mentor", "declined_by"),
            keep=("breakdown",)),
    Holding("engagement.MentoringMeeting", owner="mentorship__mentee",
            also=("mentorship__mentor", "logged_by"), clear=("topics",)),
    Holding("engagement.MentoringFeedback", owner="person", clear=("comment",)),
    Holding("governance.AISystem", also=("supervisors",), keep=("purpose", "data"),
            fields=("name", "vendor", "status")),
    Holding("governance.StatusChange", also=("by",), fields=("system", "status", "changed_at")),
    Holding("governance.Acknowledgement", owner="person"),
    Holding("governance.CouncilEvent", also=("by",), keep=("documents", "notes"),
            fields=("held_on", "subject")),
    Holding("risks.Diagnostic", also=("people", "created_by"), keep=("answers", "notes"),
            fields=("system", "unit", "held_on")),
    Holding("risks.Participant", owner="person"),
    Holding("risks.RiskLine", also=("owner",), keep=("existing_measures", "actions"),
            fields=("statement", "unit", "due_on", "status")),
    Holding("risks.DuerpVersion", also=("created_by",), keep=("rows",),
            fields=("number", "created_at", "note")),
    # When their pages were read and what they did; not who read them (CJEU, C-579/21).
    Holding("api.ApiToken", owner="user", also=("created_by",), delete=True, keep=("scopes",),
            hide=("digest",)),
    Holding("accountability.AuditEntry", also=("person", "user"),
            fields=("at", "action", "path", "status", "detail")),
    Holding("accountability.Erasure", owner="person", also=("by",), keep=("counts",),
            fields=("at", "pseudonym")),
)  # fmt: skip
