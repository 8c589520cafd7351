"""The core loop as each role lives it, in one real browser session per language: the lead
opens a campaign; the employee self-assesses and takes the quiz; the manager rates, holds the
career interview and signs the plan; the employee signs and completes a module; the manager
confirms it; the lead recomputes the dashboards and downloads the PDF report, whose text is
checked. In French on a desktop and in English on a phone, no page scrolls sideways.

Every text the test clicks is the application's own translation of it, so a missing
translation fails here as it would for a reader."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.assessments.conftest import bank  # noqa: F401  (fixtures)
from tests.browsing import SCREENS, fits, keep, settled, signed_in
from tests.conftest import make_user
from tests.learning.conftest import catalogue, framework  # noqa: F401
from tests.pdftext import pdf_text
from tremplin.assessments import quiz
from tremplin.assessments.models import Campaign, CareerInterview, QuizSession, Rating, Source
from tremplin.insights.models import Snapshot
from tremplin.learning.models import ItemStatus, Plan, PlanStatus
from tremplin.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Walk:
    """One role's browser, checking that each page it lands on fits the screen."""

    def __init__(self, browser, server, username: str, lang: str, width: int) -> None:
        self.context, self.page, self.asked = signed_in(
            browser, server, username, f"pw-{username}", lang, width
        )
        self.server, self.lang, self.width, self.username = server, lang, width, username
        self.refused: list[str] = []  # what the Content-Security-Policy blocked
        self.page.on(
            "console", lambda m: "Content Security Policy" in m.text and self.refused.append(m.text)
        )
        self.seen = 0
        self.check()

    def t(self, text: str) -> str:
        with translation.override(self.lang):
            return gettext(text)

    def check(self) -> None:
        settled(self.page)
        assert fits(self.page, self.width), (self.username, self.page.url)
        assert not self.refused, (self.page.url, self.refused)
        self.seen += 1
        name = f"journey-{self.lang}-{self.width}-{self.username}-{self.seen}.png"
        keep(self.page, name)

    def go(self, path: str) -> None:
        self.page.goto(self.server.url + path)
        self.check()

    def click(self, role: str, text: str, *, exact: bool = False) -> None:
        self.follow(self.page.get_by_role(role, name=self.t(text), exact=exact).first)  # type: ignore[arg-type]

    def follow(self, target) -> None:
        """Click what leads to another page (a link, a form's button) and check that page."""
        with self.page.expect_navigation():
            target.click()
        self.check()

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 390)])
def test_the_core_loop_for_every_role(browser, live_server, org, bank, catalogue, lang, width):  # noqa: F811
    SCREENS.mkdir(parents=True, exist_ok=True)
    seller = org.people["seller_a"]
    # The seller's own manager signs their plan (a manager higher up may rate, not sign).
    make_user("team_manager", org.people["team_lead"], Role.MANAGER, Role.EMPLOYEE)

    # The lead opens a campaign for one seller: self, manager and quiz.
    lead = Walk(browser, live_server, "lead", lang, width)
    lead.go("/assessments/campaigns/new/")
    lead.page.locator("input[name=name]").fill("Printemps IA")
    lead.page.locator("textarea[name=employee_ids]").fill(seller.employee_id)
    for box in ("self_assessment", "manager_assessment", "quiz"):
        lead.page.locator(f"input[name={box}]").check()
    lead.click("button", "Open the campaign")
    campaign = Campaign.objects.get(name="Printemps IA")
    assert campaign.includes(seller)

    # The employee finds it on their home, self-assesses (confirmed first) and takes the quiz.
    employee = Walk(browser, live_server, "employee", lang, width)
    todo = employee.t("Assess yourself: %(campaign)s") % {"campaign": "Printemps IA"}
    employee.follow(employee.page.get_by_role("link", name=todo))
    for group in employee.page.locator("fieldset").all():
        group.locator("input[type=radio]").nth(1).check()
    employee.click("button", "Submit", exact=True)
    assert employee.asked
    mine = Rating.objects.filter(person=seller, source=Source.SELF)
    assert mine.exists() and {r.level for r in mine} == {1}
    employee.go("/assessments/")
    employee.click("button", "Take the quiz")
    for _ in range(60):
        if "/result/" in employee.page.url:
            break
        session = QuizSession.objects.get(person=seller)
        question = quiz.pending_question(session)
        assert question is not None
        wrong = (question.item.correct + 1) % 2  # a beginner: the plan will have modules
        employee.page.check(f"input[name=choice][value='{wrong}']")
        employee.follow(employee.page.get_by_role("button", name=employee.t("Answer")))
    employee.check()
    assert QuizSession.objects.get(person=seller).status == QuizSession.Status.FINISHED

    # The manager rates the seller, holds the interview, proposes and signs the plan.
    manager = Walk(browser, live_server, "team_manager", lang, width)
    manager.go("/assessments/#team")
    row = manager.page.get_by_role("row").filter(has_text=seller.full_name)
    manager.follow(row.get_by_role("link", name=manager.t("assess")))
    for group in manager.page.locator("fieldset").all():
        group.locator("input[type=radio]").nth(1).check()
    manager.click("button", "Submit", exact=True)
    assert Rating.objects.filter(person=seller, source=Source.MANAGER).exists()
    manager.go("/assessments/#team")
    row = manager.page.get_by_role("row").filter(has_text=seller.full_name)
    manager.follow(row.get_by_role("button", name=manager.t("This year's interview")))
    manager.page.locator("textarea").first.fill("Prompts")
    manager.click("button", "Save", exact=True)
    manager.click("button", "I agree with this record")
    interview = CareerInterview.objects.get(person=seller)
    assert interview.manager_agreed_at is not None
    manager.go(f"/development/people/{seller.pk}/")
    manager.click("button", "Propose a plan")
    plan = Plan.objects.filter(person=seller).current().get()
    manager.go(f"/development/plans/{plan.pk}/")
    manager.click("button", "Mark as discussed in the career interview")
    manager.click("button", "Sign the plan")

    # The employee agrees to the interview record, signs the plan and completes a module.
    employee.go("/")
    employee.click("link", "Read and agree to your career interview record")
    employee.click("button", "I agree with this record")
    employee.go("/")
    employee.click("link", "Sign your development plan")
    employee.click("button", "Sign the plan")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    employee.click("button", "Mark completed")
    first = plan.items.order_by("position").first()
    assert first is not None and first.status == ItemStatus.DONE

    # The manager confirms it from their home.
    manager.go("/")
    manager.follow(manager.page.get_by_role("link").filter(has_text=manager.t("Confirm")).first)
    manager.go(f"/development/plans/{plan.pk}/")
    manager.click("button", "Confirm the completion")
    first.refresh_from_db()
    assert first.completion_confirmed_by is not None

    # The lead recomputes the dashboards and downloads the works-council report.
    lead.go("/insights/")
    before = Snapshot.objects.count()
    button = "Recompute the figures" if before else "Compute the figures now"
    lead.click("button", button)
    assert Snapshot.objects.count() == before + 1
    response = lead.page.request.get(live_server.url + "/insights/report/?audience=works_council")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    (SCREENS / f"journey-{lang}.pdf").write_bytes(pdf)
    text = pdf_text(pdf)
    for words in ("Report for the works council", "What is collected, and why",
                  "Protection of people"):  # fmt: skip
        assert lead.t(words) in text, words
    assert seller.full_name not in text
    for walk in (lead, employee, manager):
        walk.close()
