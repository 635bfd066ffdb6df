"""Readable appeal numbers unique within a municipality and year, e.g. KZN-2026-000123."""

from __future__ import annotations

from django.db import connection

from opencity.appeals.models import AppealNumberCounter
from opencity.core.models import Municipality


def appeal_number_format(*, municipality: Municipality, year: int, value: int) -> str:
    """Format a counter value as the appeal number residents see."""
    prefix = (municipality.code or municipality.slug).upper()
    return f"{prefix}-{year}-{value:06d}"


def _counter_increment(*, municipality_id: int, year: int) -> int | None:
    """Add one to the year's counter in one statement (its row lock lasts only that long)."""
    table = connection.ops.quote_name(AppealNumberCounter._meta.db_table)
    with connection.cursor() as cursor:
        # UPDATE ... RETURNING: PostgreSQL, and SQLite since 3.35.
        cursor.execute(
            f"UPDATE {table} SET last_value = last_value + 1 "  # noqa: S608 - a model's own table
            "WHERE municipality_id = %s AND year = %s RETURNING last_value",
            [municipality_id, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def appeal_number_next(*, municipality: Municipality, year: int) -> str:
    """Take the next number of the municipality's year from its counter, race-free."""
    value = _counter_increment(municipality_id=municipality.pk, year=year)
    if value is None:
        # The year's first number: get_or_create re-reads when a concurrent transaction
        # inserted the row first (IntegrityError inside a savepoint), then we increment it.
        AppealNumberCounter.objects.get_or_create(municipality=municipality, year=year)
        value = _counter_increment(municipality_id=municipality.pk, year=year)
    return appeal_number_format(municipality=municipality, year=year, value=value)
