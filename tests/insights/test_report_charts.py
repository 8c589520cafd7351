"""The PDF reports' bar charts: a figure published as a bound or a range is drawn as the
interval it stands for, even when no figure of the table is exact (a table of one group whose
share is "≥ 98 %" had no chart at all)."""

from tremplin.insights.published_pages import Grid
from tremplin.insights.report_charts import BLUE, PALE, bars


def test_a_grid_of_bounds_only_is_drawn_as_intervals():
    grid = Grid("Par vague", ["Par vague", "Évalués"], raw=[["non renseigné", "≥ 98 %"]])
    chart = bars(grid, 1, "%", "Part des évalués")
    assert chart is not None
    svg = str(chart.svg)
    assert f'fill="{PALE}"' in svg and f'fill="{BLUE}"' not in svg
    assert "≥ 98 %" in svg


def test_counts_published_as_ranges_scale_to_the_largest_bound():
    grid = Grid("Sites", ["Site", "Personnes"], raw=[["Lyon", "10–20"], ["Nantes", "≤ 5"]])
    chart = bars(grid, 1, "n", "Personnes")
    assert chart is not None and str(chart.svg).count(f'fill="{PALE}"') == 2


def test_a_grid_with_nothing_to_draw_has_no_chart():
    grid = Grid("Sites", ["Site", "Personnes"], raw=[["Lyon", ""], ["Nantes", None]])
    assert bars(grid, 1, "n", "Personnes") is None
