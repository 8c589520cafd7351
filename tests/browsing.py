"""Signing in from a fresh browser context, at a given language and width, for the browser
suite."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

SCREENS = Path("var/screens")


def signed_in(browser: Any, server: Any, username: str, password: str, lang: str,
              width: int) -> tuple[Any, Any, list[str]]:  # fmt: skip
    """(context, page, messages of the confirmation dialogs, each accepted)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    context.add_cookies([{"name": "django_language", "value": lang, "url": server.url}])
    page = context.new_page()
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.goto(server.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")
    return context, page, asked


def fits(page: Any, width: int) -> bool:
    """Whether the page scrolls sideways no more than a pixel."""
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width + 1)


def settled(page: Any) -> None:
    """The page loaded and every chart it declares drawn (sooner than waiting for the network
    to stay idle for half a second)."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart[data-spec]'))"
        ".every(e => e.querySelector('svg'))"
    )


def scroll_hints(page: Any) -> list[tuple[bool, bool]]:
    """Each sideways-scrolling box of the page (a table, an .overflow-auto) as (whether it
    overflows, whether its right edge fades), then again once scrolled to its end: a box that
    overflows fades until scrolled to its end, and a box that fits never fades."""
    return [
        tuple(pair)
        for pair in page.evaluate(  # type: ignore[misc]
            """async () => {
          const boxes = Array.from(document.querySelectorAll("main table, main .overflow-auto"));
          const seen = boxes.map(b => [b.scrollWidth > b.clientWidth + 1,
                                       b.classList.contains("more-right")]);
          boxes.forEach(b => { b.scrollLeft = b.scrollWidth; });
          await new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)));
          return seen.concat(boxes.map(b => [false, b.classList.contains("more-right")]));
        }"""
        )
    ]


def in_language(lang: str):
    """The application's translation of a text in `lang`: what a test clicks or looks for."""
    from django.utils import translation
    from django.utils.translation import gettext

    def translated(text: str) -> str:
        with translation.override(lang):
            return gettext(text)

    return translated


def keep(page: Any, name: str, *, full_page: bool = True) -> None:
    """The page as var/screens/NAME.png to look at, when TREMPLIN_SCREENS is set (`make
    screens`): a picture nobody compares checks nothing, and a full-page capture costs Chromium
    about 0.36 s on the demo's pages."""
    if not os.environ.get("TREMPLIN_SCREENS"):
        return
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / f"{name}.png", full_page=full_page)


def screenshot(page: Any, width: int, name: str) -> None:
    """The page settled and fitting the screen, and kept (`keep`) when pictures are asked for."""
    settled(page)
    assert fits(page, width), page.url
    keep(page, name)


def pdf_pages(pdf: Path, name: str) -> None:
    """Every page of the PDF as var/screens/NAME-N.png, to look at (pdftoppm fails, and the
    test with it, when the PDF does not parse)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENS / name)], check=True)
