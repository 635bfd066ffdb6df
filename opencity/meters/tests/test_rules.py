"""The rules of a reading and of the submission window (table-driven)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from opencity.meters import rules

MSK = ZoneInfo("Europe/Moscow")
YEKT = ZoneInfo("Asia/Yekaterinburg")


def utc(text):
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)


# (opens, closes, tz, moment in UTC) -> (open?, period, last day)
WINDOWS = {
    "a minute before it opens (23:59 in Moscow)": (
        20,
        25,
        MSK,
        "2025-03-19 20:59",
        (False, "2025-03", "2025-03-25"),
    ),
    "as it opens at local midnight": (
        20,
        25,
        MSK,
        "2025-03-19 21:00",
        (True, "2025-03", "2025-03-25"),
    ),
    "the last minute of the last day": (
        20,
        25,
        MSK,
        "2025-03-25 20:59",
        (True, "2025-03", "2025-03-25"),
    ),
    "after it closes, the next month's": (
        20,
        25,
        MSK,
        "2025-03-25 21:00",
        (False, "2025-04", "2025-04-25"),
    ),
    "the same UTC moment is already the 20th in Yekaterinburg": (
        20,
        25,
        YEKT,
        "2025-03-19 19:30",
        (True, "2025-03", "2025-03-25"),
    ),
    "a window into the next month takes the month it opens in": (
        23,
        3,
        MSK,
        "2025-03-02 10:00",
        (True, "2025-02", "2025-03-03"),
    ),
    "and after it closes waits for the 23rd": (
        23,
        3,
        MSK,
        "2025-03-04 10:00",
        (False, "2025-03", "2025-04-03"),
    ),
    "the 31st in February is its last day": (
        20,
        31,
        MSK,
        "2025-02-28 20:00",
        (True, "2025-02", "2025-02-28"),
    ),
    "and March begins closed": (20, 31, MSK, "2025-02-28 21:00", (False, "2025-03", "2025-03-31")),
}


@pytest.mark.parametrize("name", list(WINDOWS))
def test_submission_window_in_the_municipality_time_zone(name):
    opens, closes, tz, moment, (is_open, period, last_day) = WINDOWS[name]

    state = rules.window_state(opens_day=opens, closes_day=closes, now=utc(moment), tz=tz)

    assert (state.is_open, state.period.strftime("%Y-%m"), state.closes_on.isoformat()) == (
        is_open,
        period,
        last_day,
    )


FACTS = rules.MeterFacts(
    zones=1,
    digits=5,
    initial=(Decimal(0), Decimal(0), Decimal(0)),
    install_date=dt.date(2024, 1, 10),
    verified_on=dt.date(2024, 1, 10),
    verification_years=6,
)
TWO_ZONES = rules.MeterFacts(
    zones=2,
    digits=6,
    initial=(Decimal(0), Decimal(0), Decimal(0)),
    install_date=dt.date(2024, 1, 10),
    verified_on=dt.date(2024, 1, 10),
    verification_years=16,
)
LIMITS = rules.Limits(jump_factor=Decimal(3), average_months=6, min_history_months=2)
MAY = dt.date(2025, 5, 1)
APRIL = rules.Previous((Decimal(150), None, None), dt.date(2025, 4, 1), Decimal(10), 6)


def _evaluate(
    cells,
    *,
    facts=FACTS,
    previous=APRIL,
    rollover=False,
    existing=None,
    later=None,
    today=dt.date(2025, 5, 22),
    duplicate_of=None,
):
    evaluation = rules.Evaluation()
    states = tuple(rules.zone_state(c) for c in (list(cells) + ["", "", ""])[:3])
    values = rules.zones_check(states, zones=facts.zones, evaluation=evaluation)
    if values is None:
        return evaluation
    return rules.reading_evaluate(
        meter=facts,
        period=MAY,
        values=values,
        rollover=rollover,
        previous=previous,
        existing=existing,
        later_period=later,
        limits=LIMITS,
        today=today,
        duplicate_of=duplicate_of,
        evaluation=evaluation,
    )


# name -> (kwargs, expected error code, or a dict of what is recorded)
RULES = {
    "an ordinary reading": ({"cells": ["160"]}, {"consumption": "10", "avg": "10", "months": 7}),
    "a comma decimal and spaces": ({"cells": [" 1 60,5 "]}, {"consumption": "10.5"}),
    "more than three decimals": ({"cells": ["160.1234"]}, "value_invalid"),
    "a letter in the number": ({"cells": ["16O"]}, "value_invalid"),
    "a negative number": ({"cells": ["-160"]}, "value_invalid"),
    "blank": ({"cells": [""]}, "value_missing"),
    "a blank marker": ({"cells": ["н/д"]}, "value_missing"),
    "a zone the meter lacks": ({"cells": ["160", "5"]}, "zones_extra"),
    "a two-zone meter needs both zones": (
        {"cells": ["500", ""], "facts": TWO_ZONES, "previous": None},
        "value_missing",
    ),
    "both zones are summed": (
        {"cells": ["500", "200"], "facts": TWO_ZONES, "previous": None},
        {"consumption": "700"},
    ),
    "more digits than the counter": ({"cells": ["100000"]}, "value_digits"),
    "the same meter twice in a file": ({"cells": ["160"], "duplicate_of": 7}, "duplicate_row"),
    "a later month is recorded": ({"cells": ["160"], "later": dt.date(2025, 6, 1)}, "later_exists"),
    "the same reading again changes nothing": (
        {"cells": ["160.000"], "existing": (Decimal(160), None, None)},
        {"unchanged": True},
    ),
    "a different reading for a recorded month": (
        {"cells": ["161"], "existing": (Decimal(160), None, None)},
        "conflict_existing",
    ),
    "below the previous reading": ({"cells": ["149"]}, "below_previous"),
    "equal to the previous reading": ({"cells": ["150"]}, {"consumption": "0"}),
    "below the previous, the counter rolled over": (
        {
            "cells": ["5"],
            "previous": rules.Previous(
                (Decimal(99990), None, None), dt.date(2025, 4, 1), Decimal(10), 6
            ),
            "rollover": True,
        },
        {"consumption": "15", "rollover": True},
    ),
    "rolled over but not below: not a rollover": (
        {"cells": ["160"], "rollover": True},
        {"rollover": False},
    ),
    "a jump over three times the average is flagged": (
        {"cells": ["181"]},
        {"implausible": True, "consumption": "31"},
    ),
    "three times the average exactly is not": ({"cells": ["180"]}, {"implausible": False}),
    "no jump check before two months of history": (
        {
            "cells": ["400"],
            "previous": rules.Previous(
                (Decimal(150), None, None), dt.date(2025, 4, 1), Decimal(10), 1
            ),
        },
        {"implausible": False},
    ),
    "a gap of months is averaged per month": (
        {
            "cells": ["180"],
            "previous": rules.Previous(
                (Decimal(150), None, None), dt.date(2025, 2, 1), Decimal(10), 6
            ),
        },
        {"consumption": "30", "implausible": False, "avg": "10"},
    ),
    "the first reading counts from the installation": (
        {"cells": ["40"], "previous": None},
        {"consumption": "40", "avg": "2.5", "months": 1},
    ),
    "verification overdue is flagged, not refused": (
        {"cells": ["160"], "today": dt.date(2030, 2, 1)},
        {"overdue": True, "consumption": "10"},
    ),
}


@pytest.mark.parametrize("name", list(RULES))
def test_reading_rules(name):
    kwargs, expected = RULES[name]

    result = _evaluate(**kwargs)

    if isinstance(expected, str):
        assert result.error == expected
    else:
        assert result.ok, result.error
        for key, value in expected.items():
            got = getattr(result, key)
            assert got == Decimal(value) if isinstance(got, Decimal) else got == value, key


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2025-03", "2025-03"),
        ("03.2025", "2025-03"),
        ("3.2025", "2025-03"),
        ("03/2025", "2025-03"),
        ("2025-03-15", "2025-03"),
        ("15.03.2025", "2025-03"),
        ("2025-13", None),
        ("march", None),
        ("", None),
        ("32.03.2025", None),
    ],
)
def test_period_formats(text, period):
    found = rules.period_parse(text)

    assert (found.strftime("%Y-%m") if found else None) == period


def test_every_code_has_a_reason_for_people():
    params = {
        "row": 3,
        "period": "2025-04",
        "value": "150.000",
        "rate": "31.000",
        "factor": "3.00",
        "avg": "10.000",
        "due": "2021-03-01",
    }

    reasons = {code: rules.reason_text(code, params) for code in (*rules.ERRORS, *rules.WARNINGS)}

    assert all(reasons.values())
    assert "%(" not in "".join(reasons.values())
    assert rules.reason_text(rules.UNCHANGED)
