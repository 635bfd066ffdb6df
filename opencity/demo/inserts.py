"""Insert many new model instances the way bulk_create does, without its per-row SQL work.

bulk_create compiles every value of every row through the SQL compiler and resolves every
relation generically: for the demo city's ~100,000 planned rows that is most of the time the
city takes to write. This writes the same values (each field's pre_save and get_db_prep_save)
with one executemany per batch, giving keys past the table's current maximum.
"""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

BATCH_SIZE = 2000

# Values already of these types go to the driver as they are (what get_db_prep_save returns).
_PLAIN = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.SlugField: (str,),
    models.EmailField: (str,),
    models.URLField: (str,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.BigAutoField: (int,),
    models.AutoField: (int,),
    models.FloatField: (float,),
    models.BooleanField: (bool,),
}


def _converter(field):
    plain = _PLAIN.get(type(field))
    if field.many_to_one or field.one_to_one:
        plain = (int,)
    prep = field.get_db_prep_save
    if plain is None:
        return lambda value: prep(value, connection)
    return lambda value: value if value is None or type(value) in plain else prep(value, connection)


def rows_insert(model, objs: list, batch_size: int = BATCH_SIZE) -> None:
    """Insert new instances of `model` (their pk unset) and set their pk, as bulk_create."""
    if not objs:
        return
    meta = model._meta
    fields = list(meta.concrete_fields)
    relations = [f for f in fields if f.many_to_one or f.one_to_one]
    # Fields with a pre_save of their own (auto_now dates, files ...): as on save.
    auto = [f for f in fields if type(f).pre_save is not models.Field.pre_save]
    pk = meta.pk
    start = (model._base_manager.aggregate(m=Max(pk.attname))["m"] or 0) + 1
    for offset, obj in enumerate(objs):
        if obj.pk is None:
            obj.pk = start + offset
        for field in relations:
            # What bulk_create does for a related instance saved before this one: take its key.
            if obj.__dict__.get(field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    obj.__dict__[field.attname] = related.pk
        for field in auto:
            field.pre_save(obj, True)
        obj._state.adding = False
        obj._state.db = connection.alias
    converters = [_converter(f) for f in fields]
    attnames = [f.attname for f in fields]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for first in range(0, len(objs), batch_size):
            rows = [
                [
                    convert(obj.__dict__.get(name))
                    for convert, name in zip(converters, attnames, strict=True)
                ]
                for obj in objs[first : first + batch_size]
            ]
            cursor.executemany(sql, rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
