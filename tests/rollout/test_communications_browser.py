"""The communication calendar in a real browser, in French on a desktop and in English on a
phone: the lead plans an e-mail to the wave, schedules it, sees it in the month's table; the
works council reads the calendar."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext

from tests.browsing import in_language, screenshot, signed_in
from tremplin.notifications.models import Message
from tremplin.rollout.models import Communication, Wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 390)])
def test_plan_schedule_and_read_the_calendar(browser, live_server, org, lang, width):
    t = in_language(lang)
    for key in ("seller_a", "seller_b"):
        org.people[key].email = f"{key}@example.org"
        org.people[key].save()
    wave = Wave.objects.create(name="Vague 1")
    wave.people.set([org.people["seller_a"], org.people["seller_b"]])
    context, page, asked = signed_in(browser, live_server, "lead", "pw-lead", lang, width)
    page.goto(live_server.url + "/rollout/communications/")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Plan a communication")).click()
    at = timezone.localtime() + datetime.timedelta(days=3)
    page.fill("input[name=at]", at.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("select[name=wave]", str(wave.pk))
    page.select_option("select[name=audience]", "wave")
    page.select_option("select[name=kind]", "invitation")
    page.select_option("select[name=channel]", "email")
    page.fill("input[name=title_fr]", "Les sessions sont ouvertes")
    page.fill("input[name=title_en]", "Sessions are open")
    page.fill("textarea[name=body_fr]", "Inscrivez-vous depuis la page Sessions.")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Save"), exact=True).click()
    page.get_by_text(t("An e-mail needs its message in both languages.")).wait_for()
    screenshot(page, width, f"communication-refused-{lang}-{width}")
    page.fill("textarea[name=body_en]", "Enrol from the Sessions page.")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Save"), exact=True).click()
    communication = Communication.objects.get()
    with page.expect_navigation():
        page.get_by_role("link", name=communication.title_en if lang == "en"
                         else communication.title_fr).click()  # fmt: skip
    with page.expect_navigation():
        page.get_by_role("button", name=t("Schedule its e-mails")).click()
    with translation.override(lang):
        written = ngettext("%(n)s e-mail will go out at its date.",
                           "%(n)s e-mails will go out at its date.", 2) % {"n": 2}  # fmt: skip
    page.get_by_text(written).wait_for()
    assert asked and Message.objects.filter(due_at=communication.at).count() == 2
    screenshot(page, width, f"communication-scheduled-{lang}-{width}")
    context.close()

    context, page, _ = signed_in(browser, live_server, "cse", "pw-cse", lang, width)
    page.goto(live_server.url + "/rollout/communications/")
    page.get_by_text(t("e-mails scheduled")).wait_for()
    screenshot(page, width, f"communication-calendar-{lang}-{width}")
    context.close()
