"""Reassessment after training in a real browser, in French and English, on a desktop and a
phone: the employee opens it from home, rates, confirms; the list shows it done."""

import pytest
from django.utils import timezone

from tests.browsing import fits, keep, settled, signed_in
from tremplin.assessments.models import Reassessment
from tremplin.assessments.reassessments import request_reassessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODO = {"fr": "Évaluer vos niveaux après formation : M-PROMPT",
        "en": "Rate your levels after training: M-PROMPT"}  # fmt: skip
RECORD = {"fr": "Enregistrer ces niveaux", "en": "Record these levels"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_employee_rates_again_after_training(browser, live_server, org, framework, lang,
                                                 width):  # fmt: skip
    competences = list(framework.competences.order_by("code")[:2])
    again = request_reassessment(person=org.people["seller_a"], competences=competences,
                                 module="M-PROMPT", on=timezone.localdate())  # fmt: skip
    context, page, asked = signed_in(browser, live_server, "employee", "pw-employee", lang, width)
    with page.expect_navigation():  # evaluated mid-navigation, the document can be gone
        page.get_by_role("link", name=TODO[lang]).click()
    settled(page)
    assert fits(page, width)
    keep(page, f"reassess-{lang}-{width}")
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").nth(2).check()
    page.get_by_role("button", name=RECORD[lang], exact=True).click()
    page.wait_for_url("**/to-reassess/")
    assert asked
    again.refresh_from_db()
    assert again.self_done_at is not None and Reassessment.objects.count() == 1
    assert fits(page, width)
    keep(page, f"reassessments-{lang}-{width}")
    context.close()
