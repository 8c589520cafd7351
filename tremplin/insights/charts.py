"""Chart declarations (Vega-Lite): one per chart, read by the page and by the exports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

Spec = dict[str, Any]


def heatmap(
    rows: list[dict[str, Any]], x: str, y: str, value: str, title: str, legend: str,
    order: list[str] | None = None, *, names: tuple[str, str],
) -> Spec:  # fmt: skip
    """Cells coloured by `value`; hidden cells (value None) are left blank. `order`: the
    columns in order (else as they come, which hidden cells may shuffle); `names`: what the
    columns and the rows are, in the tooltip (not the fields' codes)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "data": {"values": [r for r in rows if r[value] is not None]},
        "mark": {"type": "rect"},
        "encoding": {
            "tooltip": [
                {"field": x, "type": "nominal", "title": names[0]},
                {"field": y, "type": "nominal", "title": names[1]},
                {"field": value, "type": "quantitative", "format": ".2f", "title": legend},
            ],
            "x": {
                "field": x,
                "type": "nominal",
                "sort": order,
                "axis": {"labelAngle": -40},
                "title": None,
            },
            "y": {"field": y, "type": "nominal", "sort": None, "title": None},
            "color": {
                "field": value,
                "type": "quantitative",
                "title": legend,
                "scale": {"domain": [0, 4], "scheme": "blues"},
            },
        },
        "config": {"view": {"stroke": None}},
        "width": {"step": 22},
        "height": {"step": 22},
    }


def stacked_shares(rows: list[dict[str, Any]], group: str, part: str, value: str, title: str,
                   order: list[str]) -> Spec:  # fmt: skip
    """One horizontal bar per group, split into the share of each part (e.g. each level)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "tooltip": [
                {"field": group, "type": "nominal", "title": _("Group")},
                {"field": part, "type": "ordinal", "title": _("Level")},
                {"field": value, "type": "quantitative", "format": ".0%", "title": _("Share")},
            ],
            "y": {"field": group, "type": "nominal", "sort": None, "title": None},
            "x": {
                "field": value,
                "type": "quantitative",
                "stack": "normalize",
                "axis": {"format": "%"},
                "title": None,
            },
            "color": {
                "field": part,
                "type": "ordinal",
                "sort": order,
                "scale": {"domain": order, "scheme": "blues"},
                "title": None,
            },
            "order": {"field": "rank", "type": "quantitative"},
        },
        "width": "container",  # the page's width, down to a phone's
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {"legend": {"orient": "bottom", "columns": 3}, "title": {"anchor": "start"}},
    }


def lines(rows: list[dict[str, Any]], x: str, y: str, series: str, title: str, *,
          measure: str | None = None, share: bool = False) -> Spec:  # fmt: skip
    """One line per series over time (x holds ISO dates): mean levels, or shares (0 to 1)
    with `share`; `measure` names them in the tooltip."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "data": {"values": [r for r in rows if r[y] is not None]},
        "mark": {"type": "line", "point": True},
        "encoding": {
            # Day before month in both languages (the pages' dates), a level to two places.
            "x": {
                "field": x,
                "type": "temporal",
                "title": None,
                "axis": {"format": "%e %b %Y", "labelOverlap": "greedy"},
            },
            "tooltip": [
                {"field": series, "type": "nominal", "title": _("Group")},
                {"field": x, "type": "temporal", "format": "%e %b %Y", "title": _("Date")},
                {
                    "field": y,
                    "type": "quantitative",
                    "format": ".0%" if share else ".2f",
                    "title": measure or _("Mean level"),
                },
            ],
            "y": {
                "field": y,
                "type": "quantitative",
                "title": None,
                "scale": {"domain": [0, 1] if share else [0, 4]},
                **({"axis": {"format": "%"}} if share else {}),
            },
            "color": {"field": series, "type": "nominal", "title": None, "sort": None},
        },
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "height": 260,
        # The legend under the plot and the title from its left edge: on a phone the plot
        # keeps the whole width and the title is not cut on both sides.
        "config": {
            "legend": {"orient": "bottom", "columns": 1, "labelLimit": 0},
            "title": {"anchor": "start"},
        },
    }


RADAR_COLOURS = ["#1d4ed8", "#b45309", "#6b7280", "#15803d"]


def radar(
    rows: list[dict[str, Any]], axis: str, series: str, value: str, title: str, order: list[str]
) -> Spec:
    """A radar (Vega: Vega-Lite has none): one closed line per series over the axes, 0 to 4.

    The page prints the legend (series in `order`, coloured with RADAR_COLOURS)."""
    size = 210
    return {
        "$schema": "https://vega.github.io/schema/vega/v5.json",
        "title": {"text": title, "offset": 100},  # above the labels of the top spokes
        "width": 2 * size,
        "height": 2 * size,
        "padding": {"left": 100, "right": 100, "top": 120, "bottom": 100},
        "autosize": {"type": "none"},
        "signals": [{"name": "radius", "update": "width / 2"}],
        "data": [
            {"name": "table", "values": rows},
            {
                "name": "axes",
                "source": "table",
                "transform": [{"type": "aggregate", "groupby": [axis]}],
            },
        ],
        "scales": [
            {
                "name": "angular",
                "type": "point",
                "range": {"signal": "[-PI, PI]"},
                "padding": 0.5,
                "domain": {"data": "table", "field": axis},
            },
            {
                "name": "radial",
                "type": "linear",
                "range": {"signal": "[0, radius]"},
                "zero": True,
                "nice": False,
                "domain": [0, 4],
            },
            {
                "name": "color",
                "type": "ordinal",
                "domain": order,
                "range": RADAR_COLOURS,
            },
        ],
        "encode": {"enter": {"x": {"signal": "radius"}, "y": {"signal": "radius"}}},
        "marks": [
            {
                "type": "group",
                "from": {"facet": {"data": "table", "name": "facet", "groupby": [series]}},
                "marks": [
                    {
                        "type": "line",
                        "from": {"data": "facet"},
                        "encode": {
                            "enter": {
                                "interpolate": {"value": "linear-closed"},
                                "x": {
                                    "signal": f"scale('radial', datum.{value}) * "
                                    f"cos(scale('angular', datum.{axis}))"
                                },
                                "y": {
                                    "signal": f"scale('radial', datum.{value}) * "
                                    f"sin(scale('angular', datum.{axis}))"
                                },
                                "stroke": {"scale": "color", "field": series},
                                "strokeWidth": {"value": 2},
                                "fill": {"scale": "color", "field": series},
                                "fillOpacity": {"value": 0.08},
                            }
                        },
                    }
                ],
            },
            {
                "type": "rule",
                "from": {"data": "axes"},
                "encode": {
                    "enter": {
                        "x": {"value": 0},
                        "y": {"value": 0},
                        "x2": {"signal": f"radius * cos(scale('angular', datum.{axis}))"},
                        "y2": {"signal": f"radius * sin(scale('angular', datum.{axis}))"},
                        "stroke": {"value": "#d1d5db"},
                    }
                },
            },
            {
                "type": "text",
                "from": {"data": "axes"},
                "encode": {
                    "enter": {
                        "x": {"signal": f"(radius + 8) * cos(scale('angular', datum.{axis}))"},
                        "y": {"signal": f"(radius + 8) * sin(scale('angular', datum.{axis}))"},
                        "text": {"field": axis},
                        # Along the spoke, read left to right: labels stay apart however many
                        # axes there are (one line of text per spoke).
                        "angle": {
                            "signal": f"scale('angular', datum.{axis}) * 180 / PI + "
                            f"(cos(scale('angular', datum.{axis})) < 0 ? 180 : 0)"
                        },
                        "align": {
                            "signal": f"cos(scale('angular', datum.{axis})) < 0 ? 'right' : 'left'"
                        },
                        "baseline": {"value": "middle"},
                        "fontSize": {"value": 9},
                        "fill": {"value": "#374151"},
                    }
                },
            },
        ],
    }
