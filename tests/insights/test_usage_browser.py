"""AI-tool usage in a real browser, in French and English, on a desktop and a phone: the lead
uploads a Copilot report and reads its preview, the adoption KPIs on the overview, the works
council's usage figures; nothing overflows the screen, axe-core finds nothing, screenshots kept
in var/screens/ for a look."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.a11y import violations
from tests.browsing import in_language, keep, screenshot, signed_in
from tests.insights.test_usage_kpis import usage  # noqa: F401  (the demo with its usage)
from tremplin.people.demo import DEMO_PASSWORD
from tremplin.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _report(tmp_path):
    """A Microsoft 365 Copilot usage report: two of the demo's people and a stranger."""
    day = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    people = list(Person.objects.filter(active=True).exclude(email="").order_by("pk")[:2])
    rows = [f"{day},{p.email.upper()},{p.full_name},{day},{day},,30" for p in people]
    rows.append(f"{day},stranger@example.com,Stranger,{day},,,30")
    header = ("Report Refresh Date,User Principal Name,Display Name,Last Activity Date,"
              "Microsoft Teams Copilot Last Activity Date,Word Copilot Last Activity Date,"
              "Report Period")  # fmt: skip
    path = tmp_path / "Copilot usage.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_usage_import_and_kpis_in_the_browser(browser, live_server, usage, settings,  # noqa: F811
                                              tmp_path, lang, width):  # fmt: skip
    settings.DATA_DIR = tmp_path
    _ = in_language(lang)
    title = _("AI-tool usage")[:1].upper() + _("AI-tool usage")[1:]
    name = f"{lang}-{width}"
    context, page, _asked = signed_in(browser, live_server, "lead", DEMO_PASSWORD, lang, width)
    page.goto(live_server.url + "/insights/usage/")
    page.get_by_role("heading", name=title, level=1).wait_for()
    assert violations(page) == []
    screenshot(page, width, f"usage-upload-{name}")
    page.set_input_files("input[type=file]", str(_report(tmp_path)))
    page.get_by_role("button", name=_("Read the file")).click()
    page.get_by_role("heading", name=_("Rows with problems")).wait_for()
    assert "stranger@example.com" in page.content()
    assert violations(page) == []
    screenshot(page, width, f"usage-preview-{name}")
    page.get_by_role("button", name=_("Import only the valid rows")).click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    assert page.locator("article[role=status]").count() == 1
    page.goto(live_server.url + "/insights/")
    card = page.locator("#kpi-usage").locator("xpath=..")
    assert "%" in card.inner_text()
    tools = page.get_by_role("heading", name=_("AI tools"), exact=True)
    tools.wait_for()
    assert violations(page) == []
    screenshot(page, width, f"usage-kpis-{name}")
    tools.scroll_into_view_if_needed()
    keep(page, f"usage-kpis-tools-{name}", full_page=False)
    context.close()
    context, page, _asked = signed_in(browser, live_server, "cse", DEMO_PASSWORD, lang, width)
    page.goto(live_server.url + "/insights/published/?table=by-family&part=usage")
    page.locator("td[data-figure]").first.wait_for()
    assert violations(page) == []
    screenshot(page, width, f"usage-published-cse-{name}")
    context.close()
