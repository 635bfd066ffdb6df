"""Database helpers the ORM does not offer."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models

BATCH_ROWS = 500  # well under PostgreSQL's 65,535 parameters per statement


def insert_rows(*, objs: Sequence[models.Model]) -> list[models.Model]:
    """Insert new rows of one model in one statement (per batch) and set their primary keys."""
    # What Model.save() and bulk_create() write, without their per-call overhead on a hot path
    # (no signals are sent). Rows come back in the order given, as bulk_create assumes.
    if not objs:
        return []
    fields = _insert_fields(objs[0])
    for start in range(0, len(objs), BATCH_ROWS):
        _insert_batch(list(objs[start : start + BATCH_ROWS]), fields, unique=None)
    return list(objs)


def insert_new(*, objs: Sequence[models.Model], unique_field: str) -> list[models.Model]:
    """Insert the rows whose unique field is not taken yet, in one statement; return them."""
    # ``INSERT ... ON CONFLICT (field) DO NOTHING RETURNING``: a row taken by an earlier or a
    # concurrent transaction is skipped without an error and without a savepoint. The returned
    # objects are the inserted ones, with their primary keys set (PostgreSQL; SQLite 3.35+).
    if not objs:
        return []
    fields = _insert_fields(objs[0])
    unique = objs[0]._meta.get_field(unique_field)
    by_key: dict = {}
    for obj in objs:
        # The same key twice in one call: the first one wins, as it would in the database.
        by_key.setdefault(getattr(obj, unique.attname), obj)
    pending = list(by_key.values())
    inserted: list[models.Model] = []
    for start in range(0, len(pending), BATCH_ROWS):
        inserted.extend(_insert_batch(pending[start : start + BATCH_ROWS], fields, unique))
    return inserted


def _insert_fields(obj: models.Model) -> list:
    return [f for f in obj._meta.concrete_fields if not f.primary_key]


def _insert_batch(objs: list[models.Model], fields: list, unique) -> list[models.Model]:
    """INSERT the objects; with a unique field, skip taken keys. Return those inserted."""
    meta = objs[0]._meta
    quote = connection.ops.quote_name
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list = []
    for obj in objs:
        params.extend(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
    returning = [quote(meta.pk.column)] + ([quote(unique.column)] if unique else [])
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row_sql] * len(objs))} "
        + (f"ON CONFLICT ({quote(unique.column)}) DO NOTHING " if unique else "")
        + f"RETURNING {', '.join(returning)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if unique is None:
        pairs = zip(objs, (row[0] for row in rows), strict=True)
    else:
        by_key = {getattr(obj, unique.attname): obj for obj in objs}
        pairs = ((by_key[key], pk) for pk, key in rows)
    inserted = []
    for obj, pk in pairs:
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
        inserted.append(obj)
    return inserted


def _unicode_upper(value):
    return value.upper() if isinstance(value, str) else value


def sqlite_unicode_functions(sender, connection, **kwargs) -> None:
    """Make SQLite's UPPER() fold every alphabet, not only ASCII (Cyrillic search needs it)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("upper", 1, _unicode_upper, deterministic=True)
