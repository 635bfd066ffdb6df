"""The one place deadlines are computed: calendar time, daily windows, working hours and days.

Working days follow, in order: the municipality's override table (the official production
calendar's transfers, regional holidays, shortened days), then national holidays from the
`holidays` package, then weekends. Everything is counted in the municipality's time zone.

See docs/subsystems/deadlines-and-calendar.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencity.core.models import CalendarDayKind, CalendarOverride, Municipality
from opencity.core.refcache import refcache_get

MAX_DAYS_SCANNED = 3 * 366  # a deadline further than this is a data error, not a deadline
SHORTENED_BY = dt.timedelta(hours=1)  # Labour Code art. 95: a pre-holiday day is an hour shorter


class TimeUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("calendar days")
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")


@lru_cache(maxsize=64)
def _national_holidays(country: str, year: int) -> frozenset[dt.date]:
    try:
        return frozenset(holidays.country_holidays(country, years=year).keys())
    except NotImplementedError:
        return frozenset()


@dataclass
class WorkingCalendar:
    """A municipality's calendar with its overrides loaded; cheap to query many times."""

    municipality: Municipality
    overrides: dict[dt.date, CalendarOverride] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.municipality.time_zone)

    def is_working_day(self, day: dt.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override.kind != CalendarDayKind.HOLIDAY
        if day in _national_holidays(self.municipality.country, day.year):
            return False
        return day.weekday() < 5

    def working_interval(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """Return the working hours of a day as aware datetimes, or None on a day off."""
        if not self.is_working_day(day):
            return None
        start = self._at(day, self.municipality.work_day_start)
        end = self._at(day, self.municipality.work_day_end)
        override = self.overrides.get(day)
        if override is not None and override.work_day_end is not None:
            end = self._at(day, override.work_day_end)
        elif override is not None and override.kind == CalendarDayKind.SHORT:
            end = end - SHORTENED_BY
        if end <= start:
            return None  # a misconfigured day (ends before it starts) gives no working time
        return start, end

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def add(
        self,
        start: dt.datetime,
        amount: int,
        unit: str,
        *,
        window: tuple[dt.time, dt.time] | None = None,
    ) -> dt.datetime:
        """Return the moment `amount` units after `start` (aware, in UTC)."""
        # Minutes and hours are absolute time, or time inside the daily `window` when one is
        # given; calendar days keep the wall-clock time (with a window: counted from when the
        # window opens); working hours are spent inside working intervals; working days end
        # at the close of the `amount`-th working day after the start day. The window applies
        # to minutes, hours and days only.
        if start.tzinfo is None:
            raise ValueError("deadlines are computed from aware datetimes")
        if amount < 0:
            raise ValueError("a deadline cannot lie before its start")
        local = start.astimezone(self.tz)
        if unit == TimeUnit.WORKING_DAYS:
            result = self._add_working_days(local, amount)
        elif unit == TimeUnit.WORKING_HOURS:
            result = self._consume(local, dt.timedelta(hours=amount), self.working_interval)
        elif unit in (TimeUnit.MINUTES, TimeUnit.HOURS, TimeUnit.DAYS):
            delta = {
                TimeUnit.MINUTES: dt.timedelta(minutes=amount),
                TimeUnit.HOURS: dt.timedelta(hours=amount),
                TimeUnit.DAYS: dt.timedelta(days=amount),
            }[TimeUnit(unit)]
            if window is None:
                # Calendar days keep the wall-clock time; minutes and hours are absolute.
                # Absolute time is added in UTC: aware arithmetic in a zone is wall-clock.
                result = (
                    local + delta if unit == TimeUnit.DAYS else start.astimezone(dt.UTC) + delta
                )
            elif unit == TimeUnit.DAYS:
                # Days inside a window: the clock starts when the window opens, then whole
                # days pass (a day is not 24 hours of window time).
                opened = self._consume(local, dt.timedelta(0), lambda d: self._window(d, window))
                result = opened.astimezone(self.tz) + delta
            else:
                result = self._consume(local, delta, lambda day: self._window(day, window))
        else:
            raise ValueError(f"unknown time unit {unit!r}")
        return result.astimezone(dt.UTC)

    def _window(self, day: dt.date, window: tuple[dt.time, dt.time]):
        start, end = window
        begin = self._at(day, start)
        # A window that ends at or before it starts runs overnight (e.g. 22:00–06:00).
        finish = self._at(day + dt.timedelta(days=1) if end <= start else day, end)
        return begin, finish

    def _consume(self, local: dt.datetime, remaining: dt.timedelta, interval_for) -> dt.datetime:
        """Walk day by day, spending `remaining` only inside each day's interval."""
        # Start a day early: an overnight window opened yesterday may still be open.
        day = local.date() - dt.timedelta(days=1)
        if remaining <= dt.timedelta(0):
            # A zero deadline still waits for the interval to open (e.g. overnight).
            remaining = dt.timedelta(0)
        # Arithmetic in UTC, so that a day with a DST change has its real length.
        moment = local.astimezone(dt.UTC)
        for _step in range(MAX_DAYS_SCANNED + 1):
            interval = interval_for(day)
            if interval is not None:
                begin, end = (edge.astimezone(dt.UTC) for edge in interval)
                begin = max(begin, moment)
                if begin < end:
                    available = end - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += dt.timedelta(days=1)
        raise ValueError("deadline lies too far ahead: check the calendar")

    def _add_working_days(self, local: dt.datetime, amount: int) -> dt.datetime:
        """End of the `amount`-th working day after the start day (the start day does not count)."""
        day = local.date()
        if amount == 0:
            # By the end of today's work, or of the next working day when today's is over.
            interval = self.working_interval(day)
            if interval is not None and local < interval[1]:
                return interval[1]
            amount = 1
        counted = 0
        for _step in range(MAX_DAYS_SCANNED):
            day += dt.timedelta(days=1)
            interval = self.working_interval(day)
            if interval is not None:
                counted += 1
                if counted == amount:
                    return interval[1]
        raise ValueError("deadline lies too far ahead: check the calendar")


def calendar_load(*, municipality: Municipality) -> WorkingCalendar:
    """Return the municipality's calendar with its overrides (read once per process)."""
    overrides = refcache_get(
        ("calendar_overrides", municipality.pk),
        lambda: {o.date: o for o in CalendarOverride.objects.filter(municipality=municipality)},
    )
    return WorkingCalendar(municipality=municipality, overrides=overrides)


def deadline_compute(
    *,
    municipality: Municipality,
    start: dt.datetime,
    amount: int,
    unit: str,
    window: tuple[dt.time, dt.time] | None = None,
) -> dt.datetime:
    """Return the deadline `amount` units after `start` in this municipality's calendar."""
    return calendar_load(municipality=municipality).add(start, amount, unit, window=window)
