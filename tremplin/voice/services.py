"""Surveys' workflows: made from a template, sent to a population, answered, reminded, closed
and sealed; the satisfaction survey of a session sent to those present."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend, task

from tremplin.compute import surveys as rules
from tremplin.dates import written
from tremplin.learning.models import Attendance, Enrolment, TrainingSession
from tremplin.lengths import too_long
from tremplin.notifications import outbox
from tremplin.notifications.models import Message
from tremplin.people.models import Person
from tremplin.rollout.queries import wave_of_people
from tremplin.voice.models import Anonymity, Invitation, Question, Response, Survey

TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "surveys"
POST_SESSION = "post_session"
REMIND_BEFORE = datetime.timedelta(days=2)  # the automatic reminder, before closing
REMIND_AGAIN_AFTER = datetime.timedelta(hours=24)  # a person is reminded once a day at most


class SurveyError(Exception):
    """Refused, with a message the person can act on."""


class Refused(SurveyError):
    """Answers refused: the problems, by question key (codes of `compute.surveys`)."""

    def __init__(self, problems: list[rules.Problem]) -> None:
        super().__init__(gettext("Some answers need your attention."))
        self.problems = problems


# -- templates ---------------------------------------------------------------------------------


def templates() -> dict[str, dict[str, Any]]:
    """The shipped templates by code."""
    found = {}
    for path in sorted(TEMPLATES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[str(data["code"])] = data
    return found


TEMPLATE_MESSAGES = {
    "missing": _("is missing"),
    "duplicate": _("is used by an earlier question"),
    "unknown": _("is not a known kind of question"),
    "not_a_list": _("must be a list"),
    "too_few": _("a choice needs at least two options"),
    "keys": _("each option needs its own key"),
    "texts": _("each option needs a French and an English text"),
    "not_a_choice": _("only a choice has options"),
    "malformed": _("must name a question and the values that show this one"),
    "not_an_earlier_question": _("must name an earlier question"),
    "not_on_a_closed_question": _("can only depend on a scale or a choice"),
    "values": _("names values the earlier question cannot take"),
}


def template_errors(data: object) -> list[str]:
    """What is wrong with a survey template (shipped or imported), one sentence each."""
    if not isinstance(data, dict):
        return [gettext("The file must hold one survey template (a JSON object).")]
    errors = []
    for field in ("title_fr", "title_en"):
        if not str(data.get(field) or "").strip():
            errors.append(gettext("The template's %(field)s is missing.") % {"field": field})
    if data.get("anonymity") not in Anonymity.values:
        errors.append(
            gettext("Anonymity must be one of: %(values)s.")
            % {"values": ", ".join(Anonymity.values)}
        )
    long = gettext("%(where)s: “%(field)s” holds at most %(most)s characters.")
    for field, most in too_long(Survey, data, ("title_fr", "title_en", "intro_fr", "intro_en")):
        errors.append(long % {"where": gettext("Template"), "field": field, "most": most})
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        return [*errors, gettext("The template has no questions.")]
    for number, question in enumerate(questions, start=1):
        if isinstance(question, dict):
            where = gettext("Question %(number)s") % {"number": number}
            texts = ("key", "section_fr", "section_en", "text_fr", "text_en", "kpi")
            for field, most in too_long(Question, question, texts):
                errors.append(long % {"where": where, "field": field, "most": most})
    for number, field, code in rules.template_problems(
        [q if isinstance(q, dict) else {} for q in questions]
    ):
        errors.append(
            gettext("Question %(number)s, %(field)s: %(problem)s.")
            % {"number": number, "field": field, "problem": TEMPLATE_MESSAGES.get(code, code)}
        )
    if data.get("anonymity") != Anonymity.NAMED and any(
        q.get("kind") == rules.COLLEAGUES for q in questions if isinstance(q, dict)
    ):
        errors.append(gettext("Only a named survey may ask to name colleagues."))
    return errors


@transaction.atomic
def create_survey(
    data: object, *, by: User | None, session: TrainingSession | None = None
) -> Survey:
    """A draft survey from a template (checked first: nothing is written when it is broken)."""
    errors = template_errors(data)
    if errors or not isinstance(data, dict):
        raise SurveyError(" ".join(errors))
    survey = Survey.objects.create(
        title_fr=data["title_fr"],
        title_en=data["title_en"],
        intro_fr=data.get("intro_fr", ""),
        intro_en=data.get("intro_en", ""),
        template=str(data.get("code") or "")[:40],
        anonymity=data["anonymity"],
        created_by=by,
        session=session,
    )
    Question.objects.bulk_create(
        Question(
            survey=survey,
            order=order,
            key=q["key"],
            kind=q["kind"],
            section_fr=q.get("section_fr", ""),
            section_en=q.get("section_en", ""),
            text_fr=q["text_fr"],
            text_en=q["text_en"],
            required=bool(q.get("required")),
            options=q.get("options") or [],
            show_if=q.get("show_if") or {},
            kpi=q.get("kpi") or "",
        )
        for order, q in enumerate(data["questions"], start=1)
    )
    return survey


def _keyed(value: Any, order: tuple[str, ...]) -> Any:
    """A JSON object with the keys named first, in that order, the others after."""
    if not isinstance(value, dict):
        return value
    return {k: value[k] for k in order if k in value} | {
        k: v for k, v in sorted(value.items()) if k not in order
    }


def as_template(survey: Survey) -> dict[str, Any]:
    """A survey written back as a template (to export, edit and import again)."""
    return {
        "code": survey.template,
        "title_fr": survey.title_fr,
        "title_en": survey.title_en,
        "intro_fr": survey.intro_fr,
        "intro_en": survey.intro_en,
        "anonymity": survey.anonymity,
        "questions": [
            {
                "key": q.key,
                "section_fr": q.section_fr,
                "section_en": q.section_en,
                "text_fr": q.text_fr,
                "text_en": q.text_en,
                "kind": q.kind,
                "required": q.required,
                # Each in the order the template format gives (PostgreSQL reorders a JSON
                # object's keys): an exported file reads as the documented one.
                "options": [_keyed(o, ("key", "fr", "en")) for o in q.options],
                "show_if": _keyed(q.show_if, ("question", "in")),
                "kpi": q.kpi,
            }
            for q in survey.questions.all()
        ],
    }


# -- sending -----------------------------------------------------------------------------------


def population(survey: Survey) -> QuerySet[Person]:
    """Everyone the survey is for: in its units (and their sub-units), its job families, its
    waves, or present at its session; active people only."""
    chosen = Q(pk__in=[])
    for unit in survey.units.all():
        chosen |= Q(org_unit__path__startswith=unit.path)
    families = list(survey.families.all())
    if families:
        chosen |= Q(job_family__in=families)
    waves = {w.pk for w in survey.waves.all()}
    if waves:
        members = [pk for pk, wave in wave_of_people().items() if wave in waves]
        chosen |= Q(pk__in=members)
    if survey.session_id is not None:
        chosen |= Q(
            pk__in=Enrolment.objects.filter(
                session_id=survey.session_id, attendance=Attendance.PRESENT
            ).values("person_id")
        )
    return Person.objects.filter(chosen, active=True).distinct()


@transaction.atomic
def send(survey: Survey, *, opens_at: datetime.datetime, closes_at: datetime.datetime) -> int:
    """Open the survey to its population between the two dates: each person invited once (a
    survey sent again reaches only those not yet invited), told by e-mail when it opens and
    reminded two days before it closes unless they have answered by then. Returns how many
    were invited."""
    if closes_at <= opens_at:
        raise SurveyError(gettext("The survey must close after it opens."))
    if closes_at <= timezone.now():
        raise SurveyError(gettext("The closing date is already past."))
    if survey.sealed_at is not None:
        raise SurveyError(gettext("This survey is closed."))
    if not survey.questions.exists():
        raise SurveyError(gettext("The survey has no questions."))
    already = set(survey.invitations.values_list("person_id", flat=True))
    people = [p for p in population(survey) if p.pk not in already]
    if not people and not already:
        raise SurveyError(gettext("Nobody is in the population chosen."))
    Invitation.objects.bulk_create([Invitation(survey=survey, person=p) for p in people])
    survey.opens_at, survey.closes_at = opens_at, closes_at
    survey.sent_at = survey.sent_at or timezone.now()
    survey.invited = F("invited") + len(people)
    survey.save(update_fields=["opens_at", "closes_at", "sent_at", "invited"])
    survey.refresh_from_db(fields=["invited"])
    about = f"survey:{survey.pk}"
    opening = max(opens_at, timezone.now())
    outbox.notify(people, "survey_invitation", _details(survey), due_at=opening, about=about)
    if default_task_backend.supports_defer:  # sealed by the worker when it closes
        close_due_task.using(run_after=closes_at).enqueue()
    reminding = closes_at - REMIND_BEFORE
    if reminding > opening + REMIND_BEFORE:  # dropped for whoever has answered by then
        outbox.notify(people, "survey_reminder", _details(survey), due_at=reminding, about=about)
    return len(people)


def remind(survey: Survey) -> int:
    """Those who have not answered yet, reminded now (never those who have), but for those
    reminded less than `REMIND_AGAIN_AFTER` ago (a second click sends nothing twice)."""
    if not survey.is_open():
        raise SurveyError(gettext("Only an open survey can be reminded."))
    about = f"survey:{survey.pk}"
    now = timezone.now()
    recently = dict(
        Message.objects.filter(about=about, kind="survey_reminder", dropped="",
                               due_at__gt=now - REMIND_AGAIN_AFTER, due_at__lte=now)
        .values_list("person_id", "due_at")
    )  # fmt: skip
    waiting = list(
        Person.objects.filter(survey_invitations__survey=survey, survey_invitations__answered=False)
    )
    waiting_pks = {p.pk for p in waiting}
    recently = {pk: due for pk, due in recently.items() if pk in waiting_pks}
    written = outbox.notify(
        [p for p in waiting if p.pk not in recently], "survey_reminder", _details(survey),
        about=about,
    )  # fmt: skip
    if not written and recently:
        again = timezone.localtime(min(recently.values()) + REMIND_AGAIN_AFTER)
        raise SurveyError(
            gettext(
                "Those who have not answered were reminded less than %(hours)s hours ago: "
                "nobody is reminded again before %(date)s."
            )
            % {
                "hours": int(REMIND_AGAIN_AFTER.total_seconds() // 3600),
                "date": formats.date_format(again, "SHORT_DATETIME_FORMAT"),
            }
        )
    survey.invitations.filter(answered=False).update(reminded=True)
    return len(written)


def _details(survey: Survey) -> Any:
    def details() -> outbox.Details:
        closes = written(timezone.localtime(survey.closes_at), "DATETIME_FORMAT")
        return outbox.Details(
            subject={"survey": survey.title, "date": closes},
            link=reverse("voice:answer", args=[survey.pk]),
            button=gettext("Answer the survey"),
            context={
                "survey": survey,
                "closes": closes,
                "anonymity": survey.get_anonymity_display(),
            },
        )

    return details


def stale(survey_pk: str, person_id: int) -> str:
    """Why an e-mail about a survey no longer applies: closed, withdrawn, or answered."""
    survey = Survey.objects.filter(pk=survey_pk).first()
    if survey is None:
        return "survey withdrawn"
    if survey.is_closed() or survey.sealed_at is not None:
        return "survey closed"
    if survey.invitations.filter(person_id=person_id, answered=True).exists():
        return "already answered"
    return ""


# -- answering ---------------------------------------------------------------------------------


def may_answer(survey: Survey, person: Person | None) -> str:
    """Why `person` may not answer (empty when they may)."""
    if person is None:
        return gettext("Only a person of the company can answer.")
    return _refusal(survey, survey.invitations.filter(person=person).first())


def _refusal(survey: Survey, invitation: Invitation | None) -> str:
    if invitation is None:
        return gettext("This survey was not sent to you.")
    if survey.is_closed() or survey.sealed_at is not None:
        return gettext("This survey is closed.")
    if not survey.is_open():
        return gettext("This survey is not open yet.")
    if invitation.answered:
        return gettext("You have already answered this survey; an answer cannot be changed.")
    return ""


def _named(specs: list[rules.QuestionSpec], answers: dict[str, object]) -> set[int]:
    """The person ids the answers to colleague questions name (the others are refused by
    the check as unknown)."""
    found: set[int] = set()
    for spec in specs:
        given = answers.get(spec.key) if spec.kind == rules.COLLEAGUES else None
        for value in given if isinstance(given, list) else []:
            if str(value).strip().lstrip("-").isdigit():
                found.add(int(str(value)))
    return found


def answer(survey: Survey, person: Person | None, answers: dict[str, object]) -> Response:
    """Record `person`'s answers, once. An anonymous response carries neither the person nor
    the time; the invitation only notes that they answered."""
    if person is None:
        raise SurveyError(gettext("Only a person of the company can answer."))
    problems: list[rules.Problem] = []
    with transaction.atomic():
        invitation = (Invitation.objects.select_for_update()
                      .filter(survey=survey, person=person).first())  # fmt: skip
        why = _refusal(survey, invitation)
        if why:
            raise SurveyError(why)
        assert invitation is not None
        specs = survey.specs()
        named = _named(specs, answers)  # only the colleagues named are looked up
        people = set(Person.objects.filter(active=True, pk__in=named).values_list("pk", flat=True))
        kept, problems = rules.check(specs, answers, me=person.pk, people=people)
        if not problems:
            holder = None if survey.anonymity == Anonymity.ANONYMOUS else person
            response = Response.objects.create(survey=survey, person=holder, answers=kept)
            invitation.answered = True
            invitation.save(update_fields=["answered"])
            Survey.objects.filter(pk=survey.pk).update(answered=F("answered") + 1)
            return response
    raise Refused(problems)


# -- closing -----------------------------------------------------------------------------------


@transaction.atomic
def seal(survey: Survey) -> None:
    """A closed survey's participation forgotten: an anonymous survey's responses rewritten in
    random order with new ids (nothing of the order they came in is left, in their ids or where
    they are stored), and who answered erased from the invitations (the counts stay)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.sealed_at is not None:
        return
    if survey.anonymity == Anonymity.ANONYMOUS:
        answers = list(survey.responses.values_list("answers", flat=True))
        random.SystemRandom().shuffle(answers)
        survey.responses.all().delete()
        Response.objects.bulk_create(
            [Response(survey=survey, answers=a) for a in answers], batch_size=2000
        )
        invited = list(survey.invitations.values_list("person_id", flat=True))
        random.SystemRandom().shuffle(invited)
        survey.invitations.all().delete()
        Invitation.objects.bulk_create(
            [Invitation(survey=survey, person_id=pk) for pk in invited], batch_size=2000
        )
    survey.sealed_at = timezone.now()
    survey.save(update_fields=["sealed_at"])
    # its invitations and reminders still waiting are not shown as to be sent
    outbox.drop_stale(Message.objects.filter(about=f"survey:{survey.pk}", sent_at=None, dropped=""))


def close_now(survey: Survey) -> None:
    """The lead closes an open survey before its date."""
    if survey.sent_at is None or survey.sealed_at is not None:
        raise SurveyError(gettext("Only a survey sent and still open can be closed."))
    survey.closes_at = min(survey.closes_at or timezone.now(), timezone.now())
    survey.save(update_fields=["closes_at"])
    seal(survey)


def close_due(now: datetime.datetime | None = None) -> int:
    """Seal every survey past its closing date, and delete the named responses kept past
    their retention. Returns how many surveys were sealed. Run by the worker at each survey's
    closing, and by the survey pages (for an installation without a worker)."""
    now = now or timezone.now()
    due = Survey.objects.filter(sealed_at=None, closes_at__lte=now)
    for survey in due:
        seal(survey)
    for survey in Survey.objects.filter(anonymity=Anonymity.NAMED, sealed_at__isnull=False):
        if (
            survey.closes_at
            and survey.closes_at + datetime.timedelta(days=survey.retention_days) <= now
        ):
            from tremplin.voice.network import scores  # kept: the answers go

            if survey.responses.exists():
                scores(survey)
                survey.responses.all().delete()
    return len(due)


@task()
def close_due_task() -> int:
    return close_due()


def after_attendance(session: TrainingSession) -> Survey | None:
    """The satisfaction survey of a session, sent to those present once attendance is taken
    (once per session; those marked present later are added to it)."""
    present = Enrolment.objects.filter(session=session, attendance=Attendance.PRESENT)
    if not present.exists():
        return None
    survey = Survey.objects.filter(session=session, template=POST_SESSION).first()
    data = templates()[POST_SESSION]
    if survey is None:
        survey = create_survey(data, by=None, session=session)
    if survey.sealed_at is not None or survey.is_closed():
        return survey
    opens = timezone.now()
    closes = survey.closes_at or opens + datetime.timedelta(days=int(data["closes_after_days"]))
    send(survey, opens_at=survey.opens_at or opens, closes_at=closes)
    return survey
