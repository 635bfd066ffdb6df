"""Bulk import of meter readings (CSV/XLSX) with a row-level report that keeps every good row.

On PostgreSQL the rows are checked set-based (imports/setbased.py); elsewhere row by row
(imports/rowwise.py). Both apply the rules of opencity/meters/rules.py and report alike.

See docs/subsystems/imports.md.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from opencity.buildings.imports.readers import ImportFileError
from opencity.core.models import Municipality
from opencity.meters.imports.common import (
    Outcome,
    Preparer,
    context_make,
    outcome_store,
)
from opencity.meters.imports.reader import reading_rows
from opencity.meters.imports.rowwise import import_rowwise
from opencity.meters.imports.setbased import import_setbased
from opencity.meters.models import ReadingImport
from opencity.organisations.models import Organisation

METHODS = ("auto", "set", "row")


def readings_import(
    *,
    municipality: Municipality,
    data: bytes,
    filename: str,
    actor=None,
    provider: Organisation | None = None,
    method: str = "auto",
) -> ReadingImport:
    """Import readings from a file; return the import with its counts and its report."""
    # A file that cannot be read raises ImportFileError and imports nothing. Otherwise every
    # good row is recorded and every bad one is reported with its row, column and reason.
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    if method == "auto":
        method = "set" if connection.vendor == "postgresql" else "row"
    if method == "set" and connection.vendor != "postgresql":
        raise ValueError("the set-based import needs PostgreSQL")
    rows = reading_rows(data, filename=filename)
    started = time.monotonic()
    with transaction.atomic():
        batch = ReadingImport.objects.create(
            municipality=municipality,
            provider=provider,
            created_by=actor if actor is not None and actor.is_authenticated else None,
            filename=filename[:255],
            method=method,
        )
        ctx = context_make(municipality=municipality, provider=provider, batch=batch)
        outcome = Outcome()
        preparer = Preparer(ctx)
        if method == "set":
            import_setbased(rows.rows, preparer=preparer, ctx=ctx, outcome=outcome)
        else:
            prepared = []
            for number, texts in rows.rows:
                outcome.total += 1
                item = preparer.prepare(number, texts, outcome)
                if item is not None:
                    prepared.append(item)
            import_rowwise(prepared, ctx=ctx, outcome=outcome)
        return outcome_store(batch, outcome, seconds=time.monotonic() - started)


__all__ = ["ImportFileError", "readings_import"]
