"""The charts' tooltips and the publication plan's choices speak the reader's language: no
field code ("competence", "unit") and no label frozen in the language of the server's start."""

import pytest
from django.utils import translation

from tremplin.insights import charts
from tremplin.insights.forms import CROSS_CHOICES

CELLS = [{"competence": "C1", "unit": "Ventes", "level": 2.5}]


WORDS = [("en", ["Competence", "Org unit", "Mean level"]),
         ("fr", ["Compétence", "Unité", "Niveau moyen"])]  # fmt: skip


@pytest.mark.parametrize(("lang", "words"), WORDS)
def test_a_heatmap_s_tooltip_names_its_fields_in_words(lang, words):
    with translation.override(lang):
        spec = charts.heatmap(CELLS, "competence", "unit", "level", "t", translation.gettext(
            "Mean level"), names=(translation.gettext("Competence"), translation.gettext(
                "Org unit")))  # fmt: skip
    titles = [t["title"] for t in spec["encoding"]["tooltip"]]
    assert titles == words and spec["mark"] == {"type": "rect"}  # no tooltip of raw fields


def test_a_share_over_time_is_shown_as_a_percentage_under_its_own_name():
    spec = charts.lines([{"d": "2026-01-01", "v": 0.5, "g": "A"}], "d", "v", "g", "t",
                        measure="Share assessed", share=True)  # fmt: skip
    value = spec["encoding"]["tooltip"][-1]
    assert value["title"] == "Share assessed" and value["format"] == ".0%"
    assert spec["encoding"]["y"]["scale"] == {"domain": [0, 1]}


def test_the_cross_tables_are_named_in_the_reader_s_language():
    label = dict(CROSS_CHOICES)["department×family"]
    with translation.override("en"):
        assert str(label) == "By department × By job family"
    with translation.override("fr"):
        assert str(label) == "Par direction × Par famille de métiers"
