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
WITH j AS (
    SELECT st.row_no, st.serial, st.roll, st.s1, st.s2, st.s3, st.r1, st.r2, st.r3,
           m.id AS meter_id, m.zones, m.digits, m.provider_id, m.install_date, m.verified_on,
           m.verification_years, m.initial_value1 AS i1, m.initial_value2 AS i2,
           m.initial_value3 AS i3
    FROM {stage} st
    LEFT JOIN meters_meter m
           ON m.municipality_id = %(m)s AND m.is_active AND m.serial_number = st.serial
    WHERE st.period = %(p)s
),
d AS (
    SELECT meter_id, min(row_no) AS first_row
    FROM j WHERE meter_id IS NOT NULL GROUP BY meter_id HAVING count(*) > 1
),
x AS (
    SELECT j.*, d.first_row,
           CASE WHEN j.s1 <> '' THEN j.s1::numeric END AS n1,
           CASE WHEN j.s2 <> '' THEN j.s2::numeric END AS n2,
           CASE WHEN j.s3 <> '' THEN j.s3::numeric END AS n3,
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
    FROM j
    LEFT JOIN d ON d.meter_id = j.meter_id
    LEFT JOIN (SELECT meter_id, period, value1, value2, value3, avg_consumption, months_counted
               FROM meters_meterreading
               WHERE municipality_id = %(m)s AND period = %(p1)s) p1
           ON p1.meter_id = j.meter_id
    LEFT JOIN LATERAL (
        SELECT r.period, r.value1, r.value2, r.value3, r.avg_consumption, r.months_counted
        FROM meters_meterreading r
        WHERE p1.meter_id IS NULL AND j.meter_id IS NOT NULL
          AND r.meter_id = j.meter_id AND r.period < %(p)s
        ORDER BY r.period DESC LIMIT 1
    ) px ON true
    LEFT JOIN (SELECT meter_id, value1, value2, value3 FROM meters_meterreading
               WHERE municipality_id = %(m)s AND period = %(p)s) cur
           ON cur.meter_id = j.meter_id
    LEFT JOIN (SELECT meter_id, max(period) AS latest FROM meters_meterreading
               WHERE municipality_id = %(m)s AND period > %(p)s GROUP BY meter_id) later
           ON later.meter_id = j.meter_id
),
y AS (
    SELECT x.*,
           COALESCE(x.pv1, x.i1) AS b1, COALESCE(x.pv2, x.i2) AS b2, COALESCE(x.pv3, x.i3) AS b3,
           CASE WHEN x.has_prev THEN x.prev_period
                ELSE date_trunc('month', x.install_date)::date END AS base_period,
           power(10::numeric, x.digits) AS top
    FROM x
),
e AS (
    SELECT y.*,
      CASE
        WHEN y.meter_id IS NULL THEN 'meter_unknown'
        WHEN %(provider)s::bigint IS NOT NULL
             AND y.provider_id IS DISTINCT FROM %(provider)s::bigint THEN 'meter_other_provider'
        WHEN y.s1 IS NULL THEN 'value_missing:1'
        WHEN y.s1 = '' THEN 'value_invalid:1'
        WHEN y.zones >= 2 AND y.s2 IS NULL THEN 'value_missing:2'
        WHEN y.zones >= 2 AND y.s2 = '' THEN 'value_invalid:2'
        WHEN y.zones < 2 AND y.s2 IS NOT NULL THEN 'zones_extra:2'
        WHEN y.zones >= 3 AND y.s3 IS NULL THEN 'value_missing:3'
        WHEN y.zones >= 3 AND y.s3 = '' THEN 'value_invalid:3'
        WHEN y.zones < 3 AND y.s3 IS NOT NULL THEN 'zones_extra:3'
        WHEN y.n1 >= y.top THEN 'value_digits:1'
        WHEN y.zones >= 2 AND y.n2 >= y.top THEN 'value_digits:2'
        WHEN y.zones >= 3 AND y.n3 >= y.top THEN 'value_digits:3'
        WHEN y.first_row IS NOT NULL AND y.row_no > y.first_row THEN 'duplicate_row'
        WHEN y.latest IS NOT NULL THEN 'later_exists'
        WHEN y.has_cur AND (y.cv1 IS DISTINCT FROM y.n1 OR y.cv2 IS DISTINCT FROM y.n2
                            OR y.cv3 IS DISTINCT FROM y.n3) THEN 'conflict_existing'
        WHEN y.has_cur THEN 'unchanged'
        WHEN NOT y.roll AND y.n1 < y.b1 THEN 'below_previous:1'
        WHEN NOT y.roll AND y.zones >= 2 AND y.n2 < y.b2 THEN 'below_previous:2'
        WHEN NOT y.roll AND y.zones >= 3 AND y.n3 < y.b3 THEN 'below_previous:3'
      END AS code
    FROM y
),
c AS (
    SELECT e.*, k.cons, k.wrapped, k.gap,
           (COALESCE(e.verified_on, e.install_date)
            + make_interval(years => e.verification_years))::date AS due
    FROM e
    CROSS JOIN LATERAL (
        SELECT
          (CASE WHEN e.n1 < e.b1 THEN e.top - e.b1 + e.n1 ELSE e.n1 - e.b1 END)
          + CASE WHEN e.zones >= 2 THEN
              (CASE WHEN e.n2 < e.b2 THEN e.top - e.b2 + e.n2 ELSE e.n2 - e.b2 END) ELSE 0 END
          + CASE WHEN e.zones >= 3 THEN
              (CASE WHEN e.n3 < e.b3 THEN e.top - e.b3 + e.n3 ELSE e.n3 - e.b3 END) ELSE 0 END
            AS cons,
          (e.n1 < e.b1 OR (e.zones >= 2 AND e.n2 < e.b2) OR (e.zones >= 3 AND e.n3 < e.b3))
            AS wrapped,
          greatest(
            %(p_index)s - (extract(year FROM e.base_period)::int * 12
                           + extract(month FROM e.base_period)::int - 1), 1) AS gap
    ) k
    WHERE e.code IS NULL
),
f AS (
    SELECT c.*, r.rate,
           (c.base_period IS NOT NULL AND c.n >= %(min_hist)s AND c.avg0 > 0
            AND r.rate > %(factor)s * c.avg0) AS implausible,
           CASE WHEN c.base_period IS NULL THEN NULL
                ELSE round(c.avg0 + (r.rate - c.avg0) / least(c.n + 1, %(avg_months)s), 3)
           END AS avg_new,
           CASE WHEN c.base_period IS NULL THEN 0 ELSE least(c.n + 1, 999) END AS months,
           (c.due IS NOT NULL AND c.due < %(today)s) AS overdue
    FROM c
    CROSS JOIN LATERAL (SELECT round(c.cons / c.gap, 3) AS rate) r
),
ins AS (
    INSERT INTO meters_meterreading (
        municipality_id, meter_id, period, value1, value2, value3, consumption,
        avg_consumption, months_counted, taken_at, source, submitted_by_id, import_batch_id,
        rollover, implausible, verification_overdue, created_at)
    SELECT %(m)s, f.meter_id, %(p)s, f.n1, f.n2, f.n3, round(f.cons, 3), f.avg_new,
           f.months, %(now)s, 'import', %(user)s, %(batch)s, f.wrapped,
           COALESCE(f.implausible, false), f.overdue, %(now)s
    FROM f
    ORDER BY f.meter_id
    RETURNING 1
)
SELECT e.row_no, e.code, e.serial, e.s1, e.s2, e.s3, e.r1, e.r2, e.r3, e.first_row, e.latest,
       e.cv1, e.cv2, e.cv3, e.b1, e.b2, e.b3, e.base_period,
       NULL::numeric, NULL::numeric, NULL::date, false, false
FROM e WHERE e.code IS NOT NULL AND e.code <> 'unchanged'
UNION ALL
SELECT f.row_no, NULL, f.serial, f.s1, f.s2, f.s3, f.r1, f.r2, f.r3, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       f.rate, f.avg0, f.due, COALESCE(f.implausible, false), f.overdue
FROM f WHERE COALESCE(f.implausible, false) OR f.overdue
UNION ALL
SELECT -1, 'inserted', (SELECT count(*) FROM ins)::text, NULL, NULL, NULL, NULL, NULL, NULL,
       (SELECT count(*) FROM e WHERE e.code = 'unchanged'), NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, false
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
            if item is None:
                continue
            periods.add(item.period)
            s1, s2, s3 = item.states
            copy.write_row((
                item.row, item.serial, item.period, item.rollover, s1, s2, s3,
                item.raws[0] if s1 == "" else None,
                item.raws[1] if s2 == "" else None,
                item.raws[2] if s3 == "" else None,
            ))  # fmt: skip
    cursor.execute(f"ANALYZE {STAGE}")
    return periods


def _period_text(value) -> str:
    return value.strftime("%Y-%m") if value else "—"


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _issue(row) -> Issue:
    (row_no, code, serial, s1, s2, s3, r1, r2, r3, first_row, latest, cv1, cv2, cv3,
     b1, b2, b3, base_period, *_rest) = row  # fmt: skip
    code, _sep, zone_text = code.partition(":")
    zone = int(zone_text) if zone_text else 1
    states, raws = (s1, s2, s3), (r1 or "", r2 or "", r3 or "")
    column = f"value_t{zone}"
    params: dict = {}
    if code in ("meter_unknown", "meter_other_provider", "duplicate_row"):
        column, value = "serial_number", serial
        if code == "duplicate_row":
            params["row"] = first_row
    else:
        value = shown_value(states[zone - 1], raws[zone - 1])
        if code == "later_exists":
            params["period"] = _period_text(latest)
        elif code == "conflict_existing":
            params["value"] = " / ".join(_number(v) for v in (cv1, cv2, cv3) if v is not None)
        elif code == "below_previous":
            params["value"] = _number((b1, b2, b3)[zone - 1])
            params["period"] = _period_text(base_period)
    return Issue(row_no, column, value, code, params)


def _warnings(row, factor) -> list[Issue]:
    row_no, serial, s1 = row[0], row[2], row[3]
    rate, avg, due, implausible, overdue = row[18:23]
    found = []
    if implausible:
        params = {"rate": rate, "factor": factor, "avg": avg}
        found.append(Issue(row_no, "value_t1", s1 or "", "implausible", params, True))
    if overdue:
        params = {"due": due.isoformat()}
        found.append(Issue(row_no, "serial_number", serial, "verification_overdue", params, True))
    return found


def import_setbased(rows: Iterable, *, preparer: Preparer, ctx: Context, outcome: Outcome) -> None:
    """Stage the rows with COPY and validate and write them month by month in SQL."""
    with connection.cursor() as cursor:
        # One big join per month: let it hash in memory rather than spill to disk.
        cursor.execute("SET LOCAL work_mem = '512MB'")
        periods = _stage(cursor, rows, preparer, outcome)
        sql = _STATEMENT.format(stage=STAGE)
        for period in sorted(periods):
            cursor.execute(
                sql,
                {
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
                    "user": ctx.batch.created_by_id,
                    "batch": ctx.batch.pk,
                },
            )
            for row in cursor.fetchall():
                if row[1] == "inserted":
                    outcome.accepted += int(row[2])
                    outcome.unchanged += int(row[9])
                elif row[1] is not None:
                    outcome.error(_issue(row))
                else:
                    warnings = _warnings(row, ctx.limits.jump_factor)
                    outcome.issues.extend(warnings)
                    outcome.flagged += 1
