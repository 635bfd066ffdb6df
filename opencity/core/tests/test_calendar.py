"""Deadline arithmetic: one table per kind of time, on a calendar with every kind of day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from opencity.core.calendar import TimeUnit, calendar_load, deadline_compute
from opencity.core.calendar_seeds import calendar_seed
from opencity.core.models import CalendarDayKind, CalendarOverride
from opencity.core.tests.factories import MunicipalityFactory

MSK = ZoneInfo("Europe/Moscow")
CHUTE = (dt.time(8), dt.time(23))  # garbage chutes: counted only 08:00–23:00
NIGHT = (dt.time(22), dt.time(6))  # an overnight window


def msk(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=MSK)


@pytest.fixture
def city(db):
    """Moscow time, working 09:00–18:00, and a March 2026 with one day of every kind."""
    # Mon 9 Mar is a national holiday (8 March on a Sunday); the overrides add Wed 11 (shortened
    # to 16:00), Thu 12 (shortened, default: an hour early), Sat 14 (a transferred working
    # Saturday) and Mon 16 (a transferred day off).
    municipality = MunicipalityFactory(time_zone="Europe/Moscow", country="RU")
    for day, kind, end in [
        ("2026-03-11", CalendarDayKind.SHORT, dt.time(16)),
        ("2026-03-12", CalendarDayKind.SHORT, None),
        ("2026-03-14", CalendarDayKind.WORKING, None),
        ("2026-03-16", CalendarDayKind.HOLIDAY, None),
    ]:
        CalendarOverride.objects.create(
            municipality=municipality, date=dt.date.fromisoformat(day), kind=kind, work_day_end=end
        )
    return municipality


def compute(city, start, amount, unit, window=None):
    result = deadline_compute(
        municipality=city, start=start, amount=amount, unit=unit, window=window
    )
    assert result.utcoffset() == dt.timedelta(0), "deadlines leave in UTC"
    return result.astimezone(MSK)


CALENDAR_TIME = [
    # (start, amount, unit, expected) — calendar time ignores nights, weekends and holidays
    (msk("2026-03-10", "23:50"), 30, TimeUnit.MINUTES, msk("2026-03-11", "00:20")),
    (msk("2026-03-13", "23:00"), 2, TimeUnit.HOURS, msk("2026-03-14", "01:00")),
    (msk("2026-03-13", "10:00"), 1, TimeUnit.DAYS, msk("2026-03-14", "10:00")),
    (msk("2025-12-31", "10:00"), 3, TimeUnit.DAYS, msk("2026-01-03", "10:00")),
    (msk("2026-03-08", "10:00"), 6, TimeUnit.HOURS, msk("2026-03-08", "16:00")),
    (msk("2026-03-10", "10:15"), 0, TimeUnit.MINUTES, msk("2026-03-10", "10:15")),
    (msk("2026-03-10", "10:15"), 0, TimeUnit.DAYS, msk("2026-03-10", "10:15")),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "amount", "unit", "expected"), CALENDAR_TIME)
def test_calendar_time(city, start, amount, unit, expected):
    assert compute(city, start, amount, unit) == expected


WINDOWED = [
    # the garbage chute: 2 hours, counted only 08:00–23:00
    (msk("2026-03-10", "10:00"), 2, TimeUnit.HOURS, CHUTE, msk("2026-03-10", "12:00")),
    (msk("2026-03-10", "21:00"), 2, TimeUnit.HOURS, CHUTE, msk("2026-03-10", "23:00")),
    (msk("2026-03-10", "22:30"), 2, TimeUnit.HOURS, CHUTE, msk("2026-03-11", "09:30")),
    (msk("2026-03-10", "03:00"), 2, TimeUnit.HOURS, CHUTE, msk("2026-03-10", "10:00")),
    (msk("2026-03-10", "23:30"), 90, TimeUnit.MINUTES, CHUTE, msk("2026-03-11", "09:30")),
    # the window is daily: holidays and weekends do not stop it
    (msk("2026-01-01", "22:00"), 2, TimeUnit.HOURS, CHUTE, msk("2026-01-02", "09:00")),
    (msk("2026-03-14", "22:59"), 2, TimeUnit.HOURS, CHUTE, msk("2026-03-15", "09:59")),
    # zero waits for the window to open
    (msk("2026-03-10", "02:00"), 0, TimeUnit.MINUTES, CHUTE, msk("2026-03-10", "08:00")),
    (msk("2026-03-10", "09:00"), 0, TimeUnit.MINUTES, CHUTE, msk("2026-03-10", "09:00")),
    # days inside a window start when it opens, then keep the wall clock
    (msk("2026-03-10", "02:00"), 1, TimeUnit.DAYS, CHUTE, msk("2026-03-11", "08:00")),
    (msk("2026-03-10", "12:00"), 1, TimeUnit.DAYS, CHUTE, msk("2026-03-11", "12:00")),
    (msk("2026-03-10", "23:30"), 1, TimeUnit.DAYS, CHUTE, msk("2026-03-12", "08:00")),
    # an overnight window (22:00–06:00), entered before and after midnight
    (msk("2026-03-10", "05:00"), 2, TimeUnit.HOURS, NIGHT, msk("2026-03-10", "23:00")),
    (msk("2026-03-10", "23:00"), 2, TimeUnit.HOURS, NIGHT, msk("2026-03-11", "01:00")),
    (msk("2026-03-10", "12:00"), 9, TimeUnit.HOURS, NIGHT, msk("2026-03-11", "23:00")),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "amount", "unit", "window", "expected"), WINDOWED)
def test_daily_window(city, start, amount, unit, window, expected):
    assert compute(city, start, amount, unit, window) == expected


WORKING_HOURS = [
    # 09:00–18:00 on working days
    (msk("2026-03-10", "10:00"), 4, msk("2026-03-10", "14:00")),
    (msk("2026-03-10", "16:00"), 4, msk("2026-03-11", "11:00")),  # across the night
    (msk("2026-03-10", "18:00"), 1, msk("2026-03-11", "10:00")),  # exactly at closing time
    (msk("2026-03-10", "07:00"), 1, msk("2026-03-10", "10:00")),  # before opening
    (msk("2026-03-06", "16:00"), 4, msk("2026-03-10", "11:00")),  # weekend + national holiday
    (msk("2026-03-11", "14:00"), 3, msk("2026-03-12", "10:00")),  # shortened to 16:00
    (msk("2026-03-12", "16:30"), 2, msk("2026-03-13", "10:30")),  # shortened by an hour: 17:00
    (msk("2026-03-13", "15:00"), 10, msk("2026-03-14", "16:00")),  # working Saturday
    (msk("2026-03-14", "17:00"), 2, msk("2026-03-17", "10:00")),  # Sunday + transferred day off
    (msk("2026-03-15", "12:00"), 0, msk("2026-03-17", "09:00")),  # zero waits for work
    (msk("2026-03-10", "12:00"), 0, msk("2026-03-10", "12:00")),
    (msk("2025-12-30", "17:00"), 2, msk("2026-01-12", "10:00")),  # the New Year holidays
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "amount", "expected"), WORKING_HOURS)
def test_working_hours(city, start, amount, expected):
    assert compute(city, start, amount, TimeUnit.WORKING_HOURS) == expected


WORKING_DAYS = [
    # the end of the n-th working day after the start day
    (msk("2026-03-10", "10:00"), 1, msk("2026-03-11", "16:00")),  # shortened to 16:00
    (msk("2026-03-11", "10:00"), 1, msk("2026-03-12", "17:00")),  # shortened by an hour
    (msk("2026-03-13", "10:00"), 1, msk("2026-03-14", "18:00")),  # working Saturday
    (msk("2026-03-13", "10:00"), 2, msk("2026-03-17", "18:00")),  # Sun + transferred day off
    (msk("2026-03-06", "23:00"), 1, msk("2026-03-10", "18:00")),  # weekend + 8 March observed
    (msk("2026-03-02", "10:00"), 10, msk("2026-03-17", "18:00")),  # ten, across all of it
    (msk("2025-12-30", "10:00"), 5, msk("2026-01-16", "18:00")),  # the New Year holidays
    (msk("2026-03-10", "12:00"), 0, msk("2026-03-10", "18:00")),  # zero: end of today
    (msk("2026-03-10", "19:00"), 0, msk("2026-03-11", "16:00")),  # zero after hours: next day
    (msk("2026-03-15", "12:00"), 0, msk("2026-03-17", "18:00")),  # zero on a day off
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "amount", "expected"), WORKING_DAYS)
def test_working_days(city, start, amount, expected):
    assert compute(city, start, amount, TimeUnit.WORKING_DAYS) == expected


@pytest.mark.django_db
def test_utc_in_and_out(city):
    start = dt.datetime(2026, 3, 10, 6, 0, tzinfo=dt.UTC)  # 09:00 in Moscow
    result = deadline_compute(municipality=city, start=start, amount=1, unit="working_hours")
    assert result == dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)
    assert result.tzinfo is dt.UTC
    # a start in another zone means the same instant
    yekaterinburg = start.astimezone(ZoneInfo("Asia/Yekaterinburg"))
    assert (
        deadline_compute(municipality=city, start=yekaterinburg, amount=1, unit="working_hours")
        == result
    )


@pytest.mark.django_db
def test_moscow_has_no_daylight_saving(city):
    winter = deadline_compute(municipality=city, start=msk("2026-01-15"), amount=1, unit="days")
    summer = deadline_compute(municipality=city, start=msk("2026-07-15"), amount=1, unit="days")
    assert winter.astimezone(MSK).hour == summer.astimezone(MSK).hour == 12
    assert winter.hour == summer.hour == 9  # always UTC+3


@pytest.mark.django_db
def test_zone_with_daylight_saving_counts_real_hours():
    berlin = ZoneInfo("Europe/Berlin")
    city = MunicipalityFactory(time_zone="Europe/Berlin", country="DE")
    before = dt.datetime(2026, 3, 29, 1, 30, tzinfo=berlin)  # clocks jump 02:00 -> 03:00
    hours = deadline_compute(municipality=city, start=before, amount=2, unit="hours")
    assert hours.astimezone(berlin) == dt.datetime(2026, 3, 29, 4, 30, tzinfo=berlin)
    assert hours - before == dt.timedelta(hours=2)
    days = deadline_compute(municipality=city, start=before, amount=1, unit="days")
    assert days.astimezone(berlin).time() == dt.time(1, 30)  # a day keeps the wall clock
    window = deadline_compute(
        municipality=city, start=before, amount=4, unit="hours", window=(dt.time(0), dt.time(23))
    )
    assert window - before == dt.timedelta(hours=4)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "amount", "unit"),
    [
        (dt.datetime(2026, 3, 10, 12), 1, "hours"),  # naive
        (msk("2026-03-10"), -1, "hours"),
        (msk("2026-03-10"), 1, "fortnights"),
    ],
)
def test_refuses_nonsense(city, start, amount, unit):
    with pytest.raises(ValueError):
        deadline_compute(municipality=city, start=start, amount=amount, unit=unit)


@pytest.mark.django_db
def test_calendar_loaded_once_answers_many_questions(city, django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = calendar_load(municipality=city)
        assert calendar.is_working_day(dt.date(2026, 3, 14))
        assert not calendar.is_working_day(dt.date(2026, 3, 16))
        assert not calendar.is_working_day(dt.date(2026, 3, 9))
        assert calendar.working_interval(dt.date(2026, 3, 12))[1].time() == dt.time(17)


@pytest.mark.django_db
def test_seed_calendar_writes_the_production_calendar_once():
    kazan = MunicipalityFactory(slug="kazan-cal", subdivision="TA")
    other = MunicipalityFactory(slug="elsewhere", subdivision="")
    call_command("seed_calendar", "--municipality", "kazan-cal")
    first = CalendarOverride.objects.filter(municipality=kazan).count()
    call_command("seed_calendar", "--municipality", "kazan-cal")
    assert CalendarOverride.objects.filter(municipality=kazan).count() == first > 40
    calendar_seed(municipality=other)

    kazan_calendar = calendar_load(municipality=kazan)
    other_calendar = calendar_load(municipality=other)
    # a working Saturday, shortened before the holidays
    assert kazan_calendar.working_interval(dt.date(2025, 11, 1))[1].time() == dt.time(17)
    # regional holidays only in Tatarstan
    for day in (dt.date(2025, 11, 6), dt.date(2025, 6, 6)):
        assert not kazan_calendar.is_working_day(day)
        assert other_calendar.is_working_day(day)
    # the deadline follows: Friday 31 Oct 2025 + 1 working day = the working Saturday
    due = deadline_compute(
        municipality=kazan, start=msk("2025-10-31"), amount=1, unit="working_days"
    )
    assert due == msk("2025-11-01", "17:00")
    # 5 Nov 2025 is shortened in Tatarstan (6 Nov is a holiday there): 3 working days after
    # Friday 31 Oct are Sat 1, Wed 5, Fri 7 (3–4 Nov off nationally, 6 Nov regionally)
    due = deadline_compute(
        municipality=kazan, start=msk("2025-10-31"), amount=3, unit="working_days"
    )
    assert due == msk("2025-11-07", "18:00")
    uncertain = CalendarOverride.objects.get(municipality=kazan, date=dt.date(2026, 5, 27))
    assert uncertain.name.endswith("(?)")
