"""On PostgreSQL, a trigram index makes the address search's LIKE '%token%' an index scan.

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. The index
is built without GIN's pending list (fastupdate off): the registry is written rarely and read
all day, and a long pending list right after an import made searches slow. SQLite
needs nothing: its scan of one municipality's rows is fast enough.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS building_search_text_trgm "
        "ON buildings_building USING gin (search_text gin_trgm_ops) WITH (fastupdate = off)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS building_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("buildings", "0002_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
