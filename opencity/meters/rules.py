"""The rules of a meter reading, as plain functions: one implementation for the resident's form
and the row-by-row import; the PostgreSQL import (imports/setbased.py) mirrors them in SQL and
the tests run both on the same rows.

A reading is for a period (a month). Its checks, in order (the first failure is reported):
the serial and period are readable, the period is not in the future, the meter is known
(and the importer's), every zone the meter has is given as a number with at most three
decimals and fits the counter's digits, no zone is given that the meter lacks, the meter and
period are not in the file twice, no later reading is recorded, a reading for the same period
is the same (then nothing changes) or it is a conflict, and no zone is below the previous
reading unless the counter rolled over (recorded as such). An accepted reading is flagged
when its monthly consumption exceeds `jump_factor` times the running average (the resident
confirms it), and when the meter's verification is overdue.

See docs/subsystems/imports.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from opencity.buildings.imports.values import BLANKS, FALSE_WORDS, TRUE_WORDS

MILLI = Decimal("0.001")
# A reading: digits, then at most three decimals after a point or a comma. Spaces are
# removed first (1 234,5). The SQL import uses the same pattern.
VALUE_PATTERN = r"^[0-9]{1,11}([.,][0-9]{1,3})?$"
VALUE_RE = re.compile(VALUE_PATTERN)
SPACES_RE = re.compile(r"[\s\u00a0\u202f]+")
# A period: 2025-03, 03.2025, 03/2025, or a date in it: 2025-03-15, 15.03.2025.
PERIOD_PATTERNS = {
    "ym": r"^([0-9]{4})-(0[1-9]|1[0-2])$",
    "my": r"^(0?[1-9]|1[0-2])[./]([0-9]{4})$",
    "ymd": r"^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    "dmy": r"^(0?[1-9]|[12][0-9]|3[01])\.(0?[1-9]|1[0-2])\.([0-9]{4})$",
}
_PERIOD_RES = {key: re.compile(pattern) for key, pattern in PERIOD_PATTERNS.items()}

# Error codes: (the file column they concern, the reason shown). Order is precedence.
ERRORS = (
    "serial_missing",
    "period_invalid",
    "period_future",
    "rollover_invalid",
    "meter_unknown",
    "meter_other_provider",
    "value_missing",
    "value_invalid",
    "zones_extra",
    "value_digits",
    "duplicate_row",
    "later_exists",
    "conflict_existing",
    "below_previous",
)
WARNINGS = ("implausible", "verification_overdue")
UNCHANGED = "unchanged"


def reason_text(code: str, params: dict | None = None) -> str:
    """Return what a code means to the person who sent the reading."""
    templates = {
        "serial_missing": _("The meter's serial number is missing."),
        "period_invalid": _("Not a month: write it as 2025-03 or 03.2025."),
        "period_future": _("The month has not come yet."),
        "rollover_invalid": _("Write yes or no."),
        "meter_unknown": _("No meter in service has this serial number."),
        "meter_other_provider": _("This meter's readings go to another provider."),
        "value_missing": _("The reading is missing."),
        "value_invalid": _("Not a reading: digits with at most three decimals, e.g. 1234,5."),
        "zones_extra": _("This meter has no such tariff zone."),
        "value_digits": _("More digits than the meter's counter has."),
        "duplicate_row": _("The same meter and month are already in row %(row)s."),
        "later_exists": _("A reading for a later month (%(period)s) is recorded."),
        "conflict_existing": _("A different reading is recorded for this month: %(value)s."),
        "below_previous": _(
            "Lower than the previous reading (%(value)s for %(period)s). If the counter passed "
            "its last digits and started again from zero, mark it as rolled over; if the meter "
            "was replaced, the new one is registered with its starting reading."
        ),
        "implausible": _(
            "Consumption %(rate)s a month is over %(factor)s times the average (%(avg)s)."
        ),
        "verification_overdue": _("The meter's verification was due on %(due)s."),
        UNCHANGED: _("Already recorded."),
    }
    template = templates[code]
    return template % (params or {}) if "%(" in template else template


def clean(value) -> str:
    """Return a cell as text the rules read (numbers from spreadsheets written plainly)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, int | Decimal):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def is_blank(text: str) -> bool:
    """Tell whether a cell says nothing: empty, or a blank marker such as "н/д" or "-"."""
    text = text.strip()
    if not text:
        return True
    if len(text) > 16 or text[-1].isdigit():  # no blank marker ends with a digit
        return False
    lowered = text.lower()
    return lowered in BLANKS or " ".join(lowered.split()) in BLANKS


def period_parse(text: str) -> dt.date | None:
    """Return the first day of the month a text names, or None."""
    text = text.strip()
    for key, pattern in _PERIOD_RES.items():
        match = pattern.match(text)
        if not match:
            continue
        if key == "ym":
            return dt.date(int(match[1]), int(match[2]), 1)
        if key == "my":
            return dt.date(int(match[2]), int(match[1]), 1)
        if key == "ymd":
            return dt.date(int(match[1]), int(match[2]), 1)
        return dt.date(int(match[3]), int(match[2]), 1)
    return None


def flag_parse(text: str) -> bool | None:
    """Return yes/no of a cell (blank is no), or None when unreadable."""
    if is_blank(text):
        return False
    lowered = text.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return None


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def add_months(day: dt.date, months: int) -> dt.date:
    index = month_index(day) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def verification_due(*, verified_on, install_date, years: int) -> dt.date | None:
    """Return when the meter must be verified again (None when its dates are unknown)."""
    base = verified_on or install_date
    if base is None:
        return None
    year = base.year + years
    day = min(base.day, calendar.monthrange(year, base.month)[1])
    return dt.date(year, base.month, day)


@dataclass(frozen=True)
class MeterFacts:
    """What the rules need of a meter."""

    zones: int
    digits: int
    initial: tuple[Decimal, Decimal, Decimal]
    install_date: dt.date | None
    verified_on: dt.date | None
    verification_years: int


@dataclass(frozen=True)
class Previous:
    """The reading before the period: its values, month, running average and months counted."""

    values: tuple[Decimal | None, Decimal | None, Decimal | None]
    period: dt.date
    avg: Decimal | None
    months: int


@dataclass(frozen=True)
class Limits:
    jump_factor: Decimal
    average_months: int
    min_history_months: int


@dataclass
class Evaluation:
    error: str = ""
    error_field: str = ""
    params: dict = field(default_factory=dict)
    unchanged: bool = False
    rollover: bool = False
    consumption: Decimal | None = None
    avg: Decimal | None = None
    months: int = 0
    implausible: bool = False
    overdue: bool = False
    warning_params: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error

    def fail(self, code: str, column: str = "", **params) -> Evaluation:
        self.error, self.error_field, self.params = code, column, params
        return self


def zone_column(zone: int) -> str:
    return f"value_t{zone}"


def zone_state(text: str) -> str | None:
    """Read one zone's cell: None when blank, "" when not a reading, else the number as text."""
    if not text:
        return None
    if VALUE_RE.match(text):  # the common case: no spaces to remove
        return text.replace(",", ".")
    if is_blank(text):
        return None
    compact = SPACES_RE.sub("", text)
    if not VALUE_RE.match(compact):
        return ""
    return compact.replace(",", ".")


def zones_check(states: tuple, *, zones: int, evaluation: Evaluation):
    """Apply the meter's zones to the cells: every zone it has, and none it lacks."""
    # Return the values, or None after failing the evaluation on the first bad zone.
    values: list[Decimal | None] = [None, None, None]
    for i, state in enumerate(states):
        zone = i + 1
        if zone <= zones:
            if state is None:
                evaluation.fail("value_missing", zone_column(zone))
                return None
            if state == "":
                evaluation.fail("value_invalid", zone_column(zone))
                return None
            values[i] = Decimal(state)
        elif state is not None:
            evaluation.fail("zones_extra", zone_column(zone))
            return None
    return tuple(values)


def _q(value: Decimal) -> Decimal:
    return value.quantize(MILLI, rounding=ROUND_HALF_UP)


def reading_evaluate(
    *,
    meter: MeterFacts,
    period: dt.date,
    values: tuple[Decimal | None, Decimal | None, Decimal | None],
    rollover: bool,
    previous: Previous | None,
    existing: tuple | None,
    later_period: dt.date | None,
    limits: Limits,
    today: dt.date,
    duplicate_of: int | None = None,
    evaluation: Evaluation | None = None,
) -> Evaluation:
    """Check a reading whose meter, period and zone values are known; compute what it records."""
    result = evaluation or Evaluation()
    top = Decimal(10) ** meter.digits
    for i in range(meter.zones):
        if values[i] >= top:
            return result.fail("value_digits", zone_column(i + 1))
    if duplicate_of is not None:
        return result.fail("duplicate_row", "serial_number", row=duplicate_of)
    if later_period is not None:
        return result.fail("later_exists", zone_column(1), period=later_period.strftime("%Y-%m"))
    if existing is not None:
        if tuple(existing) == tuple(values):
            result.unchanged = True
            return result
        shown = " / ".join(format(v, "f") for v in existing if v is not None)
        return result.fail("conflict_existing", zone_column(1), value=shown)
    if previous is not None:
        base = previous.values
        base_period: dt.date | None = previous.period
    else:
        base = meter.initial
        base_period = meter.install_date.replace(day=1) if meter.install_date else None
    consumption = Decimal(0)
    wrapped = False
    for i in range(meter.zones):
        before = base[i] if base[i] is not None else meter.initial[i]
        if values[i] < before:
            if not rollover:
                shown = format(before, "f")
                when = base_period.strftime("%Y-%m") if base_period else "—"
                return result.fail("below_previous", zone_column(i + 1), value=shown, period=when)
            wrapped = True
            consumption += top - before + values[i]
        else:
            consumption += values[i] - before
    result.rollover = wrapped
    result.consumption = _q(consumption)
    months = previous.months if previous is not None else 0
    avg = previous.avg if previous is not None and previous.avg is not None else Decimal(0)
    if base_period is None:
        result.avg, result.months = None, 0
    else:
        gap = max(month_index(period) - month_index(base_period), 1)
        rate = _q(consumption / gap)
        if months >= limits.min_history_months and avg > 0 and rate > limits.jump_factor * avg:
            result.implausible = True
            result.warning_params.update(rate=rate, factor=limits.jump_factor, avg=avg)
        window = min(months + 1, max(limits.average_months, 1))
        result.avg = _q(avg + (rate - avg) / window)
        result.months = min(months + 1, 999)
    due = verification_due(
        verified_on=meter.verified_on,
        install_date=meter.install_date,
        years=meter.verification_years,
    )
    if due is not None and due < today:
        result.overdue = True
        result.warning_params["due"] = due.isoformat()
    return result


@dataclass(frozen=True)
class WindowState:
    is_open: bool
    period: dt.date  # the month whose readings the (current or next) window takes
    opens_at: dt.datetime
    closes_at: dt.datetime  # the local midnight after the last day

    @property
    def closes_on(self) -> dt.date:
        """Return the window's last day (local)."""
        return (self.closes_at - dt.timedelta(seconds=1)).date()


def _day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def window_bounds(*, opens_day: int, closes_day: int, period: dt.date, tz: ZoneInfo):
    """Return when the window for a month's readings opens and closes (local midnights)."""
    opens = _day(period.year, period.month, opens_day)
    close_month = period if closes_day >= opens_day else add_months(period, 1)
    closes = _day(close_month.year, close_month.month, closes_day) + dt.timedelta(days=1)
    return (
        dt.datetime.combine(opens, dt.time(), tzinfo=tz),
        dt.datetime.combine(closes, dt.time(), tzinfo=tz),
    )


def window_state(*, opens_day: int, closes_day: int, now: dt.datetime, tz: ZoneInfo) -> WindowState:
    """Tell whether the window is open at a moment, and for which month (or the next one)."""
    local = now.astimezone(tz)
    this_month = dt.date(local.year, local.month, 1)
    for period in (add_months(this_month, -1), this_month, add_months(this_month, 1)):
        opens_at, closes_at = window_bounds(
            opens_day=opens_day, closes_day=closes_day, period=period, tz=tz
        )
        if now < closes_at:
            return WindowState(opens_at <= now, period, opens_at, closes_at)
    raise AssertionError("a window always closes within two months")  # pragma: no cover
