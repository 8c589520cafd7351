"""Governance's pages in a real browser, in both languages, on a desktop and on a phone: the
employee acknowledges the charter; the lead's versions, register and council log, a system's
status history and the council's gate on a wave's readiness page; the works council reads its
log."""

import datetime

import pytest

from tests.browsing import in_language, screenshot, signed_in
from tests.insights.conftest import _demo_store, demo  # noqa: F401  (fixtures)
from tremplin.governance.demo import build_governance
from tremplin.governance.models import AISystem
from tremplin.people.demo import DEMO_PASSWORD
from tremplin.rollout.models import Wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)]
PREPARING = (
    "The figures of this quarter are being prepared: each quarter is checked together with"
    " every earlier one, which takes a few minutes on a large company, once. This page shows"
    " them as soon as they are ready."
)


@pytest.fixture
def governed(demo):  # noqa: F811
    build_governance(seed=7)


def test_governance_pages_for_each_role(browser, live_server, governed):
    system = AISystem.objects.order_by("pk").first()
    pages = {
        "lead": [("charter", "/governance/charter/"), ("systems", "/governance/systems/"),
                 ("system", f"/governance/systems/{system.pk}/"),
                 ("council", "/governance/council/"),
                 ("observatory", "/governance/observatory/"),
                 ("article-4", "/governance/article-4/")],
        "cse": [("council", "/governance/council/"),
                ("system", f"/governance/systems/{system.pk}/"),
                ("article-4", "/governance/article-4/")],  # the protected figures
    }  # fmt: skip
    for lang, width in SIZES:
        for user, shots in pages.items():
            context, page, _asked = signed_in(
                browser, live_server, user, DEMO_PASSWORD, lang, width
            )
            for name, path in shots:
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, path
                screenshot(page, width, f"governance-{user}-{name}-{lang}-{width}")
            context.close()


def test_an_employee_acknowledges_the_charter(browser, live_server, governed):
    for n, (lang, width) in enumerate(SIZES):
        t = in_language(lang)
        user = ["employee", "manager", "ambassador", "cse"][n]
        context, page, _asked = signed_in(browser, live_server, user, DEMO_PASSWORD, lang, width)
        page.goto(live_server.url + "/governance/charter/")
        button = page.get_by_role("button", name=t("I have read the charter and acknowledge it"))
        if button.count():
            screenshot(page, width, f"governance-charter-{lang}-{width}")
            with page.expect_navigation():
                button.click()
        assert page.get_by_role("status").count() > 0
        screenshot(page, width, f"governance-acknowledged-{lang}-{width}")
        context.close()


def test_the_lead_sees_a_system_s_status_history_and_the_council_s_gate_on_a_wave(
    browser, live_server, governed
):
    """The CV screening, tolerated then forbidden; a wave of the 150 staff deploys the copilot
    (the council's opinion given) and the meeting transcription (never consulted: blocked)."""
    screening = AISystem.objects.get(name="Tri des candidatures")
    wave = Wave.objects.create(name="Vague 1", starts_on=datetime.date.today())
    wave.systems.add(*AISystem.objects.filter(name__in=["Copilote rédactionnel",
                                                        "Transcription des réunions"]))  # fmt: skip
    for lang, width in SIZES:
        t = in_language(lang)
        context, page, _asked = signed_in(browser, live_server, "lead", DEMO_PASSWORD, lang, width)
        page.goto(live_server.url + f"/governance/systems/{screening.pk}/")
        by = page.get_by_role("columnheader", name=t("By"), exact=True)
        history = page.locator("table", has=by)
        assert history.locator("tbody tr").count() == 2
        screenshot(page, width, f"governance-system-history-{lang}-{width}")
        page.goto(live_server.url + f"/rollout/waves/{wave.pk}/readiness/")
        row = page.locator("tr", has=page.get_by_role("link", name="Copilote rédactionnel",
                                                       exact=True))  # fmt: skip
        assert t("passed") in row.inner_text()
        row = page.locator("tr", has=page.get_by_role("link", name="Transcription des réunions"))
        assert t("blocked") in row.inner_text() and t("no consultation logged") in row.inner_text()
        screenshot(page, width, f"rollout-readiness-council-{lang}-{width}")
        context.close()


def test_the_council_waits_for_a_quarter_being_prepared_then_reads_it(
    browser, live_server, governed, settings
):
    """With a background worker, the council's first read of a quarter says it is being
    prepared (in both languages, on a desktop and a phone, nothing breaking a WCAG rule); the
    page shows the figures by itself once the worker has prepared them."""
    from django.core.management import call_command

    from tests.a11y import audit_every_page, violations

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for lang, width in SIZES:
        t = in_language(lang)
        context, page, _asked = signed_in(browser, live_server, "cse", DEMO_PASSWORD, lang, width)
        audit_every_page(context)
        page.goto(live_server.url + "/governance/article-4/")
        status = page.get_by_role("status").filter(has_text=t(PREPARING))
        assert status.count() == 1 and page.locator("main table").count() == 0
        screenshot(page, width, f"governance-article-4-preparing-{lang}-{width}")
        assert violations(page) == []
        if (lang, width) == SIZES[-1]:
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0",
                         verbosity=0)  # fmt: skip
            page.locator("main table").first.wait_for(timeout=15_000)  # the page polls
            assert status.count() == 0
            screenshot(page, width, f"governance-article-4-prepared-{lang}-{width}")
        context.close()
