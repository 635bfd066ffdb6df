"""On PostgreSQL, trigram indexes make the staff's text search of open appeals an index scan.

The dispatcher console searches the open appeals' descriptions and addresses for a word
(UPPER(column) LIKE '%WORD%'). Scanning every open appeal and
upper-casing its Cyrillic text took ~60 ms at a city's scale; these GIN indexes on the
upper-cased text of open appeals only stay small (a few thousand rows) and answer in a few.
SQLite needs nothing: its open appeals are scanned.
"""

from django.db import migrations

# The open statuses when this migration was written (models.OPEN_STATUSES).
OPEN = (
    "accepted",
    "clarification",
    "in_progress",
    "moderation",
    "registered",
    "reopened",
    "resolved",
)
COLUMNS = {"appeal_open_description_trgm": "description", "appeal_open_address_trgm": "address"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    statuses = ", ".join(f"'{status}'" for status in OPEN)
    for name, column in COLUMNS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON appeals_appeal "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops) WHERE status IN ({statuses})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("appeals", "0004_public_list_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
