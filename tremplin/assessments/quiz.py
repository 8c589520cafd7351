"""Running the adaptive quiz: start or resume, answer, finish with a level per competence.

The numbers come from compute.cat; this module loads the bank, enforces the rules of a fair
session (one open session per person, answers only to the question asked, once) and records the
results as quiz ratings.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tremplin.assessments.models import (
    Campaign,
    Item,
    ItemStatus,
    QuizAnswer,
    QuizSession,
    QuizSettings,
    Source,
)
from tremplin.assessments.queries import competences_to_assess
from tremplin.assessments.services import AssessmentError, record_ratings
from tremplin.compute import cat
from tremplin.compute.irt import ItemParameters, level_for
from tremplin.people.models import Person
from tremplin.skills.models import Competence
from tremplin.skills.queries import active_framework


class QuizRefused(AssessmentError):
    """An answer or a start that the rules of the quiz do not allow."""


@dataclass(frozen=True)
class LoadedBank:
    items: list[Item]
    bank: cat.Bank
    domains: list[str]  # competence code of each domain index
    position: dict[int, int]  # item id -> index in the bank


def settings_for(quiz: QuizSettings) -> cat.CatSettings:
    return cat.CatSettings(
        max_items=quiz.max_items,
        min_items=min(quiz.min_items, quiz.max_items),
        se_target=quiz.se_target,
        max_exposure=quiz.max_exposure,
        pilot_items=quiz.pilot_items,
        competence_se=quiz.competence_se,
    )


def bank_competences() -> list[str]:
    """Codes of the competences the items in use measure."""
    items = Item.objects.filter(status=ItemStatus.CALIBRATED)
    return sorted({codes[0] for codes in items.values_list("competences", flat=True) if codes})


def default_focus(person: Person, bank: list[str] | None = None) -> list[str]:
    """The competences the person's job targets that the bank covers (`bank_competences`,
    read here unless given), highest target first; every competence of the bank when none is
    targeted."""
    covered = set(bank_competences() if bank is None else bank)
    wanted = sorted(
        (
            t
            for t in competences_to_assess(person, descriptors=False)
            if t.competence.code in covered
        ),
        key=lambda t: (-t.target, t.competence.order, t.competence.code),
    )
    return [t.competence.code for t in wanted] or sorted(covered)


def _focus_of(session: QuizSession, loaded: LoadedBank) -> list[int]:
    index = {code: n for n, code in enumerate(loaded.domains)}
    return [index[code] for code in session.focus if code in index]


# What choosing and scoring questions reads of an item (not its texts: a third of the time).
ITEM_PARAMETERS = ("pk", "competences", "status", "a", "b", "c", "correct", "times_shown")


def load_bank(
    extra_ids: list[int] | None = None, sessions: int = 1, *, texts: bool = False
) -> LoadedBank:
    """The items in use (calibrated and pilot), plus `extra_ids` (items already shown); each
    item's exposure is its times shown over `sessions` (the quizzes started). The items' texts
    (questions, options, explanations) are read only if `texts`."""
    chosen = Item.objects.filter(status__in=[ItemStatus.CALIBRATED, ItemStatus.PILOT]) | (
        Item.objects.filter(pk__in=extra_ids or [])
    )
    items = list(chosen if texts else chosen.only(*ITEM_PARAMETERS))
    items.sort(key=lambda i: i.pk)
    domains = sorted({i.main_competence for i in items})
    index = {code: n for n, code in enumerate(domains)}
    sessions = max(sessions, 1)
    bank = cat.Bank.of(
        ItemParameters.of([i.a for i in items], [i.b for i in items], [i.c for i in items]),
        [index[i.main_competence] for i in items],
        [i.status != ItemStatus.CALIBRATED for i in items],
        [i.times_shown / sessions for i in items],
    )
    return LoadedBank(items, bank, domains, {i.pk: n for n, i in enumerate(items)})


def last_finished_quiz(person: Person) -> QuizSession | None:
    return (
        QuizSession.objects.filter(person=person, status=QuizSession.Status.FINISHED)
        .order_by("-finished_at")
        .first()
    )


def next_retake(person: Person, quiz: QuizSettings) -> datetime.datetime | None:
    """When the person may take the quiz again, or None if they may now."""
    return retake_after(last_finished_quiz(person), quiz)


def retake_after(last: QuizSession | None, quiz: QuizSettings) -> datetime.datetime | None:
    """When a person whose last finished quiz is `last` may take it again, or None: now."""
    if last is None or last.finished_at is None:
        return None
    allowed = last.finished_at + datetime.timedelta(days=quiz.retake_days)
    return allowed if allowed > timezone.now() else None


def start_or_resume(
    *,
    person: Person,
    language: str,
    campaign: Campaign | None = None,
    focus: list[str] | None = None,
) -> QuizSession:
    """Resume the open session, or start one measuring `focus` (competence codes; by default
    `default_focus`). Codes the bank does not cover are left out; none left is refused."""
    open_session = QuizSession.objects.filter(person=person, status=QuizSession.Status.OPEN).first()
    if open_session is not None:
        return open_session
    bank = bank_competences()
    if focus is None:
        focus = default_focus(person, bank)
    covered = set(bank)
    focus = [code for code in dict.fromkeys(focus) if code in covered]
    if not focus:
        raise QuizRefused(_("Choose at least one competence the quiz covers."))
    quiz = QuizSettings.current()
    allowed = next_retake(person, quiz)
    if allowed is not None:
        raise QuizRefused(
            _("You can take the quiz again from %(date)s.")
            % {"date": date_format(timezone.localtime(allowed), "SHORT_DATETIME_FORMAT")}
        )
    if not Item.objects.filter(status=ItemStatus.CALIBRATED).exists():
        raise QuizRefused(_("The item bank has no scored questions yet."))
    try:
        with transaction.atomic():
            session = QuizSession.objects.create(
                person=person,
                campaign=campaign,
                language=language,
                seed=secrets.randbelow(2**31),
                focus=focus,
            )
            _ask_next(session, quiz, started=1)
            # Last, so that the row is locked only for the commit.
            QuizSettings.objects.filter(pk=quiz.pk).update(
                sessions_started=F("sessions_started") + 1
            )
    except IntegrityError:  # a second tab started one at the same moment: use it
        return QuizSession.objects.get(person=person, status=QuizSession.Status.OPEN)
    return session


def pending_question(session: QuizSession) -> QuizAnswer | None:
    return (
        session.answers.filter(choice__isnull=True).select_related("item").order_by("position")
    ).first()


def _answers(session: QuizSession, loaded: LoadedBank) -> cat.Answers:
    answers = cat.Answers()
    for item_id, correct in session.answers.filter(choice__isnull=False).values_list(
        "item_id", "correct"
    ):
        answers.asked.append(loaded.position[item_id])
        answers.correct.append(bool(correct))
    return answers


def _shown_ids(session: QuizSession) -> list[int]:
    return list(session.answers.values_list("item_id", flat=True))


def _ask_next(session: QuizSession, quiz: QuizSettings, started: int = 0) -> QuizAnswer | None:
    """Show the next question, or finish the session; returns the question shown. `started`:
    the quizzes started and not yet counted in `quiz` (the one being started)."""
    loaded = load_bank(_shown_ids(session), quiz.sessions_started + started)
    settings = settings_for(quiz)
    answers = _answers(session, loaded)
    current = cat.estimate(loaded.bank, answers)
    focus = _focus_of(session, loaded)
    if cat.is_finished(loaded.bank, settings, answers, current, focus):
        _finish(session, loaded, answers, current, quiz)
        return None
    position = len(answers.asked)
    rng = np.random.default_rng([session.seed, position])
    pilots_at = cat.pilot_positions(settings, session.seed)
    index = cat.next_item(loaded.bank, settings, answers, current, rng, pilots_at, focus)
    if index is None:
        _finish(session, loaded, answers, current, quiz)
        return None
    item = loaded.items[index]
    Item.objects.filter(pk=item.pk).update(times_shown=F("times_shown") + 1)
    return QuizAnswer.objects.create(
        session=session,
        item=item,
        position=position,
        scored=item.status == ItemStatus.CALIBRATED,
    )


def answer(*, session_id: int, person: Person, item_id: int, choice: int) -> QuizSession:
    """Record the answer to the question shown, then show the next one or finish.

    Refused: another person's session, a closed session, an item that is not the question
    shown. A second submission of an answer already recorded counts once (it changes nothing).
    """
    quiz = QuizSettings.current()
    with transaction.atomic():
        session = QuizSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None or session.person_id != person.pk:
            raise QuizRefused(_("This quiz session is not yours."))
        already = session.answers.filter(item_id=item_id, choice__isnull=False).exists()
        if already:
            return session
        if session.status != QuizSession.Status.OPEN:
            raise QuizRefused(_("This quiz session is closed."))
        pending = pending_question(session)
        if pending is None or pending.item_id != item_id:
            raise QuizRefused(_("This question was not asked in your quiz."))
        if not 0 <= choice < len(pending.item.options_fr):
            raise QuizRefused(_("Choose one of the options."))
        pending.choice = choice
        pending.correct = choice == pending.item.correct
        pending.answered_at = timezone.now()
        pending.save(update_fields=["choice", "correct", "answered_at"])
        _ask_next(session, quiz)
    return session


# {competence code: {"theta", "se", "level", "questions"}}
QuizResults = dict[str, dict[str, float | int]]


def results_of(
    loaded: LoadedBank, quiz: QuizSettings, answers: cat.Answers, focus: list[int]
) -> QuizResults:
    """The ability, its standard error, the level it falls in and the number of questions
    asked, for each focus competence and each competence an answer touched."""
    by_domain = cat.profile(loaded.bank, settings_for(quiz), answers, focus)
    asked, _ = answers.scored(loaded.bank)
    counts = np.bincount(loaded.bank.domain[asked], minlength=len(loaded.domains))
    return {
        loaded.domains[d]: {
            "theta": round(e.theta, 3),
            "se": round(e.se, 3),
            "level": level_for(e.theta, quiz.cuts),
            "questions": int(counts[d]),
        }
        for d, e in by_domain.items()
    }


def measured(results: QuizResults, quiz: QuizSettings) -> QuizResults:
    """The competences measured precisely enough to record a level."""
    return {code: r for code, r in results.items() if float(r["se"]) <= quiz.competence_se}


def quiz_levels(
    results: QuizResults, quiz: QuizSettings
) -> tuple[dict[Competence, int], dict[Competence, float]]:
    """The levels (and standard errors) of the competences of the active framework that the
    answers measured precisely; the others get no level, only "not enough evidence yet"."""
    framework = active_framework()
    if framework is None:
        return {}, {}
    precise = measured(results, quiz)
    competences = {c.code: c for c in framework.competences.filter(code__in=list(precise))}
    kept = {competences[code]: r for code, r in precise.items() if code in competences}
    return (
        {c: int(r["level"]) for c, r in kept.items()},
        {c: float(r["se"]) for c, r in kept.items()},
    )


def _finish(
    session: QuizSession,
    loaded: LoadedBank,
    answers: cat.Answers,
    overall: cat.Estimate,
    quiz: QuizSettings,
) -> None:
    results = results_of(loaded, quiz, answers, _focus_of(session, loaded))
    session.status = QuizSession.Status.FINISHED
    session.finished_at = timezone.now()
    session.theta = overall.theta
    session.se = overall.se
    session.results = results
    session.save()
    levels, errors = quiz_levels(results, quiz)
    record_ratings(
        person=session.person,
        levels=levels,
        source=Source.QUIZ,
        assessor=None,
        campaign=session.campaign,
        quiz_session_id=session.pk,
        standard_errors=errors,
    )


def abandon(*, session: QuizSession) -> None:
    """Close an open session without a result (the lead may reset a stuck session)."""
    QuizSession.objects.filter(pk=session.pk, status=QuizSession.Status.OPEN).update(
        status=QuizSession.Status.ABANDONED, finished_at=timezone.now()
    )
