"""Write the read and checked rows of a registry import set-based, on PostgreSQL.

Every row was read, checked and converted in Python by the same code as the row-by-row
path (importer.Importer), which also computed each row's derived fields (search text, H3
cell, district). Here the rows meet the database in a few statements: COPY into a staging
table, one INSERT … SELECT for the new buildings (their ids drawn from the sequence up
front, so their contracts are written by COPY too), one UPDATE … FROM per set of columns
the rows carry, changing only the buildings whose values differ (RETURNING says which).
Manager changes of existing buildings go through the contracts service, one by one: they
are few in a re-import. An existing building whose row lacks a value that its derived
fields depend on (an unreadable coordinate) is written row by row, exactly as there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from opencity.buildings.imports.result import ImportResult, RowData
from opencity.buildings.imports.rowwise import BATCH_SIZE, write_batch
from opencity.buildings.models import Building
from opencity.organisations.models import ManagementContract

if TYPE_CHECKING:
    from opencity.buildings.imports.importer import Importer

STAGE = "buildings_import_stage"
_META = Building._meta
# The columns a row can set, in the table's order.
FIELDS = [f for f in _META.concrete_fields if f.attname not in ("id", "created_at", "updated_at")]
COLUMNS = [f.column for f in FIELDS]
_COLUMN_OF = {f.name: f.column for f in FIELDS}
# What the derived fields are computed from: an existing building's row must carry them all.
DERIVED_INPUTS = {
    "street",
    "house_number",
    "corpus",
    "structure",
    "locality_type",
    "locality_name",
    "locality_parent",
    "address",
    "lat",
    "lon",
}
DERIVED = ["search_text", "h3_cell"]
# The search's trigram index (migration 0003), and from how many new rows it is filled in bulk.
TRIGRAM_INDEX = "building_search_text_trgm"
BULK_INDEX_ROWS = 1000


@dataclass
class _Staged:
    data: RowData
    building: Building  # a fresh instance holding the row's values and derived fields
    target_id: int | None = None  # the building's id (drawn for a new one)
    is_new: bool = True
    group: int = -1  # which UPDATE writes it (rows carrying the same columns share one)
    keep_district: bool = False  # no district in the row: keep the building's, if none found


def _copy_text(value) -> str:
    """Render a value in COPY's text format."""
    if isinstance(value, str):  # choices are str subclasses
        value = str(value)
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        # PostgreSQL text cannot hold NUL.
        return value.replace("\x00", "") if "\x00" in value else value
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, Decimal | int | float | dt.date):
        return str(value)
    raise TypeError(f"cannot stage {type(value).__name__}")


def _existing(importer: Importer, rows: list[RowData]) -> tuple[dict, dict]:
    """Return the existing buildings the rows name: by external id and by id."""
    ext_ids = [r.external_id for r in rows if r.external_id]
    pks = [r.pk for r in rows if r.pk and not r.external_id]
    fields = ("id", "external_id", "management_company_id", "management_since")
    qs = Building.objects.filter(municipality=importer.municipality)
    by_ext = (
        {row[1]: row for row in qs.filter(external_id__in=ext_ids).values_list(*fields)}
        if ext_ids
        else {}
    )
    by_pk = {row[0]: row for row in qs.filter(pk__in=pks).values_list(*fields)} if pks else {}
    return by_ext, by_pk


class _Current:
    """Who manages an existing building now, as manager_changes reads it."""

    def __init__(self, row):
        self.pk, _ext, self.management_company_id, self.management_since = row


def _prepare(importer: Importer, rows: list[RowData]):
    """Split the rows into staged ones (new, or updatable in bulk) and those for row by row."""
    by_ext, by_pk = _existing(importer, rows)
    importer.managers.create_missing(
        [(r.manager_name, r.manager_link) for r in rows if r.manager_name]
    )
    staged: list[_Staged] = []
    by_hand: list[RowData] = []
    reassign: list[tuple[int, RowData, object]] = []
    groups: dict[frozenset, int] = {}
    for data in rows:
        current = by_ext.get(data.external_id) if data.external_id else by_pk.get(data.pk)
        if current is not None and not data.values.keys() >= DERIVED_INPUTS:
            by_hand.append(data)
            continue
        manager = importer.manager_wanted(data)
        building = importer.new_building()
        importer.apply(building, data, track=False)
        item = _Staged(data=data, building=building)
        if current is None:
            if manager:
                building.management_company = manager
                building.management_since = data.manager_since
        else:
            item.is_new = False
            item.target_id = current[0]
            item.keep_district = data.district_key is None
            item.group = groups.setdefault(frozenset(data.values), len(groups))
            if importer.manager_changes(_Current(current), data, manager):
                reassign.append((current[0], data, manager))
        staged.append(item)
    return staged, by_hand, reassign, groups


def _stage(cursor, staged: list[_Staged]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cursor.execute(
        f"CREATE TEMP TABLE {STAGE} ON COMMIT DROP AS SELECT {', '.join(COLUMNS)} "
        f"FROM {_META.db_table} WITH NO DATA"
    )
    cursor.execute(
        f"ALTER TABLE {STAGE} ADD COLUMN row_no integer, ADD COLUMN target_id bigint, "
        "ADD COLUMN is_new boolean, ADD COLUMN grp integer, ADD COLUMN keep_district boolean"
    )
    attnames = [f.attname for f in FIELDS]
    names = ", ".join([*COLUMNS, "row_no", "target_id", "is_new", "grp", "keep_district"])
    with cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
        lines = []
        for item in staged:
            b = item.building
            values = [_copy_text(getattr(b, name)) for name in attnames]
            values += [
                str(item.data.row),
                str(item.target_id),
                "t" if item.is_new else "f",
                str(item.group),
                "t" if item.keep_district else "f",
            ]
            lines.append("\t".join(values) + "\n")
            if len(lines) >= 2000:
                copy.write("".join(lines))
                lines.clear()
        if lines:
            copy.write("".join(lines))
    cursor.execute(f"ANALYZE {STAGE}")


def _insert(cursor, importer: Importer, now, count: int) -> None:
    """INSERT the new buildings; many of them go through the trigram index's pending list."""
    # The search's trigram index (migration 0003) is kept without GIN's pending list, so every
    # row inserts its trigrams one by one: nine tenths of a first import's time in the
    # database. For many rows this transaction alone turns the list on, inserts, moves the
    # list into the index in one sorted pass and turns it off again (ALTER INDEX is
    # transactional and takes a lock that blocks neither reads nor writes): searches after the
    # commit find the index as before.
    columns = ", ".join(COLUMNS)
    bulk = count >= BULK_INDEX_ROWS and _index_exists(cursor, TRIGRAM_INDEX)
    if bulk:
        cursor.execute(f"ALTER INDEX {TRIGRAM_INDEX} SET (fastupdate = on)")
    cursor.execute(
        f"INSERT INTO {_META.db_table} (id, {columns}, created_at, updated_at) "
        f"SELECT target_id, {columns}, %s, %s FROM {STAGE} WHERE is_new ORDER BY row_no",
        [now, now],
    )
    if bulk:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [TRIGRAM_INDEX])
        cursor.execute(f"ALTER INDEX {TRIGRAM_INDEX} SET (fastupdate = off)")


def _index_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return cursor.fetchone()[0]


def _contracts(cursor, importer: Importer, staged: list[_Staged]) -> None:
    """COPY the management contracts of the new buildings whose manager's start is known."""
    table = ManagementContract._meta.db_table
    lines = [
        f"{importer.municipality.pk}\t{b.management_company_id}\t{item.target_id}\t"
        f"{b.management_since.isoformat()}\t\\N\t\n"
        for item in staged
        if item.is_new and (b := item.building).management_company_id and b.management_since
    ]
    if not lines:
        return
    with cursor.copy(
        f"COPY {table} (municipality_id, organisation_id, building_id, start_date, end_date, "
        "document) FROM STDIN"
    ) as copy:
        for start in range(0, len(lines), 2000):
            copy.write("".join(lines[start : start + 2000]))


def _update(cursor, importer: Importer, groups: dict[frozenset, int], now) -> set[int]:
    """Write the changed existing buildings, one UPDATE per set of columns; return their rows."""
    # The staged rows find their buildings by primary key (their ids were read from this
    # municipality's buildings): an index look-up each, whatever the statistics of a table
    # that has just grown by thousands of rows say.
    district = (
        "CASE WHEN s.keep_district THEN COALESCE(s.district_id, b.district_id) "
        "ELSE s.district_id END"
    )
    external = "CASE WHEN s.external_id <> '' THEN s.external_id ELSE b.external_id END"
    changed: set[int] = set()
    for names, group in groups.items():
        columns = sorted({_COLUMN_OF[n] for n in names if n in _COLUMN_OF} | set(DERIVED))
        columns = [c for c in columns if c not in ("district_id", "external_id")]
        sets = ", ".join(f"{c} = s.{c}" for c in columns)
        mine = ", ".join([*(f"b.{c}" for c in columns), "b.district_id", "b.external_id"])
        theirs = ", ".join([*(f"s.{c}" for c in columns), district, external])
        cursor.execute(
            f"UPDATE {_META.db_table} AS b SET {sets}, district_id = {district}, "
            f"external_id = {external}, updated_at = %s FROM {STAGE} AS s "
            f"WHERE s.grp = %s AND NOT s.is_new AND b.id = s.target_id "
            f"AND ({mine}) IS DISTINCT FROM ({theirs}) RETURNING s.row_no",
            [now, group],
        )
        changed.update(row for (row,) in cursor.fetchall())
    return changed


def _new_ids(cursor, count: int) -> list[int]:
    if not count:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [_META.db_table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _write(importer: Importer, rows: list[RowData], result: ImportResult) -> list[RowData]:
    """Write the rows set-based; return those left to the row-by-row writer."""
    staged, by_hand, reassign, groups = _prepare(importer, rows)
    new = [item for item in staged if item.is_new]
    now = timezone.now()
    with connection.cursor() as cursor:
        for item, pk in zip(new, _new_ids(cursor, len(new)), strict=True):
            item.target_id = pk
        if staged:
            _stage(cursor, staged)
            _insert(cursor, importer, now, len(new))
            _contracts(cursor, importer, new)
            changed = _update(cursor, importer, groups, now)
            cursor.execute(f"DROP TABLE {STAGE}")
        else:
            changed = set()
    buildings = Building.objects.in_bulk([pk for pk, _d, _m in reassign])
    # A change of manager the contracts refuse (reported) changes nothing.
    reassigned = {d.row for pk, d, m in reassign if importer.manager_reassign(buildings[pk], d, m)}
    updated = changed | reassigned
    result.created += len(new)
    result.updated += len(updated)
    result.unchanged += len(staged) - len(new) - len(updated)
    return by_hand


def import_setbased(importer: Importer, rows: list[RowData], result: ImportResult) -> None:
    """Write the good rows set-based, the few it cannot row by row; report them all."""
    issues = [len(data.issues) for data in rows]
    counts = (result.created, result.updated, result.unchanged)
    try:
        with transaction.atomic():
            by_hand = _write(importer, rows, result)
    except DatabaseError:
        # A row the database refuses (or a building another import created meanwhile):
        # undo, and let the row-by-row writer find and report it.
        for data, count in zip(rows, issues, strict=True):
            del data.issues[count:]
        result.created, result.updated, result.unchanged = counts
        importer.managers_forget()
        by_hand = rows
    for start in range(0, len(by_hand), BATCH_SIZE):
        write_batch(importer, by_hand[start : start + BATCH_SIZE], result)
    for data in rows:
        result.errors.extend(data.issues)
