"""The idea box and survey results in a real browser: a person types an idea and is shown an
alike one already in the box, votes for it instead; the lead measures a deployed idea; the
works council reads a survey's results with its diverging bars."""

import datetime

import pytest
from django.utils import timezone

from tests.browsing import fits, in_language, screenshot, signed_in
from tremplin.people.models import OrgUnit, Person
from tremplin.voice import services
from tremplin.voice.idea_models import Idea, IdeaStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BOTH = [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)]


@pytest.mark.parametrize(("lang", "width"), BOTH)
def test_an_alike_idea_is_suggested_while_typing_and_voted_for(
    browser, live_server, org, lang, width
):
    t = in_language(lang)
    Idea.objects.create(
        title="Résumer les comptes rendus de réunion",
        problem="Une heure par semaine de mise au propre.",
        author=org.people["hr"],
    )
    context, page, _asked = signed_in(browser, live_server, "employee", "pw-employee", lang, width)
    page.goto(live_server.url + "/voice/ideas/new/")
    page.fill("#id_title", "resume des comptes-rendus")
    page.get_by_text(
        t("Alike ideas already in the box: vote for one rather than proposing it again?")
    ).wait_for()
    screenshot(page, width, f"idea-alike-{lang}-{width}")
    with page.expect_navigation():
        page.goto(live_server.url + "/voice/ideas/")
    with page.expect_navigation():
        page.get_by_role("link", name="Résumer les comptes rendus de réunion").click()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Vote for this idea")).click()
    page.get_by_text(t("Your vote is counted.")).wait_for()
    screenshot(page, width, f"idea-voted-{lang}-{width}")
    assert Idea.objects.get().votes_count == 1
    context.close()


@pytest.mark.parametrize(("lang", "width"), BOTH[:2])
def test_the_lead_measures_a_deployed_idea(browser, live_server, org, lang, width):
    t = in_language(lang)
    idea = Idea.objects.create(
        title="Tri des e-mails",
        problem="Tri manuel chaque matin.",
        author=org.people["seller_b"],
        status=IdeaStatus.DEPLOYED,
    )
    context, page, _asked = signed_in(browser, live_server, "lead", "pw-lead", lang, width)
    page.goto(live_server.url + f"/voice/ideas/{idea.pk}/")
    for metric, phase, mean in (
        ("minutes", "before", "3"),
        ("minutes", "after", "1"),
        ("volume", "after", "600"),
    ):
        page.get_by_text(t("Add a measurement")).click()
        page.select_option("select[name=metric]", metric)
        page.select_option("select[name=phase]", phase)
        page.fill("input[name=mean]", mean)
        page.fill("input[name=observations]", "20")
        with page.expect_navigation():
            page.get_by_role("button", name=t("Save the measurement")).click()
    page.get_by_text(t("Measured gain")).wait_for()
    assert "20" in page.locator("main").inner_text()  # (3 − 1) × 600 / 60 = 20 hours a month
    screenshot(page, width, f"idea-measured-{lang}-{width}")
    context.close()


@pytest.mark.parametrize(("lang", "width"), BOTH)
def test_the_works_council_reads_a_survey_s_results(browser, live_server, org, lang, width):
    t = in_language(lang)
    survey = services.create_survey(services.templates()["sentiment"], by=None)
    unit = OrgUnit.objects.get(parent=None)
    survey.units.set([unit])
    now = timezone.now()
    people = [
        Person.objects.create(employee_id=f"R{i}", first_name="R", last_name=str(i), org_unit=unit)
        for i in range(14)
    ]
    services.send(
        survey,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=3),
    )
    for i, person in enumerate(people):
        services.answer(
            survey,
            person,
            {
                "quality": str(2 + i % 4),
                "effort": "4",
                "speed": str(3 + i % 3),
                "productivity": "4",
            },
        )
    context, page, _asked = signed_in(browser, live_server, "cse", "pw-cse", lang, width)
    page.goto(live_server.url + f"/voice/surveys/{survey.pk}/results/")  # open: not yet
    pending = t("The results are shown once the survey closes, on %(closes)s.").split("%(")[0]
    page.get_by_text(pending, exact=False).wait_for()
    assert page.locator(".diverging").count() == 0 and fits(page, width)
    screenshot(page, width, f"survey-results-pending-{lang}-{width}")
    services.close_now(survey)
    page.goto(live_server.url + f"/voice/surveys/{survey.pk}/results/")
    page.get_by_text(t("Results"), exact=False).first.wait_for()
    assert page.locator(".diverging").count() == 4
    screenshot(page, width, f"survey-results-{lang}-{width}")
    context.close()
