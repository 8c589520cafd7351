"""Chart declarations (Vega-Lite): one per chart, read by the page and by the exports."""

from __future__ import annotations

from typing import Any

Spec = dict[str, Any]


def heatmap(rows: list[dict[str, Any]], x: str, y: str, value: str, title: str) -> Spec:
    """Cells coloured by `value`; hidden cells (value None) are left blank."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "data": {"values": [r for r in rows if r[value] is not None]},
        "mark": {"type": "rect", "tooltip": True},
        "encoding": {
            "x": {"field": x, "type": "nominal", "sort": None, "axis": {"labelAngle": -40}},
            "y": {"field": y, "type": "nominal", "sort": None},
            "color": {
                "field": value,
                "type": "quantitative",
                "scale": {"domain": [0, 4], "scheme": "blues"},
            },
        },
        "config": {"view": {"stroke": None}},
        "width": {"step": 22},
        "height": {"step": 22},
    }
