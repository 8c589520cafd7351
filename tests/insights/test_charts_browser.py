"""Charts in the reader's language and on a phone: French months and decimal commas in French,
English in English, and no chart wider than the screen."""

import re

import pytest

from tests.browsing import fits, keep, signed_in
from tremplin.people.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FRENCH = "janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc|janvier|avril|juillet"
ENGLISH = "Jan|Feb|March|April|May|June|July|August|Sep|Oct|Nov|Dec"
MONTHS = {"fr": re.compile(rf"\b({FRENCH})"), "en": re.compile(rf"\b({ENGLISH})\b")}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_charts_speak_the_page_language_and_fit(browser, live_server, demo, lang, width):
    context, page, _asked = signed_in(browser, live_server, "lead", DEMO_PASSWORD, lang, width)
    refused: list[str] = []  # what the Content-Security-Policy blocked
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.goto(live_server.url + "/insights/progression/")
    page.wait_for_selector(".chart svg text")
    labels = " ".join(page.locator(".chart svg text").all_text_contents())
    assert MONTHS[lang].search(labels), labels[:300]
    if lang == "fr":
        assert not MONTHS["en"].search(labels), labels[:300]
    described = page.evaluate(  # Vega-Lite describes axes and marks in English: none written
        "[...document.querySelectorAll('.chart [aria-label]')].map(e => e.ariaLabel)"
    )
    assert not described, described[:5]
    widths = page.evaluate(
        "[...document.querySelectorAll('.chart svg')].map(s => s.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= width + 1
    assert fits(page, width)
    keep(page, f"progression-{lang}-{width}")
    assert not refused, refused
    context.close()


# Texts whose outlines (rotated with the text) cross, by the separating-axis test.
OVERLAPS = """() => {
  const quads = [...document.querySelectorAll('.chart svg text')]
    .filter(t => t.textContent.trim()).map(t => {
      const b = t.getBBox(), m = t.getScreenCTM();
      const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                       [b.x, b.y + b.height]];
      return [t.textContent, corners.map(([x, y]) => [m.a * x + m.c * y + m.e,
                                                      m.b * x + m.d * y + m.f])];
    });
  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
    const b = poly[(i + 1) % 4], n = [a[1] - b[1], b[0] - a[0]];
    const on = pts => pts.map(([x, y]) => x * n[0] + y * n[1]);
    const s = on(p), t = on(q), len = Math.hypot(n[0], n[1]) || 1;
    return (Math.min(...s) - Math.max(...t)) / len >= -1 ||
           (Math.min(...t) - Math.max(...s)) / len >= -1;
  }));
  const found = [];
  for (let i = 0; i < quads.length; i++) for (let j = i + 1; j < quads.length; j++)
    if (!apart(quads[i][1], quads[j][1])) found.push(quads[i][0] + ' / ' + quads[j][0]);
  return found;
}"""


@pytest.mark.parametrize(("lang", "width"), [("fr", 1280), ("en", 390)])
def test_the_radar_labels_never_overlap(browser, live_server, demo, lang, width):
    context, page, _asked = signed_in(browser, live_server, "lead", DEMO_PASSWORD, lang, width)
    page.goto(live_server.url + "/insights/compare/")  # every competence of the framework
    page.wait_for_selector(".chart svg text")
    keep(page, f"compare-{lang}-{width}")
    assert page.evaluate(OVERLAPS) == []
    assert fits(page, width)
    context.close()
