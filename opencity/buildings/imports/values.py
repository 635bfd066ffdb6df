"""Reading messy cell values: blanks, comma decimals, Russian dates, yes/no."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext as _

BLANKS = {
    "",
    "-",
    "—",
    "–",
    "не заполнено",
    "незаполнено",
    "не указано",
    "нет данных",
    "н/д",
    "n/a",
    "null",
    "none",
    "nan",
}
TRUE_WORDS = {"да", "yes", "true", "1", "y", "д", "+", "есть", "имеется", "аварийный"}
FALSE_WORDS = {"нет", "no", "false", "0", "n", "н", "отсутствует", "не аварийный"}

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_RU_DATE = re.compile(
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
    r"(?:\D+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)


class ValueProblem(ValueError):
    """A cell value that cannot be read; the message is the reason shown to the user."""


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return True
        # Every blank marker is short: skip the folding for real values.
        return len(text) <= 16 and _SPACES.sub(" ", text).lower() in BLANKS
    return False


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


def parse_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueProblem(_("not a number"))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _SPACES.sub("", str(value)).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueProblem(_("not a number")) from None
    if not number.is_finite():
        raise ValueProblem(_("not a number"))
    return number


def parse_int(value) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValueProblem(_("not a whole number"))
    return int(number)


def parse_float(value) -> float:
    return float(parse_decimal(value))


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueProblem(_("expected yes or no"))


def parse_datetime(value, *, tz: ZoneInfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime.combine(value, dt.time())
    else:
        text = as_text(value)
        match = _RU_DATE.match(text)
        try:
            if match:
                result = dt.datetime(
                    int(match["y"]),
                    int(match["m"]),
                    int(match["d"]),
                    int(match["H"] or 0),
                    int(match["M"] or 0),
                    int(match["S"] or 0),
                )
            else:
                result = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueProblem(_("not a date (expected DD.MM.YYYY)")) from None
    if result.tzinfo is None:
        result = result.replace(tzinfo=tz)
    return result


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value)
    match = _RU_DATE.match(text)
    try:
        if match:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueProblem(_("not a date (expected DD.MM.YYYY)")) from None


_INT_RANGES = {
    "PositiveSmallIntegerField": (0, 32767),
    "SmallIntegerField": (-32768, 32767),
    "PositiveIntegerField": (0, 2147483647),
    "IntegerField": (-2147483648, 2147483647),
}


def _choice(field: models.Field, value) -> str:
    text = as_text(value)
    lowered = text.lower()
    for key, label in field.choices:
        if lowered in (str(key).lower(), str(label).lower()):
            return key
    raise ValueProblem(
        _("unknown value; expected one of: %s") % ", ".join(str(k) for k, _l in field.choices)
    )


def convert_for_field(field: models.Field, value, *, tz: ZoneInfo):
    """Convert a non-blank cell to the model field's Python value or raise ValueProblem."""
    kind = field.get_internal_type()
    if field.choices:
        return _choice(field, value)
    if kind in ("CharField", "TextField"):
        text = as_text(value)
        if field.max_length and len(text) > field.max_length:
            raise ValueProblem(_("longer than %d characters") % field.max_length)
        return text
    if kind in _INT_RANGES:
        number = parse_int(value)
        low, high = _INT_RANGES[kind]
        if not low <= number <= high:
            raise ValueProblem(_("out of range"))
        return number
    if kind == "DecimalField":
        number = parse_decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
        if number < 0 or abs(number) >= Decimal(10) ** (field.max_digits - field.decimal_places):
            raise ValueProblem(_("out of range"))
        return number
    if kind == "FloatField":
        return parse_float(value)
    if kind == "BooleanField":
        return parse_bool(value)
    if kind == "DateTimeField":
        return parse_datetime(value, tz=tz)
    if kind == "DateField":
        return parse_date(value)
    raise ValueProblem(_("cannot be imported"))


def blank_for_field(field: models.Field):
    """Return what an empty cell means for a field."""
    if field.null:
        return None
    if field.get_internal_type() == "BooleanField":
        return False
    return ""
