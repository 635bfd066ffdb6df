"""One date and time format per language, day first and 24-hour, on every page."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, number_format

from opencity.core.dates import month_in_text

MOMENT = dt.datetime(2026, 12, 2, 16, 57)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("ru", "2 декабря 2026, 16:57", "02.12.2026 16:57"),
        ("en", "2 December 2026, 16:57", "02.12.2026 16:57"),
        ("tt", "2 декабрь 2026, 16:57", "02.12.2026 16:57"),
    ],
)
def test_each_language_has_one_24_hour_format(language, long, short):
    with translation.override(language):
        assert date_format(MOMENT, "DATETIME_FORMAT") == long
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short
        # A moment shown without a format is the long form, not "4:57 p.m."
        assert Template("{{ when }}").render(Context({"when": MOMENT})) == long


def test_english_numbers_keep_english_separators():
    with translation.override("en"):
        assert number_format(1234.5, decimal_pos=1, force_grouping=True) == "1,234.5"


# Machine forms only: ISO 8601 for <time datetime> and the value of <input type="date">.
MACHINE_FORMATS = {"c", "Y-m-d"}


def test_templates_show_dates_by_the_named_formats_only():
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"""\|date:["']([^"']*)["']""")
    explicit = [
        f"{path.relative_to(root)}: {fmt}"
        for path in root.rglob("*.html")
        for fmt in pattern.findall(path.read_text(encoding="utf-8"))
        if fmt not in MACHINE_FORMATS
        and fmt not in {"DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT"}
    ]
    assert explicit == []


def test_python_shows_moments_by_the_long_named_format_only():
    """Text built in Python (notifications, clocks, histories) reads as the pages do."""
    root = Path(__file__).resolve().parents[2]
    short = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and re.search(r"SHORT_DATE(TIME)?_FORMAT", path.read_text(encoding="utf-8"))
    ]
    assert short == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "ноябрь 2026"), ("en", "November 2026"), ("tt", "ноябрь 2026")],
)
def test_a_month_inside_a_sentence_is_written_as_the_language_writes_it(language, expected):
    # "Показания за ноябрь 2026", "(ноябрь 2026)": not the capitalised stand-alone "Ноябрь 2026"
    with translation.override(language):
        assert month_in_text(dt.date(2026, 11, 1)) == expected
        rendered = Template("{% load opencity_dates %}({{ d|month_in_text }})").render(
            Context({"d": dt.date(2026, 11, 1)})
        )
        assert rendered == f"({expected})"
