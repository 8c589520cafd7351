"""The audit log written as requests are answered: every change (a POST by a signed-in
person, whatever its answer), every read of a page about one person by someone else, every
download, every API call (as the token's account). One INSERT after the answer is built;
`TREMPLIN_AUDIT_LOG=off` turns it off (for the benchmark that measures its cost)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse

from tremplin.accountability.details import coded
from tremplin.accountability.models import Action, AuditEntry
from tremplin.lengths import fit
from tremplin.people.models import person_of

# The pages about one person: URL name → (the URL's argument, and the model whose row it
# names with the field holding the person; None when the argument is the person's id).
# tests/accountability/test_audit.py checks that every URL with an argument is classified,
# here or in NOT_PERSONAL.
PERSONAL_PAGES: dict[str, tuple[str, tuple[str, str] | None]] = {
    "people:detail": ("pk", None),
    "people:account": ("pk", None),
    "assessments:assess": ("person_id", None),
    "assessments:person": ("person_id", None),
    "assessments:evidence_file": ("rating_id", ("assessments.Rating", "person_id")),
    "assessments:interview_new": ("person_id", None),
    "assessments:interview": ("pk", ("assessments.CareerInterview", "person_id")),
    "assessments:quiz": ("pk", ("assessments.QuizSession", "person_id")),
    "assessments:quiz_result": ("pk", ("assessments.QuizSession", "person_id")),
    "assessments:reassess": ("pk", ("assessments.Reassessment", "person_id")),
    "learning:person": ("person_id", None),
    "learning:generate": ("person_id", None),
    "learning:plan": ("pk", ("learning.Plan", "person_id")),
    "learning:plan_action": ("pk", ("learning.Plan", "person_id")),
    "learning:session_certificate": ("person_id", None),
    "engagement:ambassador": ("pk", ("engagement.Ambassador", "person_id")),
    "engagement:ambassador_action": ("pk", ("engagement.Ambassador", "person_id")),
    "engagement:pair": ("pk", ("engagement.Mentorship", "mentee_id")),
    "engagement:pair_action": ("pk", ("engagement.Mentorship", "mentee_id")),
    "accountability:person": ("pk", None),
    "accountability:person_export": ("pk", None),
}
# URLs with an argument that name no single person (a campaign, a session, a survey …).
NOT_PERSONAL = {
    "welcome", "people:export", "people:import_preview", "skills:framework", "skills:export",
    "skills:competence", "skills:targets_edit", "assessments:campaign",
    "assessments:campaign_edit", "assessments:campaign_close", "assessments:campaign_remind",
    "assessments:bank_export", "assessments:item_edit", "assessments:calibration_run",
    "learning:catalogue_export", "learning:run", "learning:session", "learning:session_action",
    "learning:session_sheet", "rollout:wave_edit", "rollout:wave_delete", "rollout:readiness",
    "rollout:step_edit", "rollout:communication_edit", "rollout:communication_action",
    "voice:survey", "voice:survey_action", "voice:question_new", "voice:question_edit",
    "voice:answer", "voice:results", "voice:network", "voice:idea", "voice:idea_action",
    "engagement:community", "engagement:community_action", "engagement:challenge",
    "engagement:challenge_action", "engagement:issuer_key", "engagement:credential",
    "engagement:badge", "governance:system", "governance:council_event", "governance:impact",
    "risks:diagnostic", "risks:line", "risks:version_export", "calendar_feed",
    "accountability:audit_export", "accountability:mine",
}  # fmt: skip


# Signing in and out are logged by their signals (tremplin.accountability.signals), and the
# language switch changes nobody's data.
SIGNING = {"login", "logout", "set_language", "admin:login", "admin:logout"}
# Answering a survey leaves no line either: an anonymous survey promises that nothing keeps who
# answered it when (a line naming its author at the second of each answer would).
SURVEY_ANSWERS = {"voice:answer"}


def actor_name(user: AbstractBaseUser | AnonymousUser) -> str:
    person = person_of(user)
    name = person.full_name if person is not None else user.get_username()
    return fit(AuditEntry, "actor", name)  # two long names: 301 characters


def record(
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    *,
    person_id: int | None = None,
    detail: str = "",
    path: str = "",
) -> AuditEntry:
    """Write one line of the log from a service (an erasure, a retention run)."""
    known = user is not None and user.is_authenticated
    return AuditEntry.objects.create(
        user_id=user.pk if known and user is not None else None,
        actor=actor_name(user) if known and user is not None else "",
        action=action, person_id=person_id, detail=detail[:300], path=path[:500],
    )  # fmt: skip


def _subject(url_name: str, kwargs: dict[str, Any]) -> int | None:
    """The id of the person a page is about, or None."""
    found = PERSONAL_PAGES.get(url_name)
    if found is None:
        return None
    argument, through = found
    value = kwargs.get(argument)
    if not isinstance(value, int):
        return None
    if through is None:
        return value
    model = apps.get_model(through[0])
    return model.objects.filter(pk=value).values_list(through[1], flat=True).first()


def _download_name(response: HttpResponse) -> str:
    disposition = response.get("Content-Disposition", "")
    if not disposition.startswith("attachment"):
        return ""
    return disposition.split("filename", 1)[-1].lstrip("*=\"'utf-8").rstrip('"')[:300] or "-"


class AuditLog:
    """Middleware (after authentication): the request's line of the log, when it has one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.on = getattr(settings, "TREMPLIN_AUDIT_LOG", True)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.on:
            self.write(request, response)
        return response

    def write(self, request: HttpRequest, response: HttpResponse) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        match = request.resolver_match
        url_name = match.view_name if match is not None else ""
        if url_name in SIGNING or url_name in SURVEY_ANSWERS:
            return
        if url_name.startswith("admin:") and request.method != "POST":
            return
        download = _download_name(response)
        token = getattr(request, "auth", None)
        if request.method == "POST":
            action = Action.WRITE
        elif url_name.startswith("api:"):
            action = Action.API  # every read through the API, as its token's account
        elif download:
            action = Action.EXPORT
        elif url_name in PERSONAL_PAGES and response.status_code == 200:
            action = Action.READ
        else:
            return
        subject = _subject(url_name, match.kwargs) if match is not None else None
        mine = person_of(user)
        if action == Action.READ and mine is not None and subject == mine.pk:
            return  # reading one's own page is not logged
        AuditEntry.objects.create(
            user_id=user.pk, actor=actor_name(user), action=action,
            method=request.method or "", path=request.get_full_path()[:500],
            view=url_name[:100], status=response.status_code, person_id=subject,
            detail=download or (coded("token", token.prefix) if token is not None else ""),
        )  # fmt: skip
