"""Dates in running text, as each language writes them."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import get_language

# Languages whose month names are written in lower case inside a sentence ("за ноябрь 2026").
LOWER_CASE_MONTHS = frozenset({"ru", "tt"})


def month_in_text(day: dt.date) -> str:
    """The month and year for the middle of a sentence: "ноябрь 2026", "November 2026"."""
    # Django's "F Y" gives the stand-alone form, capitalised in Russian and Tatar ("Ноябрь 2026"),
    # which reads as a title inside a sentence.
    label = date_format(day, "F Y")
    if (get_language() or "").split("-")[0] in LOWER_CASE_MONTHS:
        label = label[:1].lower() + label[1:]
    return label
