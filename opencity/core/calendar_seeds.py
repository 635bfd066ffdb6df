"""The official production calendar and regional holidays as data, and the seed that loads it.

The `holidays` package already knows Russia's national holidays and most transferred days
off; these rows repeat the transfers so that the override table reads as the whole
production calendar, and add what the package does not know: working Saturdays, shortened
pre-holiday days and regional holidays. A municipal admin can edit any row afterwards.

`uncertain` marks a date that was not confirmed from the official act when this was
written (a draft decree, a religious date fixed by the Spiritual Administration of Muslims
each year, or a transfer rule that was not checked). Seeding writes them all; check them.

See docs/subsystems/deadlines-and-calendar.md.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from opencity.core.models import CalendarDayKind, CalendarOverride, Municipality

HOLIDAY = CalendarDayKind.HOLIDAY.value
WORKING = CalendarDayKind.WORKING.value
SHORT = CalendarDayKind.SHORT.value

# Country code -> rows. Sources: Government decrees on the transfer of days off
# (2025: ПП РФ от 04.10.2024 № 1335; 2026: ПП РФ of September 2025; 2027: the decree of 2026
# as quoted by consultant.ru) and Labour Code art. 95 (a pre-holiday working day is one hour
# shorter) and art. 112 (a holiday on a weekend moves to the next working day).
NATIONAL: dict[str, list[dict]] = {
    "RU": [
        # 2025
        {"date": "2025-03-07", "kind": SHORT, "name": "Pre-holiday day (8 March)"},
        {"date": "2025-04-30", "kind": SHORT, "name": "Pre-holiday day (1 May)"},
        {"date": "2025-05-02", "kind": HOLIDAY, "name": "Day off moved from Sat 4 Jan"},
        {"date": "2025-05-08", "kind": HOLIDAY, "name": "Day off moved from Sun 23 Feb"},
        {"date": "2025-06-11", "kind": SHORT, "name": "Pre-holiday day (Russia Day)"},
        {"date": "2025-06-13", "kind": HOLIDAY, "name": "Day off moved from Sat 8 Mar"},
        {
            "date": "2025-11-01",
            "kind": SHORT,
            "name": "Working Saturday (day off moved to Mon 3 Nov), pre-holiday",
        },
        {"date": "2025-11-03", "kind": HOLIDAY, "name": "Day off moved from Sat 1 Nov"},
        {"date": "2025-12-31", "kind": HOLIDAY, "name": "Day off moved from Sun 5 Jan"},
        # 2026
        {"date": "2026-01-09", "kind": HOLIDAY, "name": "Day off moved from Sat 3 Jan"},
        {"date": "2026-03-09", "kind": HOLIDAY, "name": "Day off for Sun 8 March"},
        {"date": "2026-04-30", "kind": SHORT, "name": "Pre-holiday day (1 May)"},
        {"date": "2026-05-08", "kind": SHORT, "name": "Pre-holiday day (Victory Day)"},
        {"date": "2026-05-11", "kind": HOLIDAY, "name": "Day off for Sat 9 May"},
        {"date": "2026-06-11", "kind": SHORT, "name": "Pre-holiday day (Russia Day)"},
        {"date": "2026-11-03", "kind": SHORT, "name": "Pre-holiday day (Unity Day)"},
        {"date": "2026-12-31", "kind": HOLIDAY, "name": "Day off moved from Sun 4 Jan"},
        # 2027: the decree was adopted in 2026; the transfers follow the `holidays` package.
        {
            "date": "2027-02-20",
            "kind": SHORT,
            "name": "Working Saturday (day off moved to Mon 22 Feb), pre-holiday",
            "uncertain": True,
        },
        {
            "date": "2027-02-22",
            "kind": HOLIDAY,
            "name": "Day off moved from Sat 20 Feb",
            "uncertain": True,
        },
        {"date": "2027-04-30", "kind": SHORT, "name": "Pre-holiday day (1 May)"},
        {"date": "2027-05-03", "kind": HOLIDAY, "name": "Day off for Sat 1 May"},
        {"date": "2027-05-10", "kind": HOLIDAY, "name": "Day off for Sun 9 May"},
        {"date": "2027-06-11", "kind": SHORT, "name": "Pre-holiday day (Russia Day)"},
        {"date": "2027-06-14", "kind": HOLIDAY, "name": "Day off for Sat 12 June"},
        {"date": "2027-11-03", "kind": SHORT, "name": "Pre-holiday day (Unity Day)"},
        {
            "date": "2027-11-05",
            "kind": HOLIDAY,
            "name": "Day off moved from Sat 2 Jan",
            "uncertain": True,
        },
        {
            "date": "2027-12-31",
            "kind": HOLIDAY,
            "name": "Day off moved from Sun 3 Jan",
            "uncertain": True,
        },
    ],
}

# "<country>-<subdivision>" -> rows. Tatarstan: Law of the Republic of Tatarstan "On holidays
# and memorable days" (Republic Day 30 August, Constitution Day 6 November are days off);
# Uraza Bayram and Kurban Bayram are days off on the dates the Spiritual Administration of
# Muslims announces each year (the President's decree follows). A regional holiday on a
# weekend is not moved to a working day (as far as known: uncertain). The day before a
# regional holiday is one hour shorter when it is a working day.
REGIONAL: dict[str, list[dict]] = {
    "RU-TA": [
        # 2025
        {"date": "2025-03-30", "kind": HOLIDAY, "name": "Uraza Bayram"},
        {"date": "2025-06-05", "kind": SHORT, "name": "Pre-holiday day (Kurban Bayram)"},
        {"date": "2025-06-06", "kind": HOLIDAY, "name": "Kurban Bayram"},
        {
            "date": "2025-08-29",
            "kind": SHORT,
            "name": "Pre-holiday day (Republic Day)",
            "uncertain": True,
        },
        {"date": "2025-08-30", "kind": HOLIDAY, "name": "Republic Day of Tatarstan"},
        {"date": "2025-11-05", "kind": SHORT, "name": "Pre-holiday day (Constitution Day)"},
        {"date": "2025-11-06", "kind": HOLIDAY, "name": "Constitution Day of Tatarstan"},
        # 2026: the religious dates are astronomical estimates until announced.
        {
            "date": "2026-03-19",
            "kind": SHORT,
            "name": "Pre-holiday day (Uraza Bayram)",
            "uncertain": True,
        },
        {"date": "2026-03-20", "kind": HOLIDAY, "name": "Uraza Bayram", "uncertain": True},
        {
            "date": "2026-05-26",
            "kind": SHORT,
            "name": "Pre-holiday day (Kurban Bayram)",
            "uncertain": True,
        },
        {"date": "2026-05-27", "kind": HOLIDAY, "name": "Kurban Bayram", "uncertain": True},
        {"date": "2026-08-30", "kind": HOLIDAY, "name": "Republic Day of Tatarstan"},
        {"date": "2026-11-05", "kind": SHORT, "name": "Pre-holiday day (Constitution Day)"},
        {"date": "2026-11-06", "kind": HOLIDAY, "name": "Constitution Day of Tatarstan"},
        # 2027
        {
            "date": "2027-03-09",
            "kind": SHORT,
            "name": "Pre-holiday day (Uraza Bayram)",
            "uncertain": True,
        },
        {"date": "2027-03-10", "kind": HOLIDAY, "name": "Uraza Bayram", "uncertain": True},
        {"date": "2027-05-16", "kind": HOLIDAY, "name": "Kurban Bayram", "uncertain": True},
        {"date": "2027-08-30", "kind": HOLIDAY, "name": "Republic Day of Tatarstan"},
        {"date": "2027-11-06", "kind": HOLIDAY, "name": "Constitution Day of Tatarstan"},
    ],
}

UNCERTAIN_MARK = " (?)"


def calendar_rows(*, country: str, subdivision: str = "") -> dict[dt.date, dict]:
    """Return the seed rows for a country and region by date (the region wins on a clash)."""
    rows: dict[dt.date, dict] = {}
    sources = [NATIONAL.get(country.upper(), [])]
    if subdivision:
        sources.append(REGIONAL.get(f"{country.upper()}-{subdivision.upper()}", []))
    for source in sources:
        for row in source:
            rows[dt.date.fromisoformat(row["date"])] = row
    return rows


@transaction.atomic
def calendar_seed(*, municipality: Municipality) -> int:
    """Write the production calendar and regional days of the municipality; return rows written."""
    rows = calendar_rows(country=municipality.country, subdivision=municipality.subdivision)
    for date, row in rows.items():
        name = row["name"] + (UNCERTAIN_MARK if row.get("uncertain") else "")
        CalendarOverride.objects.update_or_create(
            municipality=municipality,
            date=date,
            defaults={"kind": row["kind"], "name": name[:200], "work_day_end": row.get("end")},
        )
    return len(rows)
