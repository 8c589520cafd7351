"""Career interviews in a real browser, in French and English, on a desktop and a phone: the
manager finds who still needs this year's interview, holds it, saves, and agrees explicitly
(a confirmation first); the list then shows it waiting for the person."""

import pytest

from tests.browsing import fits, keep, signed_in
from tremplin.assessments.models import CareerInterview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXTS = {
    "fr": ("Mener l’entretien", "Enregistrer", "Je valide ce compte rendu", "À valider"),
    "en": ("Hold the interview", "Save", "I agree with this record", "Still to agree"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_a_manager_holds_and_agrees_a_career_interview(browser, live_server, org, lang, width):
    hold, save, agree, open_ = TEXTS[lang]
    context, page, asked = signed_in(browser, live_server, "manager", "pw-manager", lang, width)
    page.goto(live_server.url + "/assessments/interviews/")
    assert fits(page, width)
    keep(page, f"interviews-{lang}-{width}")
    page.get_by_role("button", name=hold).first.click()
    page.wait_for_url("**/assessments/interviews/*/")
    page.locator("textarea").first.fill("Prompting")
    with page.expect_navigation():
        page.get_by_role("button", name=save, exact=True).click()
    assert fits(page, width)
    keep(page, f"interview-{lang}-{width}")
    record = CareerInterview.objects.get()
    assert record.learned == "Prompting" and record.manager_agreed_at is None
    with page.expect_navigation():
        page.get_by_role("button", name=agree).click()
    assert asked  # the agreement was confirmed first
    record.refresh_from_db()
    assert record.manager_agreed_at is not None and record.person_agreed_at is None
    page.goto(live_server.url + "/assessments/interviews/?status=open")
    page.get_by_role("link", name=record.person.full_name).wait_for()
    assert page.get_by_text(open_).count() >= 1
    context.close()
