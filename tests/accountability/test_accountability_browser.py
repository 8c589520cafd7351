"""Data protection in a real browser, both languages, desktop and phone: the officer finds a
person, reads what is held, erases them (typing the employee id, the confirmation accepted);
the audit log filtered; a person's readable PDF looked at page by page."""

from __future__ import annotations

import pytest

from tests.browsing import in_language, pdf_pages, screenshot, signed_in
from tests.insights.conftest import _demo_store, demo  # noqa: F401  (fixtures)
from tests.pdftext import pdf_text
from tremplin.accountability.demo import build_data_protection
from tremplin.accountability.models import Erasure
from tremplin.people.demo import DEMO_PASSWORD
from tremplin.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)]


def test_the_officer_answers_requests_and_reads_the_log(browser, live_server, demo):  # noqa: F811
    build_data_protection(seed=7)
    erased = Erasure.objects.get().person
    plain = Person.objects.filter(active=True, user=None, direct_reports__isnull=True)
    targets = list(plain.order_by("employee_id")[:4])
    for n, (lang, width) in enumerate(SIZES):
        t = in_language(lang)
        context, page, asked = signed_in(browser, live_server, "dpo", DEMO_PASSWORD, lang, width)
        page.goto(live_server.url + "/data-protection/")
        screenshot(page, width, f"data-protection-home-{lang}-{width}")
        target = targets[n]
        page.fill("input[name=q]", target.employee_id)
        with page.expect_navigation():  # the search's own page, loaded before its link is clicked
            page.keyboard.press("Enter")
        page.get_by_role("link", name=target.full_name, exact=True).click()
        page.wait_for_url(f"{live_server.url}/data-protection/people/{target.pk}/")
        heading = page.get_by_role("heading", name=t("What Tremplin holds"))
        heading.wait_for()  # count() alone does not wait for the person's page
        assert heading.count() == 1
        screenshot(page, width, f"data-protection-person-{lang}-{width}")
        page.fill("input[name=reason]", "Request 2026-11-30")
        page.fill("input[name=confirm]", target.employee_id)
        with page.expect_navigation():
            page.get_by_role("button", name=t("Erase the data")).click()
        assert asked and page.get_by_role("status").count() > 0
        screenshot(page, width, f"data-protection-erased-{lang}-{width}")
        page.goto(live_server.url + f"/data-protection/audit/?person={erased.pk}")
        screenshot(page, width, f"data-protection-audit-{lang}-{width}")
        page.goto(live_server.url + "/data-protection/audit/?action=read")
        assert page.locator("tbody tr").count() > 10
        context.close()
    assert Erasure.objects.count() == 1 + len(SIZES)


def test_a_persons_pdf_looked_at_page_by_page(client, demo, tmp_path):  # noqa: F811
    pytest.importorskip("weasyprint")
    for lang in ("fr", "en"):
        client.cookies["django_language"] = lang
        client.force_login(Person.objects.get(user__username="manager").user)
        response = client.get("/data-protection/mine.pdf")
        assert response["Content-Type"] == "application/pdf"
        pdf = tmp_path / f"mine-{lang}.pdf"
        pdf.write_bytes(response.content)
        text = pdf_text(response.content, layout=False)
        title = {"fr": "Données personnelles", "en": "Personal data held by Tremplin"}[lang]
        assert title in text
        pdf_pages(pdf, f"personal-data-pdf-{lang}")
