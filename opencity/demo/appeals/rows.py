"""Writing demo rows fast: keys past the table's maximum and executemany INSERTs."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from opencity.appeals.models import Appeal, Status

BATCH_SIZE = 2000

OPEN_SET = frozenset(
    {
        Status.REGISTERED,
        Status.MODERATION,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.CLARIFICATION,
        Status.RESOLVED,
        Status.REOPENED,
    }
)


class AppealRow:
    """An appeal's column values, without the cost of a model instance."""

    def __init__(self, **values):
        self.__dict__.update(_APPEAL_DEFAULTS)
        self.__dict__.update(values)


_APPEAL_DEFAULTS = {
    f.attname: f.get_default() for f in Appeal._meta.concrete_fields if not f.primary_key
}


class Ids:
    """Hands out primary keys past the table's current maximum (taken in the write's transaction)."""

    def __init__(self):
        self._next: dict[type, int] = {}

    def take(self, model, count: int):
        """Return an iterator of `count` fresh keys of the model's table."""
        if count == 0:
            return iter(())
        start = self._next.get(model)
        if start is None:
            start = (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self._next[model] = start + count
        return iter(range(start, start + count))

    def reset_sequences(self) -> None:
        """Move the tables' sequences past the keys handed out."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Writer:
    """INSERT rows with executemany: bulk_create spends most of its time compiling SQL."""

    def __init__(self, model, names: list[str] | None = None):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.names = names or list(fields)
        qn = connection.ops.quote_name
        columns = ", ".join(qn(fields[name].column) for name in self.names)
        marks = ", ".join(["%s"] * len(self.names))
        self.sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"
        self.converters = []
        for position, name in enumerate(self.names):
            field_ = fields[name]
            if isinstance(field_, models.JSONField):
                self.converters.append((position, json.dumps))
            elif isinstance(field_, models.DateTimeField) and connection.vendor == "sqlite":
                self.converters.append((position, sqlite_datetime))

    def insert(self, rows: list[list]) -> None:
        """Write the rows (values in the order of `names`), a batch per statement."""
        for row in rows:
            for position, convert in self.converters:
                if row[position] is not None:
                    row[position] = convert(row[position])
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH_SIZE):
                cursor.executemany(self.sql, rows[start : start + BATCH_SIZE])


def sqlite_datetime(value: dt.datetime) -> str:
    """Return what Django's SQLite backend stores: naive UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]"."""
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))
