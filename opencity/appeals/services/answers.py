"""The answers to a category's questions, as a filing gives them: typed and checked.

A category's questions are data (CategoryQuestion, the Open311 attributes of a service); each
answer is converted to its question's datatype here, for every channel.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from opencity.appeals.models import Category, CategoryQuestion, QuestionType
from opencity.appeals.selectors.categories import category_questions

STRING_ANSWER_MAX_LENGTH = 300
TEXT_ANSWER_MAX_LENGTH = 5000


def _empty(value) -> bool:
    return (
        value is None
        or (isinstance(value, str | list | tuple | set) and not value)
        or (isinstance(value, str) and not value.strip())
    )


def _list_keys(question: CategoryQuestion) -> list[str]:
    return [str(item.get("key")) for item in question.values or [] if isinstance(item, dict)]


def _number_text(value) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def number_range_text(question: CategoryQuestion) -> str:
    """Say the range a number question's answer must lie in ("" when it has none)."""
    low, high = question.min_value, question.max_value
    if low is not None and high is not None:
        return _("Enter a number from %(min)s to %(max)s.") % {
            "min": _number_text(low),
            "max": _number_text(high),
        }
    if low is not None:
        return _("Enter a number of at least %(min)s.") % {"min": _number_text(low)}
    if high is not None:
        return _("Enter a number of at most %(max)s.") % {"max": _number_text(high)}
    return ""


def answer_clean(*, question: CategoryQuestion, value, time_zone: str):
    """Return an answer converted to its question's type (JSON-ready) or raise ValueError."""
    datatype = question.datatype
    if datatype in (QuestionType.STRING, QuestionType.TEXT):
        if not isinstance(value, str | int | float | Decimal):
            raise ValueError(_("Enter text."))
        text = str(value).strip()
        limit = (
            STRING_ANSWER_MAX_LENGTH if datatype == QuestionType.STRING else TEXT_ANSWER_MAX_LENGTH
        )
        if len(text) > limit:
            raise ValueError(_("Keep the answer under %(limit)d characters.") % {"limit": limit})
        return text
    if datatype == QuestionType.NUMBER:
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        try:
            number = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        low, high = (
            None if v is None else Decimal(str(v)) for v in (question.min_value, question.max_value)
        )
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(number_range_text(question))
        return int(number) if number == number.to_integral_value() else float(number)
    if datatype == QuestionType.DATETIME:
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime.combine(value, dt.time())
        else:
            try:
                moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(_("Enter a date and time such as 2026-01-31 14:30.")) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(time_zone))
        return moment.astimezone(dt.UTC).isoformat()
    if datatype == QuestionType.SINGLE:
        if isinstance(value, list | tuple) and len(value) == 1:
            value = value[0]
        key = str(value).strip()
        if key not in _list_keys(question):
            raise ValueError(_("Choose one of the offered values."))
        return key
    if datatype == QuestionType.MULTI:
        if isinstance(value, str):
            value = [part for part in value.split(",")]
        if not isinstance(value, list | tuple | set):
            raise ValueError(_("Choose from the offered values."))
        keys = _list_keys(question)
        chosen: list[str] = []
        for item in value:
            key = str(item).strip()
            if not key:
                continue
            if key not in keys:
                raise ValueError(_("Choose from the offered values."))
            if key not in chosen:
                chosen.append(key)
        if not chosen:
            raise ValueError(_("Choose at least one value."))
        return chosen
    raise ValueError(_("This question cannot be answered."))


def answers_clean(
    *, category: Category, answers: dict | None, time_zone: str, errors: dict[str, list[str]]
) -> dict:
    """Return the answers typed per the category's questions; add problems to errors."""
    if answers is not None and not isinstance(answers, dict):
        errors.setdefault("answers", []).append(_("Answers must be given by question."))
        answers = {}
    answers = dict(answers or {})
    cleaned: dict = {}
    questions = category_questions(category=category)
    known = {q.code for q in questions}
    for question in questions:
        field = f"answers.{question.code}"
        value = answers.get(question.code)
        if _empty(value):
            if question.required:
                errors.setdefault(field, []).append(_("This answer is required."))
            continue
        try:
            cleaned[question.code] = answer_clean(
                question=question, value=value, time_zone=time_zone
            )
        except ValueError as exc:
            errors.setdefault(field, []).append(str(exc))
    unknown = sorted(str(code) for code in answers if code not in known)
    if unknown:
        errors.setdefault("answers", []).append(
            _("Unknown questions: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return cleaned
