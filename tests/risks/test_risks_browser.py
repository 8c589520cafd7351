"""The risk self-diagnostic in a real browser, in both languages, on a desktop and on a phone:
the lead's diagnostics, questionnaire, risk line and register; the works council, the sponsor
and the unit's manager reading them; and the lead answering a diagnostic with the three
parties, completing it, accepting its risk line, cutting a version and downloading it."""

import datetime
import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.browsing import in_language, screenshot, signed_in
from tests.insights.conftest import _demo_store, demo  # noqa: F401  (fixtures)
from tremplin.governance.demo import build_governance
from tremplin.governance.models import AISystem
from tremplin.people.demo import DEMO_PASSWORD
from tremplin.people.models import OrgUnit, Person, Role
from tremplin.risks import services
from tremplin.risks.demo import build_risks
from tremplin.risks.models import Diagnostic, DuerpVersion, LineStatus, Party, RiskLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)]


@pytest.fixture
def diagnosed(demo):  # noqa: F811
    build_governance(seed=7)
    build_risks(seed=7)


def _draft(n: int) -> Diagnostic:
    """A draft on another system and unit, its three parties named, nothing answered."""
    system = AISystem.objects.order_by("pk")[1]
    units = list(OrgUnit.objects.filter(depth=1).order_by("path"))
    unit = units[n % len(units)]
    found = services.start(system=system, unit=unit, by=None,
                           held_on=timezone.localdate() - datetime.timedelta(days=1))  # fmt: skip
    staff = Person.objects.filter(active=True, org_unit__path__startswith=unit.path)
    council = Person.objects.filter(user__role_assignments__role=Role.WORKS_COUNCIL).first()
    head = unit.head or staff.order_by("pk").first()
    members = list(staff.exclude(pk__in=[head.pk, council.pk]).order_by("pk")[:2])
    for person, party in ((head, Party.MANAGEMENT), (council, Party.REPRESENTATIVES),
                          *((m, Party.STAFF) for m in members)):  # fmt: skip
        services.add_participant(diagnostic=found, person=person, party=party)
    return found


def test_risk_pages_for_each_role(browser, live_server, diagnosed):
    done = Diagnostic.objects.get(status="completed")
    draft = _draft(0)
    services.record(diagnostic=draft, answers={"relations_exchanges": 2, "autonomy_pace": 3})
    line = done.lines.filter(status=LineStatus.OPEN).first()
    pages = {
        "lead": [("diagnostics", "/risks/"), ("new", "/risks/new/"),
                 ("diagnostic", f"/risks/{done.pk}/"), ("draft", f"/risks/{draft.pk}/"),
                 ("line", f"/risks/lines/{line.pk}/"), ("register", "/risks/register/")],
        "cse": [("diagnostic", f"/risks/{done.pk}/"), ("register", "/risks/register/")],
        "manager": [("diagnostics", "/risks/"), ("diagnostic", f"/risks/{done.pk}/"),
                    ("register", "/risks/register/")],
        "direction": [("register", "/risks/register/")],
    }  # fmt: skip
    for lang, width in SIZES:
        for user, shots in pages.items():
            context, page, _asked = signed_in(
                browser, live_server, user, DEMO_PASSWORD, lang, width
            )
            for name, path in shots:
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, (user, path)
                screenshot(page, width, f"risks-{user}-{name}-{lang}-{width}")
            context.close()


def test_the_lead_answers_completes_accepts_and_cuts_a_version(browser, live_server, diagnosed):
    owner = Person.objects.filter(user__username="manager").get()
    for n, (lang, width) in enumerate(SIZES):
        t = in_language(lang)
        draft = _draft(n)
        context, page, asked = signed_in(browser, live_server, "lead", DEMO_PASSWORD, lang, width)
        page.goto(f"{live_server.url}/risks/{draft.pk}/")
        for key in _statements():
            page.check(f'input[name="s-{key}"][value="{4 if key == "know_how_training" else 2}"]')
        screenshot(page, width, f"risks-answered-{lang}-{width}")
        with page.expect_navigation():
            page.get_by_role("button", name=t("Complete: answered together")).click()
        assert asked, "completing asks for a confirmation first"
        assert page.get_by_role("status").count() > 0
        line = RiskLine.objects.get(diagnostic=draft)
        assert line.statement == "know_how_training" and line.likelihood == 4
        screenshot(page, width, f"risks-completed-{lang}-{width}")
        page.get_by_role("link", name=line.hazard).click()
        page.fill("input[name=owner_id]", owner.employee_id)
        page.fill("input[name=due_on]", "2031-03-31")
        with page.expect_navigation():
            page.get_by_role("button", name=t("Accept into the register")).click()
        line.refresh_from_db()
        assert (line.status, line.owner) == (LineStatus.OPEN, owner)
        page.goto(f"{live_server.url}/risks/register/")
        before = DuerpVersion.objects.count()
        with page.expect_navigation():
            page.get_by_role("button", name=t("Cut version %(n)s from the register")
                             % {"n": before + 1}).click()  # fmt: skip
        assert DuerpVersion.objects.count() == before + 1
        screenshot(page, width, f"risks-cut-{lang}-{width}")
        with page.expect_download() as download:
            page.get_by_role("link", name="XLSX").first.click()
        stem = {"fr": "duerp", "en": "risk-assessment"}[lang]  # the file named in the language
        assert download.value.suggested_filename == f"{stem}-v{before + 1}.xlsx"
        book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        hazards = [row[3] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
        assert line.hazard in hazards
        context.close()


def _statements() -> list[str]:
    from tremplin.risks.questionnaire import questionnaire

    return [s.key for s in questionnaire().statements]
