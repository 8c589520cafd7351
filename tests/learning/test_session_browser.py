"""Training sessions in a real browser, in French on a desktop and in English on a phone: the
lead schedules a session of a module in the seller's agreed plan; the seller finds it marked in
the list and enrols; the trainer records the attendance, which completes the plan's module."""

import datetime

import pytest
from django.utils import timezone

from tests.browsing import in_language, screenshot, scroll_hints, settled, signed_in
from tests.conftest import make_user
from tests.learning.conftest import agree_plan
from tremplin.learning.models import (
    Enrolment,
    EnrolmentStatus,
    ItemStatus,
    TrainingSession,
)
from tremplin.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 390)])
def test_schedule_enrol_and_record_attendance(browser, live_server, org, catalogue, lang, width):

    t = in_language(lang)
    seller = org.people["seller_a"]
    plan = agree_plan(seller, org.people["sales_director"])
    item = plan.items.order_by("position").first()
    trainer = org.people["team_lead"]
    make_user("trainer", trainer, Role.EMPLOYEE)

    def shot(page, name: str) -> None:
        screenshot(page, width, f"sessions-{name}-{lang}-{width}")

    context, page, _ = signed_in(browser, live_server, "lead", "pw-lead", lang, width)
    page.goto(live_server.url + "/development/sessions/new/")
    page.select_option("select[name=module]", str(item.module.pk))
    start = timezone.localtime() + datetime.timedelta(days=3)
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=duration_hours]", "3.5")
    page.fill("input[name=capacity]", "12")
    page.select_option("select[name=language]", "fr")
    page.fill("input[name=place]", "Salle Lumière, Lyon")
    page.fill("input[name=trainer_id]", trainer.employee_id)
    shot(page, "new")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Schedule"), exact=True).click()
    session = TrainingSession.objects.get()
    assert session.trainer == trainer and session.capacity == 12
    page.get_by_text(seller.full_name).first.wait_for()  # invited, not enrolled
    shot(page, "scheduled")
    context.close()

    context, page, _ = signed_in(browser, live_server, "employee", "pw-employee", lang, width)
    page.goto(live_server.url + "/development/sessions/")
    page.get_by_text(t("in your plan")).first.wait_for()
    shot(page, "list")
    hints = scroll_hints(page)  # a cut table says it goes on, until scrolled to its end
    boxes = len(hints) // 2
    assert hints[:boxes] == [(o, o) for o, _ in hints[:boxes]] and not any(
        f for _, f in hints[boxes:]
    )
    assert any(o for o, _ in hints[:boxes]) == (width == 390)
    with page.expect_navigation():
        page.get_by_role("link", name=session.starts_at.strftime("%Y")).first.click()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Enrol"), exact=True).click()
    page.get_by_text(t("You are enrolled.")).first.wait_for()
    shot(page, "enrolled")
    assert Enrolment.objects.get(session=session).status == EnrolmentStatus.ENROLLED
    context.close()

    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )  # the day has come
    context, page, _ = signed_in(browser, live_server, "trainer", "pw-trainer", lang, width)
    page.goto(f"{live_server.url}/development/sessions/{session.pk}/")
    page.get_by_label(f"{seller.full_name}: {t('present')}").check()
    shot(page, "attendance")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Record the attendance")).click()
    settled(page)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.completion_confirmed_by == trainer
    context.close()
