"""Readable appeal numbers unique within a municipality and year, e.g. KZN-2026-000123."""

from __future__ import annotations

from django.db import transaction

from opencity.appeals.models import AppealNumberCounter
from opencity.core.models import Municipality


def appeal_number_format(*, municipality: Municipality, year: int, value: int) -> str:
    """Format a counter value as the appeal number residents see."""
    prefix = (municipality.code or municipality.slug).upper()
    return f"{prefix}-{year}-{value:06d}"


def appeal_number_next(*, municipality: Municipality, year: int) -> str:
    """Take the next number of the municipality's year under a row lock on its counter."""
    counters = AppealNumberCounter.objects.select_for_update()
    with transaction.atomic():
        counter = counters.filter(municipality=municipality, year=year).first()
        if counter is None:
            # The year's first number: get_or_create re-reads when a concurrent transaction
            # inserted the row first (IntegrityError inside a savepoint), then we lock it.
            AppealNumberCounter.objects.get_or_create(municipality=municipality, year=year)
            counter = counters.get(municipality=municipality, year=year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
    return appeal_number_format(municipality=municipality, year=year, value=counter.last_value)
