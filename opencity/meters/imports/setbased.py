"""Check and write readings set-based on PostgreSQL: COPY into a staging table, then one
statement per month joins the meters and the previous readings, applies the rules of
rules.py in SQL, inserts the good rows and returns only the bad and the flagged ones.

The checks that need no database (serial, month, rollover, the cells' number format) ran in
Python on the way into COPY, with the same functions the row-by-row path uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import connection

from opencity.meters import rules
from opencity.meters.imports.common import Context, Issue, Outcome, Preparer, shown_value

STAGE = "meters_import_stage"

_STATEMENT = """
WITH d AS (
    -- Rows naming the same serial twice name the same meter: the first one counts.
    SELECT serial, min(row_no) AS first_row
    FROM {stage} WHERE period = %(p)s GROUP BY serial HAVING count(*) > 1
),
x AS (
    SELECT st.row_no, st.roll, st.s1, st.s2, st.s3, d.first_row,
           m.id AS meter_id, m.zones, power(10::numeric, m.digits) AS top, m.provider_id,
           m.install_date, m.initial_value1 AS i1, m.initial_value2 AS i2,
           m.initial_value3 AS i3,
           (COALESCE(m.verified_on, m.install_date)
            + make_interval(years => m.verification_years))::date AS due,
           (p1.meter_id IS NOT NULL OR px.period IS NOT NULL) AS has_prev,
           COALESCE(p1.period, px.period) AS prev_period,
           COALESCE(p1.value1, px.value1) AS pv1,
           COALESCE(p1.value2, px.value2) AS pv2,
           COALESCE(p1.value3, px.value3) AS pv3,
           COALESCE(p1.avg_consumption, px.avg_consumption, 0) AS avg0,
           COALESCE(p1.months_counted, px.months_counted, 0) AS n,
           cur.meter_id IS NOT NULL AS has_cur,
           cur.value1 AS cv1, cur.value2 AS cv2, cur.value3 AS cv3,
           later.latest
    FROM {stage} st
    LEFT JOIN d ON d.serial = st.serial
    LEFT JOIN meters_meter m
           ON m.municipality_id = %(m)s AND m.is_active AND m.serial_number = st.serial
    LEFT JOIN (SELECT meter_id, period, value1, value2, value3, avg_consumption, months_counted
               FROM meters_meterreading
               WHERE municipality_id = %(m)s AND period = %(p1)s) p1
           ON p1.meter_id = m.id
    LEFT JOIN LATERAL (
        -- Only for a meter not read last month: its latest reading before the month.
        SELECT r.period, r.value1, r.value2, r.value3, r.avg_consumption, r.months_counted
        FROM meters_meterreading r
        WHERE p1.meter_id IS NULL AND m.id IS NOT NULL
          AND r.meter_id = m.id AND r.period < %(p)s
        ORDER BY r.period DESC LIMIT 1
    ) px ON true
    LEFT JOIN (SELECT meter_id, value1, value2, value3 FROM meters_meterreading
               WHERE municipality_id = %(m)s AND period = %(p)s) cur
           ON cur.meter_id = m.id
    LEFT JOIN (SELECT meter_id, max(period) AS latest FROM meters_meterreading
               WHERE municipality_id = %(m)s AND period > %(p)s GROUP BY meter_id) later
           ON later.meter_id = m.id
    WHERE st.period = %(p)s
),
v AS MATERIALIZED (
    SELECT x.row_no, x.meter_id, num.n1, num.n2, num.n3, c.code,
           x.first_row, x.latest, x.cv1, x.cv2, x.cv3, b.b1, b.b2, b.b3, b.base_period,
           k.cons, k.wrapped, r.rate, x.avg0, x.due,
           (c.code IS NULL AND b.base_period IS NOT NULL AND x.n >= %(min_hist)s
            AND x.avg0 > 0 AND r.rate > %(factor)s * x.avg0) AS implausible,
           CASE WHEN b.base_period IS NOT NULL
                THEN round(x.avg0 + (r.rate - x.avg0) / least(x.n + 1, %(avg_months)s), 3)
           END AS avg_new,
           CASE WHEN b.base_period IS NULL THEN 0 ELSE least(x.n + 1, 999) END AS months,
           (c.code IS NULL AND x.due IS NOT NULL AND x.due < %(today)s) AS overdue
    FROM x
    CROSS JOIN LATERAL (
        SELECT CASE WHEN x.s1 <> '' THEN x.s1::numeric END AS n1,
               CASE WHEN x.s2 <> '' THEN x.s2::numeric END AS n2,
               CASE WHEN x.s3 <> '' THEN x.s3::numeric END AS n3
    ) num
    CROSS JOIN LATERAL (
        SELECT COALESCE(x.pv1, x.i1) AS b1, COALESCE(x.pv2, x.i2) AS b2,
               COALESCE(x.pv3, x.i3) AS b3,
               CASE WHEN x.has_prev THEN x.prev_period
                    ELSE date_trunc('month', x.install_date)::date END AS base_period
    ) b
    CROSS JOIN LATERAL (
        SELECT CASE
          WHEN x.meter_id IS NULL THEN 'meter_unknown'
          WHEN %(provider)s::bigint IS NOT NULL
               AND x.provider_id IS DISTINCT FROM %(provider)s::bigint THEN 'meter_other_provider'
          WHEN x.s1 IS NULL THEN 'value_missing:1'
          WHEN x.s1 = '' THEN 'value_invalid:1'
          WHEN x.zones >= 2 AND x.s2 IS NULL THEN 'value_missing:2'
          WHEN x.zones >= 2 AND x.s2 = '' THEN 'value_invalid:2'
          WHEN x.zones < 2 AND x.s2 IS NOT NULL THEN 'zones_extra:2'
          WHEN x.zones >= 3 AND x.s3 IS NULL THEN 'value_missing:3'
          WHEN x.zones >= 3 AND x.s3 = '' THEN 'value_invalid:3'
          WHEN x.zones < 3 AND x.s3 IS NOT NULL THEN 'zones_extra:3'
          WHEN num.n1 >= x.top THEN 'value_digits:1'
          WHEN x.zones >= 2 AND num.n2 >= x.top THEN 'value_digits:2'
          WHEN x.zones >= 3 AND num.n3 >= x.top THEN 'value_digits:3'
          WHEN x.first_row IS NOT NULL AND x.row_no > x.first_row THEN 'duplicate_row'
          WHEN x.latest IS NOT NULL THEN 'later_exists'
          WHEN x.has_cur AND (x.cv1 IS DISTINCT FROM num.n1 OR x.cv2 IS DISTINCT FROM num.n2
                              OR x.cv3 IS DISTINCT FROM num.n3) THEN 'conflict_existing'
          WHEN x.has_cur THEN 'unchanged'
          WHEN NOT x.roll AND num.n1 < b.b1 THEN 'below_previous:1'
          WHEN NOT x.roll AND x.zones >= 2 AND num.n2 < b.b2 THEN 'below_previous:2'
          WHEN NOT x.roll AND x.zones >= 3 AND num.n3 < b.b3 THEN 'below_previous:3'
        END AS code
    ) c
    CROSS JOIN LATERAL (
        SELECT
          (CASE WHEN num.n1 < b.b1 THEN x.top - b.b1 + num.n1 ELSE num.n1 - b.b1 END)
          + CASE WHEN x.zones >= 2 THEN (CASE WHEN num.n2 < b.b2 THEN x.top - b.b2 + num.n2
                                              ELSE num.n2 - b.b2 END) ELSE 0 END
          + CASE WHEN x.zones >= 3 THEN (CASE WHEN num.n3 < b.b3 THEN x.top - b.b3 + num.n3
                                              ELSE num.n3 - b.b3 END) ELSE 0 END AS cons,
          (num.n1 < b.b1 OR (x.zones >= 2 AND num.n2 < b.b2)
           OR (x.zones >= 3 AND num.n3 < b.b3)) AS wrapped,
          greatest(%(p_index)s - (extract(year FROM b.base_period)::int * 12
                                  + extract(month FROM b.base_period)::int - 1), 1) AS gap
    ) k
    CROSS JOIN LATERAL (SELECT round(k.cons / k.gap, 3) AS rate) r
),
ins AS (
    INSERT INTO meters_meterreading (
        municipality_id, meter_id, period, value1, value2, value3, consumption,
        avg_consumption, months_counted, taken_at, source, submitted_by_id, import_batch_id,
        rollover, implausible, verification_overdue, created_at)
    SELECT %(m)s, v.meter_id, %(p)s, v.n1, v.n2, v.n3, round(v.cons, 3), v.avg_new, v.months,
           %(now)s, 'import', NULL, %(batch)s, v.wrapped, v.implausible, v.overdue, %(now)s
    FROM v WHERE v.code IS NULL
    ORDER BY v.meter_id
    RETURNING 1
)
SELECT v.row_no, v.code, v.first_row, v.latest, v.cv1, v.cv2, v.cv3, v.b1, v.b2, v.b3,
       v.base_period, v.rate, v.avg0, v.due, v.implausible, v.overdue
FROM v WHERE v.code IS NOT NULL OR v.implausible OR v.overdue
UNION ALL
SELECT -1, 'inserted', (SELECT count(*) FROM ins)::integer, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, false, false
"""


def _stage(cursor, rows: Iterable, preparer: Preparer, outcome: Outcome) -> set:
    """COPY the rows that pass the row-local checks; return the months they are for."""
    cursor.execute(
        f"CREATE TEMP TABLE {STAGE} (row_no integer, serial text, period date, roll boolean, "
        "s1 text, s2 text, s3 text, r1 text, r2 text, r3 text) ON COMMIT DROP"
    )
    periods = set()
    with cursor.copy(
        f"COPY {STAGE} (row_no, serial, period, roll, s1, s2, s3, r1, r2, r3) FROM STDIN"
    ) as copy:
        for number, texts in rows:
            outcome.total += 1
            item = preparer.prepare(number, texts, outcome)
            if item is not None:
                periods.add(item[2])
                copy.write_row(item)
    cursor.execute(f"ANALYZE {STAGE}")
    return periods


def _period_text(value) -> str:
    return value.strftime("%Y-%m") if value else "—"


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _issue(row, cells) -> Issue:
    """The issue of an error row; `cells` are the row's (serial, s1, s2, s3, r1, r2, r3)."""
    (_row_no, code, first_row, latest, cv1, cv2, cv3, b1, b2, b3, base_period, *_rest) = row
    serial, s1, s2, s3, r1, r2, r3 = cells
    code, _sep, zone_text = code.partition(":")
    zone = int(zone_text) if zone_text else 1
    params: dict = {}
    if code in ("meter_unknown", "meter_other_provider", "duplicate_row"):
        column, value = "serial_number", serial
        if code == "duplicate_row":
            params["row"] = first_row
    else:
        column = f"value_t{zone}"
        value = shown_value((s1, s2, s3)[zone - 1], (r1, r2, r3)[zone - 1])
        if code == "later_exists":
            params["period"] = _period_text(latest)
        elif code == "conflict_existing":
            params["value"] = " / ".join(_number(v) for v in (cv1, cv2, cv3) if v is not None)
        elif code == "below_previous":
            params["value"] = _number((b1, b2, b3)[zone - 1])
            params["period"] = _period_text(base_period)
    return Issue(row[0], column, value, code, params)


def _warnings(row, cells, factor) -> list[Issue]:
    row_no, rate, avg, due, implausible, overdue = row[0], *row[11:16]
    serial, s1 = cells[0], cells[1]
    found = []
    if implausible:
        params = {"rate": rate, "factor": factor, "avg": avg}
        found.append(Issue(row_no, "value_t1", s1 or "", "implausible", params, True))
    if overdue:
        params = {"due": due.isoformat()}
        found.append(Issue(row_no, "serial_number", serial, "verification_overdue", params, True))
    return found


def _cells(cursor, row_numbers: list[int]) -> dict[int, tuple]:
    """The cells of the few rows that are reported, from the staging table."""
    if not row_numbers:
        return {}
    cursor.execute(
        f"SELECT row_no, serial, s1, s2, s3, r1, r2, r3 FROM {STAGE} WHERE row_no = ANY(%s)",
        [row_numbers],
    )
    return {row[0]: row[1:] for row in cursor.fetchall()}


def import_setbased(rows: Iterable, *, preparer: Preparer, ctx: Context, outcome: Outcome) -> None:
    """Stage the rows with COPY and validate and write them month by month in SQL."""
    with connection.cursor() as cursor:
        # One big join per month: let it hash in memory rather than spill to disk.
        cursor.execute("SET LOCAL work_mem = '1GB'")
        # Compiling this statement costs seconds and saves less than it costs.
        cursor.execute("SET LOCAL jit = off")
        periods = _stage(cursor, rows, preparer, outcome)
        sql = _STATEMENT.format(stage=STAGE)
        for period in sorted(periods):
            params = {
                "m": ctx.municipality.pk,
                "p": period,
                "p1": rules.add_months(period, -1),
                "p_index": rules.month_index(period),
                "provider": ctx.provider.pk if ctx.provider else None,
                "today": ctx.today,
                "factor": ctx.limits.jump_factor,
                "avg_months": max(ctx.limits.average_months, 1),
                "min_hist": ctx.limits.min_history_months,
                "now": ctx.now,
                "batch": ctx.batch.pk,
            }
            cursor.execute(sql, params)
            results = cursor.fetchall()
            reported = [row[0] for row in results if row[1] not in ("inserted", "unchanged")]
            cells = _cells(cursor, reported)
            for row in results:
                if row[1] == "inserted":
                    outcome.accepted += row[2]
                elif row[1] == "unchanged":
                    outcome.unchanged += 1
                elif row[1] is not None:
                    outcome.error(_issue(row, cells[row[0]]))
                else:
                    outcome.issues.extend(_warnings(row, cells[row[0]], ctx.limits.jump_factor))
                    outcome.flagged += 1
