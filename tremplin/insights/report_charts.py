"""Charts drawn on the server as SVG for the PDF reports (WeasyPrint runs no script).

Sizes are in points, the unit of the printed page: a chart is at most `WIDTH` wide, its
labels are wrapped (never cut) into the space beside the bars, and numbers are written in
the report's language. A withheld figure draws no bar and says so; a bound or a range
("≤ 12 %", "25–75 %") draws the interval the figure lies in, in a pale colour, and says it.
"""

from __future__ import annotations

import base64
import re
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tremplin.insights.published_pages import Grid

WIDTH = 700.0  # pt: A4 landscape within the report's margins is 774 pt
FONT = 8.0  # pt
LINE = FONT * 1.25
CHAR = FONT * 0.6  # DejaVu Sans's average advance, generous
BLUE = "#1d4ed8"
PALE = "#bfdbfe"  # a bound or a range: where the figure lies, not the figure
LEVEL_COLOURS = ["#d1d5db", "#dbeafe", "#93c5fd", "#3b82f6", "#1d4ed8", "#1e3a8a"]
SERIES_COLOURS = ["#1d4ed8", "#b45309", "#15803d", "#7c3aed", "#be123c", "#0e7490", "#4b5563"]


@dataclass
class Chart:
    title: str
    svg: str

    @property
    def src(self) -> str:
        """The chart as an `<img src>` WeasyPrint reads."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _lines(text: str, chars: int) -> list[str]:
    return textwrap.wrap(text, max(chars, 8), break_long_words=True) or [""]


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = FONT,
          colour: str = "#111", bold: bool = False) -> str:  # fmt: skip
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{colour}"{weight}>{escape(text)}</text>')  # fmt: skip


def _svg(height: float, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}pt" height="{height:.0f}pt" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="DejaVu Sans, sans-serif">'
            + "".join(body) + "</svg>")  # fmt: skip


def _number(value: float, kind: str) -> str:
    if kind == "%":
        return f"{number_format(value, 0)} %"
    if kind == "n":
        return number_format(value, 0, force_grouping=True)
    return number_format(value, 1)


def _span(value: object, top: float) -> tuple[float, float] | None:
    """The interval a bound ("≥ 96 %", "≤ 0,12") or a range ("38–62 %") stands for."""
    if not isinstance(value, str):
        return None
    numbers = [float(n.replace(",", ".")) for n in re.findall(r"\d+(?:[.,]\d+)?", value)]
    if value.startswith("≥") and numbers:
        return numbers[0], top
    if value.startswith("≤") and numbers:
        return 0.0, numbers[0]
    return (numbers[0], numbers[1]) if len(numbers) == 2 else None


def bars(grid: Grid, column: int, kind: str, title: str, *, withheld: str = "withheld"
         ) -> Chart | None:  # fmt: skip
    """One horizontal bar per row of `grid` for its `column`-th figure, from 0 to 100 % for a
    share, to the largest figure otherwise; a figure published as a bound or a range is drawn
    as the interval it stands for, even when no figure of the grid is exact."""
    rows = [(str(row[0]), row[column]) for row in grid.raw]
    numbers = [float(v) for _label, v in rows if isinstance(v, int | float)]
    numbers += [max(span) for _label, v in rows if (span := _span(v, 0.0))]
    if not numbers:
        return None
    top = 100.0 if kind == "%" else max(max(numbers), 1.0)
    label_width = min(260.0, max(len(label) for label, _v in rows) * CHAR + 8)
    chars = int((label_width - 8) / CHAR)
    area = WIDTH - label_width - 60
    body, y = [_text(0, FONT + 2, title, bold=True)], FONT + 10
    for label, value in rows:
        wrapped = _lines(label, chars)
        height = max(len(wrapped) * LINE, 12) + 4
        for i, line in enumerate(wrapped):
            body.append(_text(label_width - 8, y + FONT + i * LINE, line, anchor="end"))
        if isinstance(value, int | float):
            length = area * max(0.0, min(float(value), top)) / top
            body.append(f'<rect x="{label_width}" y="{y + 1}" width="{length:.1f}" '
                        f'height="{height - 6:.1f}" fill="{BLUE}"/>')  # fmt: skip
            body.append(_text(label_width + length + 4, y + FONT, _number(float(value), kind)))
        elif span := _span(value, top):  # a bound or a range: the interval the figure lies in
            start, end = (label_width + area * v / top for v in span)
            body.append(f'<rect x="{start:.1f}" y="{y + 1}" width="{max(end - start, 1.5):.1f}" '
                        f'height="{height - 6:.1f}" fill="{PALE}"/>')  # fmt: skip
            body.append(_text(end + 4, y + FONT, str(value)))
        else:
            shown = str(value) if value not in (None, "") else withheld
            body.append(_text(label_width + 4, y + FONT, shown, colour="#555"))
        y += height
    return Chart(title, _svg(y + 4, body))


def shares(grid: Grid, title: str, withheld: str = "withheld") -> Chart | None:
    """The first row of `grid` (shares in %, one column per level) as one stacked bar, with
    its legend below; a withheld share leaves a gap that the legend names."""
    if not grid.raw:
        return None
    values = grid.raw[0][1:]
    names = grid.header[1:]
    if not any(isinstance(v, int | float) for v in values):
        return None
    body, x = [_text(0, FONT + 2, title, bold=True)], 0.0
    for i, value in enumerate(values):
        if not isinstance(value, int | float) or value <= 0:
            continue
        length = WIDTH * float(value) / 100
        colour = LEVEL_COLOURS[i % len(LEVEL_COLOURS)]
        body.append(f'<rect x="{x:.1f}" y="16" width="{length:.1f}" height="22" '
                    f'fill="{colour}"/>')  # fmt: skip
        if length > 34:
            ink = "#fff" if i >= 3 else "#111"
            body.append(_text(x + length / 2, 31, _number(float(value), "%"), anchor="middle",
                              colour=ink))  # fmt: skip
        x += length
    y, column = 54.0, WIDTH / 3
    for i, (name, value) in enumerate(zip(names, values, strict=True)):
        left, top = column * (i % 3), y + LINE * 1.4 * (i // 3)
        colour = LEVEL_COLOURS[i % len(LEVEL_COLOURS)]
        shown = (_number(float(value), "%") if isinstance(value, int | float)
                 else str(value) if value not in (None, "") else withheld)  # fmt: skip
        body.append(f'<rect x="{left:.1f}" y="{top - FONT + 1:.1f}" width="9" height="9" '
                    f'fill="{colour}" stroke="#6b7280" stroke-width=".4"/>')  # fmt: skip
        body.append(
            _text(left + 13, top, _("%(name)s: %(value)s") % {"name": name, "value": shown})
        )
    height = y + LINE * 1.4 * ((len(names) + 2) // 3)
    return Chart(title, _svg(height, body))


def lines(grid: Grid, kind: str, title: str, *, top: float, most: int = 7) -> list[Chart]:
    """One line per row of `grid` over its columns (the quarter ends), from 0 to `top`, with
    a legend of the series below; `most` lines per chart, as many charts as that takes."""
    rows = [row for row in grid.raw if any(isinstance(v, int | float) for v in row[1:])]
    found = [_lines_chart(rows[i : i + most], grid.header[1:], kind, title, top)
             for i in range(0, len(rows), most)]  # fmt: skip
    return [chart for chart in found if chart is not None]


def _lines_chart(rows: list[list[object]], ticks: list[str], kind: str, title: str, top: float
                 ) -> Chart | None:  # fmt: skip
    if not rows or len(ticks) < 2:
        return None
    left, right, plot_top, plot_height = 40.0, 36.0, 18.0, 170.0
    step = (WIDTH - left - right) / (len(ticks) - 1)
    body = [_text(0, FONT + 2, title, bold=True)]
    for i in range(5):
        value = top * i / 4
        y = plot_top + plot_height * (1 - i / 4)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
                    f'stroke="#e5e7eb" stroke-width=".6"/>')  # fmt: skip
        body.append(_text(left - 4, y + 3, _number(value, kind), anchor="end", colour="#555"))
    every = max(1, len(ticks) // 8)
    for i, tick in enumerate(ticks):
        if i % every == 0 or i == len(ticks) - 1:
            body.append(_text(left + i * step, plot_top + plot_height + LINE + 2, str(tick),
                              anchor="middle", colour="#555"))  # fmt: skip
    for r, row in enumerate(rows):
        colour = SERIES_COLOURS[r % len(SERIES_COLOURS)]
        points = [(left + i * step, plot_top + plot_height * (1 - min(float(v), top) / top))
                  for i, v in enumerate(row[1:]) if isinstance(v, int | float)]  # fmt: skip
        if len(points) == 1:  # a single point draws no line: mark it larger
            body.append(f'<circle cx="{points[0][0]:.1f}" cy="{points[0][1]:.1f}" r="3" '
                        f'fill="{colour}"/>')  # fmt: skip
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="1.6"/>')  # fmt: skip
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="{colour}"/>'
                 for x, y in points]  # fmt: skip
    y = plot_top + plot_height + 2 * LINE + 8
    column = WIDTH / 2
    chars = int((column - 20) / CHAR)
    for r in range(0, len(rows), 2):  # the legend, two series a line, names wrapped
        pair = [_lines(str(row[0]), chars) for row in rows[r : r + 2]]
        for k, wrapped in enumerate(pair):
            x = column * k
            colour = SERIES_COLOURS[(r + k) % len(SERIES_COLOURS)]
            body.append(f'<rect x="{x:.1f}" y="{y - FONT + 1:.1f}" width="9" height="9" '
                        f'fill="{colour}"/>')  # fmt: skip
            body += [_text(x + 13, y + i * LINE, line) for i, line in enumerate(wrapped)]
        y += LINE * (max(len(w) for w in pair) + 0.4)
    height = y
    return Chart(title, _svg(height, body))
