import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from tremplin.assessments import quiz
from tremplin.assessments.models import (
    CurrentLevel,
    Item,
    ItemStatus,
    QuizSession,
    QuizSettings,
    Rating,
)


def take_quiz(person, right=True):
    session = quiz.start_or_resume(person=person, language="fr")
    while True:
        question = quiz.pending_question(session)
        if question is None:
            break
        item = question.item
        choice = item.correct if right else (item.correct + 1) % len(item.options_fr)
        quiz.answer(session_id=session.pk, person=person, item_id=item.pk, choice=choice)
    session.refresh_from_db()
    return session


def test_shipped_bank_has_150_bilingual_items_on_the_tier_1_and_2_competences(bank):
    items = list(Item.objects.all())
    assert len(items) >= 150
    codes = {c for i in items for c in i.competences}
    assert {"T1-FUNDAMENTALS", "T1-REGULATION", "T2-PROMPT", "T2-VERIFY", "T2-INTEGRATE"} <= codes
    assert all(len(i.options_fr) == len(i.options_en) >= 2 and i.explanation_en for i in items)
    assert {i.status for i in items} == {ItemStatus.CALIBRATED, ItemStatus.PILOT}


def test_a_quiz_ends_with_a_level_per_competence_and_quiz_ratings(bank, org):
    person = org.people["seller_a"]
    session = take_quiz(person, right=True)
    settings = QuizSettings.current()
    assert session.status == QuizSession.Status.FINISHED
    scored = session.answers.filter(scored=True).count()
    assert settings.min_items <= scored <= settings.max_items
    assert session.answers.filter(scored=False).count() == settings.pilot_items
    assert session.results and all(r["level"] >= 3 for r in session.results.values())
    precise = quiz.measured(session.results, settings)
    quiz_ratings = Rating.objects.filter(person=person, source="quiz")
    assert {r.competence.code for r in quiz_ratings} == set(precise)
    assert all(r.standard_error <= settings.competence_se for r in quiz_ratings)
    assert CurrentLevel.objects.filter(person=person, source="quiz").count() == len(precise)


def test_weak_answers_give_low_levels(bank, org):
    session = take_quiz(org.people["seller_b"], right=False)
    assert all(r["level"] <= 1 for r in session.results.values())


def test_quiz_resumes_where_it_stopped(bank, org):
    person = org.people["seller_a"]
    first = quiz.start_or_resume(person=person, language="fr")
    question = quiz.pending_question(first)
    again = quiz.start_or_resume(person=person, language="en")
    assert again.pk == first.pk
    assert quiz.pending_question(again).pk == question.pk


def test_a_double_submission_counts_once(bank, org):
    person = org.people["seller_a"]
    session = quiz.start_or_resume(person=person, language="fr")
    item = quiz.pending_question(session).item
    quiz.answer(session_id=session.pk, person=person, item_id=item.pk, choice=item.correct)
    quiz.answer(session_id=session.pk, person=person, item_id=item.pk, choice=item.correct)
    assert session.answers.filter(choice__isnull=False).count() == 1
    assert session.answers.count() == 2  # the answered one and the next question


def test_an_answer_to_an_item_not_asked_is_refused(bank, org):
    person = org.people["seller_a"]
    session = quiz.start_or_resume(person=person, language="fr")
    shown = quiz.pending_question(session).item
    other = Item.objects.exclude(pk=shown.pk).first()
    with pytest.raises(quiz.QuizRefused):
        quiz.answer(session_id=session.pk, person=person, item_id=other.pk, choice=0)
    assert not session.answers.filter(choice__isnull=False).exists()


def test_an_answer_to_another_persons_session_is_refused(bank, org):
    session = quiz.start_or_resume(person=org.people["seller_a"], language="fr")
    item = quiz.pending_question(session).item
    with pytest.raises(quiz.QuizRefused):
        quiz.answer(session_id=session.pk, person=org.people["seller_b"], item_id=item.pk, choice=0)


def test_an_answer_after_the_session_closed_is_refused(bank, org):
    person = org.people["seller_a"]
    session = quiz.start_or_resume(person=person, language="fr")
    item = quiz.pending_question(session).item
    quiz.abandon(session=session)
    with pytest.raises(quiz.QuizRefused):
        quiz.answer(session_id=session.pk, person=person, item_id=item.pk, choice=0)


def test_two_open_sessions_of_one_person_cannot_exist(bank, org):
    person = org.people["seller_a"]
    quiz.start_or_resume(person=person, language="fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizSession.objects.create(person=person, seed=1)


def test_retake_waits_for_the_configured_delay(bank, org):
    person = org.people["seller_a"]
    take_quiz(person)
    with translation.override("en"), pytest.raises(quiz.QuizRefused, match="again from"):
        quiz.start_or_resume(person=person, language="fr")
    settings = QuizSettings.current()
    settings.retake_days = 0
    settings.save()
    assert quiz.start_or_resume(person=person, language="fr").status == "open"
