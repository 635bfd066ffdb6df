"""Cross-field checks of a passport row: a part above its whole, zero totals, odd years.

Each value that fails a check is not imported (the rest of the row is) and is reported as a
warning with its row and column, saying which other value it contradicts. The whole is kept
and the part dropped: the totals are the figures the registry is read by, and a part above
its whole is the usual typing error (a residential area in the total's column, a swap).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from opencity.buildings.imports.result import RowData

# (part, whole, what the part is, what the whole is): the part can never exceed the whole.
PARTS = (
    (
        "area_residential",
        "area_total",
        pgettext_lazy("passport check", "residential area"),
        pgettext_lazy("passport check", "total area"),
    ),
    (
        "area_nonresidential",
        "area_total",
        pgettext_lazy("passport check", "non-residential area"),
        pgettext_lazy("passport check", "total area"),
    ),
    (
        "premises_residential",
        "premises_total",
        pgettext_lazy("passport check", "residential premises"),
        pgettext_lazy("passport check", "total premises"),
    ),
    (
        "premises_nonresidential",
        "premises_total",
        pgettext_lazy("passport check", "non-residential premises"),
        pgettext_lazy("passport check", "total premises"),
    ),
    (
        "floors_min",
        "floors_max",
        pgettext_lazy("passport check", "minimum storeys"),
        pgettext_lazy("passport check", "maximum storeys"),
    ),
)
# Values that are never zero in a standing building: a zero is a blank typed as 0.
POSITIVE = ("area_total", "floors_max", "floors_min")
# The oldest apartment buildings in a Russian registry are of the 17th century.
FIRST_YEAR = 1600


def row_check(data: RowData, *, column_of: Callable[[str], str], today: dt.date) -> None:
    """Drop the row's implausible or contradictory values, each with a warning."""
    values = data.values
    for name in POSITIVE:
        if values.get(name) is not None and values[name] == 0:
            data.problem(column_of(name), values[name], _("zero is not a plausible value"))
            del values[name]
    year = values.get("year_built")
    if year is not None and not FIRST_YEAR <= year <= today.year:
        data.problem(
            column_of("year_built"),
            year,
            _("implausible year (expected %(first)d to %(last)d)")
            % {"first": FIRST_YEAR, "last": today.year},
        )
        del values["year_built"]
    for part, whole, part_label, whole_label in PARTS:
        low, high = values.get(part), values.get(whole)
        if low is None or high is None or low <= high:
            continue
        data.problem(
            column_of(part),
            low,
            _("%(part)s (%(value)s) is above the %(whole)s (%(whole_value)s): not imported")
            % {"part": part_label, "value": low, "whole": whole_label, "whole_value": high},
        )
        del values[part]
