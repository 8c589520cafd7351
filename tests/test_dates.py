"""The first of a month written out in French is "1er" ("1er janvier 2027"), in every template
and in the e-mails' subjects; other days, other languages and numeric dates are unchanged."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from tremplin.dates import written

TEMPLATE = Template('{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date }}')


@pytest.mark.parametrize(("lang", "day", "expected"), [
    ("fr", 1, "1er janvier 2027|01/01/2027|1er janvier 2027"),
    ("fr", 11, "11 janvier 2027|11/01/2027|11 janvier 2027"),
    ("fr", 21, "21 janvier 2027|21/01/2027|21 janvier 2027"),
    ("en", 1, "1 Jan 2027|01/01/2027|1 Jan 2027"),
])  # fmt: skip
def test_templates_write_the_first_of_a_month_as_french_does(lang, day, expected):
    with translation.override(lang):
        assert TEMPLATE.render(Context({"d": datetime.date(2027, 1, day)})) == expected


def test_e_mails_and_messages_too():
    moment = datetime.datetime(2027, 8, 1, 9, 30)
    with translation.override("fr"):
        assert written(datetime.date(2027, 8, 1)) == "1er août 2027"
        assert written(moment, "DATETIME_FORMAT").startswith("1er août 2027")
    with translation.override("en"):
        assert "1er" not in written(moment, "DATETIME_FORMAT")


def test_a_moment_in_full_reads_at_its_hour_in_french():
    moment = datetime.datetime(2027, 1, 4, 9, 0)
    with translation.override("fr"):
        assert written(moment, "DATETIME_FORMAT") == "4 janvier 2027 à 09:00"
        assert written(moment, "SHORT_DATETIME_FORMAT") == "04/01/2027 09:00"
    with translation.override("en"):
        assert written(moment, "DATETIME_FORMAT") == "4 Jan 2027, 09:00"
