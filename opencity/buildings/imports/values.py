"""Reading messy cell values: blanks, comma decimals, Russian dates, yes/no."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext as _

# What exports write for "nobody filled this in" (after folding case, spaces and the
# punctuation around it: "Не заполнено.", "(данные отсутствуют)"). A cell of punctuation
# alone ("-", ".", "…", "?") is blank too.
BLANKS = {
    "",
    "не заполнено",
    "не заполнен",
    "не заполнена",
    "не заполнены",
    "незаполнено",
    "не указано",
    "не указан",
    "не указана",
    "не указаны",
    "нет данных",
    "данные отсутствуют",
    "данных нет",
    "сведения отсутствуют",
    "нет сведений",
    "информация отсутствует",
    "нет информации",
    "отсутствует",
    "отсутствуют",
    "н/д",
    "н/у",
    "n/a",
    "na",
    "null",
    "none",
    "nan",
    "#н/д",
}
# Placeholders that are a real answer where the question is yes or no.
YES_NO_ANSWERS = {"отсутствует", "отсутствуют"}
TRUE_WORDS = {"да", "yes", "true", "1", "y", "д", "+", "есть", "имеется", "аварийный"}
FALSE_WORDS = {"нет", "no", "false", "0", "n", "н", "отсутствует", "отсутствуют", "не аварийный"}

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_EDGES = " \t.,;:!?-—–…_*\"'«»()[]/\\"
_RU_DATE = re.compile(
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
    r"(?:\D+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)


class ValueProblem(ValueError):
    """A cell value that cannot be read; the message is the reason shown to the user."""


def blank_key(text: str) -> str:
    """Fold a short cell for the blank markers: case, spaces, punctuation around it."""
    return _SPACES.sub(" ", text.strip(_EDGES)).lower().replace("ё", "е")


@functools.lru_cache(maxsize=4096)
def _blank_text(text: str) -> str | None:
    """Return the blank marker a short text is, or None (cached: exports repeat a few markers)."""
    key = blank_key(text)
    return key if key in BLANKS else None


def is_blank(value, *, yes_no: bool = False) -> bool:
    """Tell whether a cell says nothing: empty, a placeholder or punctuation alone."""
    # `yes_no`: the cell answers a yes/no question, where "отсутствует" means no.
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return True
        # Every blank marker is short and starts with no digit: skip the rest.
        if len(text) > 40 or text[0].isdigit():
            return False
        key = _blank_text(text)
        return key is not None and not (yes_no and key in YES_NO_ANSWERS)
    return False


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # str.split() splits on every Unicode space (no-break ones too), as _SPACES matches.
    return " ".join(str(value).split())


def parse_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueProblem(_("not a number"))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = "".join(str(value).split()).replace(",", ".")
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
    text = blank_key(as_text(value))
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


def _text_reader(max_length: int | None):
    def read(value, tz):
        text = as_text(value)
        if max_length and len(text) > max_length:
            raise ValueProblem(_("longer than %d characters") % max_length)
        return text

    return read


def _int_reader(low: int, high: int):
    def read(value, tz):
        number = parse_int(value)
        if not low <= number <= high:
            raise ValueProblem(_("out of range"))
        return number

    return read


def _decimal_reader(places: int, digits: int):
    step = Decimal(1).scaleb(-places)
    top = Decimal(10) ** (digits - places)

    def read(value, tz):
        number = parse_decimal(value).quantize(step)
        if number < 0 or abs(number) >= top:
            raise ValueProblem(_("out of range"))
        return number

    return read


def _unsupported(value, tz):
    raise ValueProblem(_("cannot be imported"))


@functools.cache
def field_reader(field: models.Field):
    """Return the function reading a non-blank cell into the field (read once per field)."""
    kind = field.get_internal_type()
    if field.choices:
        return lambda value, tz: _choice(field, value)
    if kind in ("CharField", "TextField"):
        return _text_reader(field.max_length)
    if kind in _INT_RANGES:
        return _int_reader(*_INT_RANGES[kind])
    if kind == "DecimalField":
        return _decimal_reader(field.decimal_places, field.max_digits)
    if kind == "FloatField":
        return lambda value, tz: parse_float(value)
    if kind == "BooleanField":
        return lambda value, tz: parse_bool(value)
    if kind == "DateTimeField":
        return lambda value, tz: parse_datetime(value, tz=tz)
    if kind == "DateField":
        return lambda value, tz: parse_date(value)
    return _unsupported


def convert_for_field(field: models.Field, value, *, tz: ZoneInfo):
    """Convert a non-blank cell to the model field's Python value or raise ValueProblem."""
    return field_reader(field)(value, tz)


def blank_for_field(field: models.Field):
    """Return what an empty cell means for a field."""
    if field.null:
        return None
    if field.get_internal_type() == "BooleanField":
        return False
    return ""
