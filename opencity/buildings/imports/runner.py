"""Run an import: read and check every row, then write the good ones.

On PostgreSQL the rows are written set-based (imports/setbased.py: COPY into a staging
table, one INSERT … SELECT and a few UPDATE … FROM); elsewhere row by row in batches
(imports/rowwise.py). Both read, check and report with the same code, so the report
is the same row for row; the set-based path hands the rows it cannot write in bulk (an
existing building whose row lacks a value its derived fields need) to the row-by-row one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from opencity.buildings.imports.formats import OWN, REFORMA, format_detect
from opencity.buildings.imports.importer import Importer
from opencity.buildings.imports.managers import organisation_name_key
from opencity.buildings.imports.precheck import coordinates_precheck
from opencity.buildings.imports.readers import ImportFileError, table_read
from opencity.buildings.imports.result import ImportIssue, ImportResult, RowData
from opencity.buildings.imports.rowwise import BATCH_SIZE, write_batch
from opencity.buildings.imports.setbased import import_setbased
from opencity.core.models import Municipality

METHODS = ("auto", "set", "row")
Progress = Callable[[int, int], None]


def building_import(
    *,
    municipality: Municipality,
    source: str | Path | BinaryIO,
    filename: str = "",
    fmt: str = "auto",
    dry_run: bool = False,
    progress: Progress | None = None,
    method: str = "auto",
) -> ImportResult:
    """Import buildings from CSV or XLSX; report bad rows and keep the good ones."""
    # `method`: 'set' writes set-based (PostgreSQL only), 'row' row by row; 'auto' picks the
    # set-based path on PostgreSQL. The report is the same either way.
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    if method == "auto":
        method = "set" if connection.vendor == "postgresql" else "row"
    if method == "set" and connection.vendor != "postgresql":
        raise ValueError("the set-based import needs PostgreSQL")
    table = table_read(source, filename=filename)
    detected = format_detect(table.header)
    if fmt == "auto":
        if detected is None:
            raise ImportFileError(
                _(
                    "Unknown columns: expected our own format (an 'address' column) "
                    "or the Реформа ЖКХ export (HOUSE_ID, ADDRESS)."
                )
            )
        fmt = detected
    elif fmt not in (OWN, REFORMA):
        raise ImportFileError(_("Unknown format %r.") % fmt)
    elif detected != fmt:
        raise ImportFileError(_("The header does not match the %s format.") % fmt)
    coordinates_precheck(municipality=municipality, table=table, fmt=fmt)
    result = ImportResult(format=fmt, dry_run=dry_run, total=len(table.rows), method=method)
    importer = Importer(municipality=municipality, fmt=fmt, header=table.header)
    result.ignored_columns = list(importer.ignored)
    with transaction.atomic():
        if method == "set":
            _import_set(importer, table.rows, result, progress)
        else:
            _import_rows(importer, table.rows, result, progress)
        if progress:
            progress(len(table.rows), len(table.rows))
        if dry_run:
            transaction.set_rollback(True)
    result.errors.sort(key=lambda issue: (issue.row, issue.fatal is False))
    return result


def _read(importer: Importer, number: int, cells: list, result: ImportResult) -> RowData | None:
    """Read one row; count and report it when it fails, return it when it is to be written."""
    data = importer.read_row(number, cells)
    if data is None:
        result.total -= 1
        return None
    if data.failed:
        result.failed += 1
        result.errors.extend(data.issues)
        return None
    return data


def _import_rows(importer: Importer, rows, result: ImportResult, progress) -> None:
    batch: list[RowData] = []
    for done, (number, cells) in enumerate(rows, start=1):
        data = _read(importer, number, cells, result)
        if data is None:
            continue
        batch.append(data)
        if len(batch) >= BATCH_SIZE:
            _flush(importer, batch, result)
            batch = []
            if progress:
                progress(done, len(rows))
    if batch:
        _flush(importer, batch, result)


def _import_set(importer: Importer, rows, result: ImportResult, progress) -> None:
    good: list[RowData] = []
    for done, (number, cells) in enumerate(rows, start=1):
        data = _read(importer, number, cells, result)
        if data is not None:
            good.append(data)
        if progress and done % BATCH_SIZE == 0:
            progress(done, len(rows))
    import_setbased(importer, good, result)


def _flush(importer: Importer, batch: list[RowData], result: ImportResult) -> None:
    write_batch(importer, batch, result)
    for data in batch:
        result.errors.extend(data.issues)


__all__ = ["BATCH_SIZE", "ImportIssue", "ImportResult", "building_import", "organisation_name_key"]
