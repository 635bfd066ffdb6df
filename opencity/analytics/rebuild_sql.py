"""The rebuild on PostgreSQL, set-based: the facts and the rollups each one INSERT … SELECT.

The same rules as facts.py (which the incremental path and SQLite's rebuild run in Python):
the property test compares the two on PostgreSQL. Only the heat map's cells are worked out in
Python, once per distinct H3 cell of the city's appeals (h3 has no SQL side).
See docs/subsystems/analytics.md.
"""

from __future__ import annotations

from django.db import connection

from opencity.analytics.facts import BUCKET_HOURS, cell_of
from opencity.analytics.models import AppealCellDaily, AppealDaily, AppealFact, AppealResolution
from opencity.appeals.models import Appeal

DONE = "a.status IN ('resolved', 'closed')"


def rollups_rebuild_sql(*, municipality) -> int:
    """Write the municipality's facts and rollups from its appeals (their rows already gone)."""
    fact = AppealFact._meta.db_table
    appeal = Appeal._meta.db_table
    m = municipality.pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT h3_cell FROM {appeal} WHERE municipality_id = %s AND h3_cell <> ''",
            [m],
        )
        h3_cells = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"""
            WITH cells (h3, cell) AS (SELECT * FROM unnest(%s::varchar[], %s::varchar[]))
            INSERT INTO {fact} (appeal_id, municipality_id, counted, day, district_id,
                category_id, organisation_id, channel, cell, merged, cancelled, done, closed,
                confirmed, reopened, overdue, ttr)
            SELECT a.id, a.municipality_id, true, (a.created_at AT TIME ZONE %s)::date,
                coalesce(a.district_id, 0), a.category_id, coalesce(a.organisation_id, 0),
                a.channel, coalesce(c.cell, ''), a.status = 'merged', a.status = 'cancelled',
                {DONE}, a.status = 'closed', a.status = 'closed' AND a.closed_by_resident,
                a.reopened_count > 0, a.was_overdue,
                CASE WHEN {DONE} AND a.resolved_at IS NOT NULL THEN
                    greatest(0, floor(extract(epoch FROM a.resolved_at - a.created_at)))::bigint
                END
            FROM {appeal} a LEFT JOIN cells c ON c.h3 = a.h3_cell
            WHERE a.municipality_id = %s
            """,
            [h3_cells, [cell_of(c) for c in h3_cells], municipality.time_zone, m],
        )
        total = cursor.rowcount
        dims = "municipality_id, day, district_id, category_id, organisation_id"
        cursor.execute(
            f"""
            INSERT INTO {AppealDaily._meta.db_table} ({dims}, channel, filed, merged, cancelled,
                done, closed, confirmed, reopened, overdue, ttr_count, ttr_sum)
            SELECT {dims}, channel, count(*), count(*) FILTER (WHERE merged),
                count(*) FILTER (WHERE cancelled), count(*) FILTER (WHERE done),
                count(*) FILTER (WHERE closed), count(*) FILTER (WHERE confirmed),
                count(*) FILTER (WHERE reopened), count(*) FILTER (WHERE overdue),
                count(ttr), coalesce(sum(ttr), 0)
            FROM {fact} WHERE municipality_id = %s GROUP BY {dims}, channel
            """,
            [m],
        )
        # bisect_left over the bands' upper bounds, on whole seconds (no rounding at a bound)
        bands = " ".join(
            f"WHEN ttr <= {3600 * hours} THEN {index}" for index, hours in enumerate(BUCKET_HOURS)
        )
        cursor.execute(
            f"""
            INSERT INTO {AppealResolution._meta.db_table} ({dims}, bucket, count)
            SELECT {dims}, bucket, count(*) FROM (
                SELECT {dims}, CASE {bands} ELSE {len(BUCKET_HOURS)} END AS bucket
                FROM {fact} WHERE municipality_id = %s AND ttr IS NOT NULL
            ) banded GROUP BY {dims}, bucket
            """,
            [m],
        )
        cursor.execute(
            f"""
            INSERT INTO {AppealCellDaily._meta.db_table} ({dims}, cell, filed, done, overdue)
            SELECT {dims}, cell, count(*), count(*) FILTER (WHERE done),
                count(*) FILTER (WHERE overdue)
            FROM {fact} WHERE municipality_id = %s AND cell <> '' GROUP BY {dims}, cell
            """,
            [m],
        )
    return total
