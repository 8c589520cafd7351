"""The exposure cap reads the quizzes started from one counter (the settings row), not by
counting every session at each answer, and the settings form never rewinds that counter."""

import pytest
from django.urls import reverse

from tremplin.assessments import quiz
from tremplin.assessments.models import Item, ItemStatus, QuizSession, QuizSettings

pytestmark = pytest.mark.django_db


def test_starting_a_quiz_counts_it_once(bank, org):
    before = QuizSettings.current().sessions_started
    session = quiz.start_or_resume(person=org.people["seller_a"], language="fr")
    again = quiz.start_or_resume(person=org.people["seller_a"], language="fr")  # resumed
    assert again.pk == session.pk
    assert QuizSettings.current().sessions_started == before + 1


def test_items_shown_in_too_many_quizzes_are_set_aside(bank, org):
    """1,000 quizzes started: three items in four were shown in 900 of them (over the 40 %
    cap), the others in 300. Every first question is one of the others; counting the sessions
    stored (a handful) would put every item over the cap and the choice back to chance (about
    one in four each time)."""
    settings = QuizSettings.current()
    QuizSettings.objects.filter(pk=settings.pk).update(sessions_started=1000, max_exposure=0.4)
    items = Item.objects.filter(status=ItemStatus.CALIBRATED)
    rare = {i.pk for i in items if i.pk % 4 == 0}
    items.exclude(pk__in=rare).update(times_shown=900)
    items.filter(pk__in=rare).update(times_shown=300)
    firsts = []
    for key in ("seller_a", "seller_b", "team_lead", "ceo", "accountant", "controller"):
        session = quiz.start_or_resume(person=org.people[key], language="fr")
        first = session.answers.order_by("position").first()
        firsts.append(first.item_id if first.scored else None)
    scored = [pk for pk in firsts if pk is not None]
    assert len(scored) >= 4 and all(pk in rare for pk in scored), (scored, len(rare))
    assert QuizSession.objects.count() == 6


def test_saving_the_settings_keeps_the_count_of_quizzes(bank, org, client):
    settings = QuizSettings.current()
    QuizSettings.objects.filter(pk=settings.pk).update(sessions_started=41)
    client.force_login(org.users["lead"])
    response = client.post(reverse("assessments:quiz_settings"), {
        "max_items": 20, "min_items": 8, "competence_se": 0.45, "se_target": 0.4,
        "pilot_items": 2, "max_exposure": 0.3, "retake_days": 30,
        "cut_scores_text": "-1.5 -0.5 0.5 1.5"})  # fmt: skip
    assert response.status_code == 302
    saved = QuizSettings.current()
    assert (saved.max_items, saved.max_exposure, saved.sessions_started) == (20, 0.3, 41)
