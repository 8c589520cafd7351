"""Reassessment after training in a real browser, in French and English, on a desktop and a
phone: the employee opens it from home, rates, confirms; the list shows it done."""

from pathlib import Path

import pytest
from django.utils import timezone

from tremplin.assessments.models import Reassessment
from tremplin.assessments.reassessments import request_reassessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = Path("var/screens")
TODO = {"fr": "Évaluer vos niveaux après formation : M-PROMPT",
        "en": "Rate your levels after training: M-PROMPT"}  # fmt: skip
RECORD = {"fr": "Enregistrer ces niveaux", "en": "Record these levels"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_employee_rates_again_after_training(browser, live_server, org, framework, lang,
                                                 width):  # fmt: skip
    SCREENS.mkdir(parents=True, exist_ok=True)
    competences = list(framework.competences.order_by("code")[:2])
    again = request_reassessment(person=org.people["seller_a"], competences=competences,
                                 module="M-PROMPT", on=timezone.localdate())  # fmt: skip
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "employee")
    page.fill("input[name=password]", "pw-employee")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("link", name=TODO[lang]).click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.screenshot(path=SCREENS / f"reassess-{lang}-{width}.png", full_page=True)
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").nth(2).check()
    page.get_by_role("button", name=RECORD[lang], exact=True).click()
    page.wait_for_url("**/to-reassess/")
    assert asked
    again.refresh_from_db()
    assert again.self_done_at is not None and Reassessment.objects.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.screenshot(path=SCREENS / f"reassessments-{lang}-{width}.png", full_page=True)
    context.close()
