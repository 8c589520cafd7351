"""Mixed groups in a real browser, in French on a desktop and in English on a phone: the lead
asks for groups for the pilot's sessions of a module, moves a person, looks at the mix again and
enrols everyone; an employee declares how they feel about AI at work."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext

from tests.browsing import in_language, screenshot, signed_in
from tests.learning.test_groups import wave_and_module  # noqa: F401  (the fixture)
from tremplin.learning.models import Enrolment, EnrolmentStatus
from tremplin.people.models import Appetite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 390)])
def test_compose_adjust_and_enrol(browser, live_server, org, wave_and_module, lang, width):  # noqa: F811
    t = in_language(lang)
    wave, module, sessions, people = wave_and_module
    context, page, _ = signed_in(browser, live_server, "lead", "pw-lead", lang, width)
    page.goto(live_server.url + "/development/sessions/")
    with page.expect_navigation():
        page.get_by_role("link", name=t("Mixed groups")).click()
    page.select_option("select[name=wave]", str(wave.pk))
    page.select_option("select[name=module]", str(module.pk))
    with page.expect_navigation():
        page.get_by_role("button", name=t("Propose groups")).click()
    screenshot(page, width, f"groups-proposed-{lang}-{width}")
    # Both enthusiasts into the first session: the mix shows the group, never its attitudes
    # (moving people and looking again would give each one's answer away).
    for person in people[:2]:
        page.select_option(f"select[name=p{person.pk}]", str(sessions[0].pk))
    page.select_option(f"select[name=p{people[2].pk}]", str(sessions[1].pk))
    with page.expect_navigation():
        page.get_by_role("button", name=t("Show the mix of these choices")).click()
    mix = t("Group of %(size)s · departments: %(d)s · sites: %(sites)s") % {
        "size": 2, "d": 1, "sites": 1}  # fmt: skip
    page.get_by_text(mix).wait_for()
    counted = {"en": ("enthusiastic:", "sceptical:", "share of enthusiasts"),
               "fr": ("enthousiastes :", "sceptiques :", "part d’enthousiastes")}  # fmt: skip
    shown = page.locator("main").inner_text()
    assert not [word for word in counted[lang] if word in shown]
    screenshot(page, width, f"groups-adjusted-{lang}-{width}")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Enrol them as chosen")).click()
    with translation.override(lang):
        enrolled = ngettext("%(n)s person enrolled.", "%(n)s people enrolled.", 3) % {"n": 3}
    page.get_by_text(enrolled).wait_for()
    seated = Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED)
    assert {(e.person_id, e.session_id) for e in seated} == {
        (people[0].pk, sessions[0].pk), (people[1].pk, sessions[0].pk),
        (people[2].pk, sessions[1].pk),
    }  # fmt: skip
    screenshot(page, width, f"groups-enrolled-{lang}-{width}")
    context.close()

    context, page, _ = signed_in(browser, live_server, "employee", "pw-employee", lang, width)
    page.goto(live_server.url + "/development/sessions/")
    page.select_option("select[name=ai_appetite]", Appetite.SCEPTICAL)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Save my answer")).click()
    page.get_by_text(t("Your answer is saved.")).wait_for()
    away = timezone.localdate() + datetime.timedelta(days=20)
    page.fill("input[name=first_day]", away.isoformat())
    page.fill("input[name=last_day]", away.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name=t("Add these days")).click()
    page.get_by_text(t("Your days away are saved.")).wait_for()
    screenshot(page, width, f"groups-appetite-{lang}-{width}")
    assert people[0].absences.get().first_day == away
    people[0].refresh_from_db()
    assert people[0].ai_appetite == Appetite.SCEPTICAL
    context.close()
