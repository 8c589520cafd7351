"""The quiz in a real browser, in French and English, on a desktop and a phone: choosing the
competences, answering, and a result that says what was measured and what was not."""

import pytest

from tests.browsing import fits, keep
from tremplin.assessments import quiz
from tremplin.assessments.models import Item, ItemStatus, QuizSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXTS = {
    "fr": ("Répondre", "Niveaux mesurés", "Pas encore assez d’éléments", "Passer le quiz"),
    "en": ("Answer", "Levels measured", "Not enough evidence yet", "Take the quiz"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_a_focused_quiz_in_the_browser(browser, live_server, org, bank, lang, width):
    answer, measured, unmeasured, take = TEXTS[lang]
    covered = quiz.bank_competences()
    chosen = covered[:2]
    for item in Item.objects.filter(status=ItemStatus.CALIBRATED):
        if item.competences[0] == chosen[0]:  # calibrated as discriminating: measurable
            Item.objects.filter(pk=item.pk).update(a=2.5)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "employee")
    page.fill("input[name=password]", "pw-employee")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/assessments/")
    for box in page.locator("input[name=focus]").all():
        box.set_checked(box.get_attribute("value") in chosen)
    assert fits(page, width)
    keep(page, f"quiz-start-{lang}-{width}")
    page.get_by_role("button", name=take).click()
    for _ in range(60):
        if "/result/" in page.url:
            break
        session = QuizSession.objects.get(person=org.people["seller_a"])
        question = quiz.pending_question(session)
        assert question is not None
        right = question.item.competences[0] == chosen[0]
        choice = question.item.correct if right else (question.item.correct + 1) % 2
        page.check(f"input[name=choice][value='{choice}']")
        with page.expect_navigation():
            page.get_by_role("button", name=answer).click()
    page.get_by_role("heading", name=measured).wait_for()
    page.get_by_role("heading", name=unmeasured).wait_for()
    assert page.locator("td", has_text=chosen[0]).count() == 0  # codes sit in row headers
    assert page.locator("th", has_text=chosen[0]).count() == 1
    assert fits(page, width)
    keep(page, f"quiz-result-{lang}-{width}")
    context.close()
