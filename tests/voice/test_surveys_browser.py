"""Surveys in a real browser: the lead makes one from a template and sends it to the company;
a person reads what happens to their answers, sees a follow-up question appear only after a
low rating, is told what is missing, then answers."""

import pytest

from tests.browsing import in_language, screenshot, signed_in
from tests.voice.surveying import open_survey
from tremplin.people.models import OrgUnit
from tremplin.voice.models import Response, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BOTH = [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)]


@pytest.mark.parametrize(("lang", "width"), BOTH[:2])
def test_the_lead_makes_a_survey_from_a_template_and_sends_it(
    browser, live_server, org, lang, width
):
    t = in_language(lang)
    context, page, _asked = signed_in(browser, live_server, "lead", "pw-lead", lang, width)
    page.goto(live_server.url + "/voice/surveys/")
    page.select_option("select[name=template]", "trust_pulse")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Create the draft")).click()
    survey = Survey.objects.get()
    page.get_by_text(survey.title_en if lang == "en" else survey.title_fr).first.wait_for()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Send the survey")).click()
    page.get_by_text(t("Choose who the survey is for.")).wait_for()
    page.select_option("select[name=units]", [str(OrgUnit.objects.get(parent=None).pk)])
    with page.expect_navigation():
        page.get_by_role("button", name=t("Send the survey")).click()
    survey.refresh_from_db()
    assert survey.invited == len(org.people) and survey.is_open()
    screenshot(page, width, f"survey-sent-{lang}-{width}")
    context.close()


@pytest.mark.parametrize(("lang", "width"), BOTH)
def test_a_person_answers_and_a_follow_up_shows_only_after_a_low_rating(
    browser, live_server, org, lang, width
):
    t = in_language(lang)
    open_survey("post_session")
    context, page, _asked = signed_in(browser, live_server, "employee", "pw-employee", lang, width)
    page.goto(live_server.url + "/voice/surveys/")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Answer")).click()
    page.get_by_text(t("What happens to your answers")).wait_for()
    improve = page.locator("#q-improve")
    assert improve.is_hidden()
    page.locator("#q-overall_satisfaction input[value='2']").check()
    improve.wait_for(state="visible")
    page.locator("#q-overall_satisfaction input[value='5']").check()
    improve.wait_for(state="hidden")
    screenshot(page, width, f"survey-answer-{lang}-{width}")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Send my answers")).click()
    page.get_by_text(t("This question needs an answer.")).first.wait_for()
    screenshot(page, width, f"survey-missing-{lang}-{width}")
    for key, value in (("content_useful", "4"), ("pace_right", "3"), ("trainer_clear", "5"),
                       ("apply_next_week", "4"), ("recommend", "8")):  # fmt: skip
        page.locator(f"#q-{key} input[value='{value}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Send my answers")).click()
    page.get_by_text(t("Thank you: your answers are recorded.")).wait_for()
    answers = Response.objects.get().answers
    assert answers["overall_satisfaction"] == 5 and answers["recommend"] == 8
    context.close()
