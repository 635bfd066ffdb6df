"""Database helpers the ORM does not offer."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models

BATCH_ROWS = 500  # well under PostgreSQL's 65,535 parameters per statement


def insert_new(*, objs: Sequence[models.Model], unique_field: str) -> list[models.Model]:
    """Insert the rows whose unique field is not taken yet, in one statement; return them.

    ``INSERT ... ON CONFLICT (field) DO NOTHING RETURNING``: a row taken by an earlier or a
    concurrent transaction is skipped without an error and without a savepoint. The returned
    objects are the inserted ones, with their primary keys set (PostgreSQL; SQLite 3.35+).
    """
    if not objs:
        return []
    model = type(objs[0])
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    unique = meta.get_field(unique_field)
    by_key: dict = {}
    for obj in objs:
        # The same key twice in one call: the first one wins, as it would in the database.
        by_key.setdefault(getattr(obj, unique.attname), obj)
    pending = list(by_key.values())
    inserted: list[models.Model] = []
    for start in range(0, len(pending), BATCH_ROWS):
        inserted.extend(_insert_batch(pending[start : start + BATCH_ROWS], fields, unique))
    return inserted


def _insert_batch(objs: list[models.Model], fields: list, unique) -> list[models.Model]:
    meta = objs[0]._meta
    quote = connection.ops.quote_name
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list = []
    for obj in objs:
        params.extend(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row_sql] * len(objs))} "
        f"ON CONFLICT ({quote(unique.column)}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}, {quote(unique.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_key = {getattr(obj, unique.attname): obj for obj in objs}
    inserted = []
    for pk, key in rows:
        obj = by_key[key]
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
