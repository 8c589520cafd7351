"""Charts in the reader's language and on a phone: French months and decimal commas in French,
English in English, and no chart wider than the screen."""

import re
from pathlib import Path

import pytest

from tests.browsing import signed_in
from tremplin.people.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = Path("var/screens")
FRENCH = "janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc|janvier|avril|juillet"
ENGLISH = "Jan|Feb|March|April|May|June|July|August|Sep|Oct|Nov|Dec"
MONTHS = {"fr": re.compile(rf"\b({FRENCH})"), "en": re.compile(rf"\b({ENGLISH})\b")}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_charts_speak_the_page_language_and_fit(browser, live_server, demo, lang, width):
    context, page, _asked = signed_in(browser, live_server, "lead", DEMO_PASSWORD, lang, width)
    page.goto(live_server.url + "/insights/progression/")
    page.wait_for_selector(".chart svg text")
    labels = " ".join(page.locator(".chart svg text").all_text_contents())
    assert MONTHS[lang].search(labels), labels[:300]
    if lang == "fr":
        assert not MONTHS["en"].search(labels), labels[:300]
    widths = page.evaluate(
        "[...document.querySelectorAll('.chart svg')].map(s => s.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= width + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / f"progression-{lang}-{width}.png", full_page=True)
    context.close()
