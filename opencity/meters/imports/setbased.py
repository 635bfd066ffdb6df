"""Check and write readings set-based on PostgreSQL: COPY into a staging table, then one
statement per month joins the meters and the previous readings, applies the rules of
rules.py in SQL, inserts the good rows and returns only the bad and the flagged ones.

The checks that need no database (serial, month, rollover, the cells' number format) ran in
Python on the way into COPY, with the same functions the row-by-row path uses.

See docs/subsystems/imports.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import connection

from opencity.meters import rules
from opencity.meters.imports.common import Context, Issue, Outcome, Preparer, shown_value

STAGE = "meters_import_stage"
# 10 ** digits as a constant per digit count (numeric power is slow row by row).
TOP = "CASE m.digits {} END".format(" ".join(f"WHEN {d} THEN 1{'0' * d}" for d in range(1, 15)))

# How x finds each row's meter and readings. For the whole month: joins over whole sets
# (hashed); for the few rows a report names: index look-ups per row.
_JOINS_BULK = """
    FROM {stage} st
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
           ON later.meter_id = m.id"""
_JOINS_FEW = """
    FROM {stage} st
    LEFT JOIN meters_meter m
           ON m.municipality_id = %(m)s AND m.is_active AND m.serial_number = st.serial
    LEFT JOIN LATERAL (
        SELECT r.meter_id, r.period, r.value1, r.value2, r.value3, r.avg_consumption,
               r.months_counted
        FROM meters_meterreading r WHERE r.meter_id = m.id AND r.period = %(p1)s
    ) p1 ON true
    LEFT JOIN LATERAL (
        SELECT r.period, r.value1, r.value2, r.value3, r.avg_consumption, r.months_counted
        FROM meters_meterreading r
        WHERE p1.meter_id IS NULL AND m.id IS NOT NULL
          AND r.meter_id = m.id AND r.period < %(p)s
        ORDER BY r.period DESC LIMIT 1
    ) px ON true
    LEFT JOIN LATERAL (
        SELECT r.meter_id, r.value1, r.value2, r.value3
        FROM meters_meterreading r WHERE r.meter_id = m.id AND r.period = %(p)s
    ) cur ON true
    LEFT JOIN LATERAL (
        SELECT max(r.period) AS latest
        FROM meters_meterreading r WHERE r.meter_id = m.id AND r.period > %(p)s
    ) later ON true"""

# The rules in SQL, per row of a month: x joins each staged row to its meter and its
# neighbouring readings; v applies the rules (`code` is the first error, as in rules.py)
# and computes what an accepted reading records. {columns} picks what a statement needs.
_PIPELINE = """
x AS (
    SELECT st.row_no, st.roll, st.s1, st.s2, st.s3, st.first_row,
           m.id AS meter_id, m.zones, {top} AS top, m.provider_id,
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
{joins}
    WHERE st.period = %(p)s{only}
),
v AS {materialized} (
    -- Each level computes its values once ("OFFSET 0" keeps the planner from inlining
    -- them into the next level, where they would be computed again at every mention).
    SELECT {columns} FROM (
      SELECT z.*,
             (z.code IS NULL AND z.base_period IS NOT NULL AND z.n >= %(min_hist)s
              AND z.avg0 > 0 AND z.rate > %(factor)s * z.avg0) AS implausible,
             CASE WHEN z.code IS NULL AND z.base_period IS NOT NULL
                  THEN round(z.avg0 + (z.rate - z.avg0) / least(z.n + 1, %(avg_months)s), 3)
             END AS avg_new,
             CASE WHEN z.base_period IS NULL THEN 0 ELSE least(z.n + 1, 999) END AS months,
             (z.code IS NULL AND z.due IS NOT NULL AND z.due < %(today)s) AS overdue
      FROM (
        -- Most readings follow last month's: no division then.
        SELECT y.*, CASE WHEN y.gap = 1 THEN y.cons ELSE round(y.cons / y.gap, 3) END AS rate
        FROM (
          SELECT w.*,
            CASE
              WHEN w.meter_id IS NULL THEN 'meter_unknown'
              WHEN %(provider)s::bigint IS NOT NULL
                   AND w.provider_id IS DISTINCT FROM %(provider)s::bigint
                THEN 'meter_other_provider'
              WHEN w.s1 IS NULL THEN 'value_missing:1'
              WHEN w.s1 = '' THEN 'value_invalid:1'
              WHEN w.zones >= 2 AND w.s2 IS NULL THEN 'value_missing:2'
              WHEN w.zones >= 2 AND w.s2 = '' THEN 'value_invalid:2'
              WHEN w.zones < 2 AND w.s2 IS NOT NULL THEN 'zones_extra:2'
              WHEN w.zones >= 3 AND w.s3 IS NULL THEN 'value_missing:3'
              WHEN w.zones >= 3 AND w.s3 = '' THEN 'value_invalid:3'
              WHEN w.zones < 3 AND w.s3 IS NOT NULL THEN 'zones_extra:3'
              WHEN w.n1 >= w.top THEN 'value_digits:1'
              WHEN w.zones >= 2 AND w.n2 >= w.top THEN 'value_digits:2'
              WHEN w.zones >= 3 AND w.n3 >= w.top THEN 'value_digits:3'
              WHEN w.first_row IS NOT NULL THEN 'duplicate_row'
              WHEN w.latest IS NOT NULL THEN 'later_exists'
              WHEN w.has_cur AND (w.cv1 IS DISTINCT FROM w.n1 OR w.cv2 IS DISTINCT FROM w.n2
                                  OR w.cv3 IS DISTINCT FROM w.n3) THEN 'conflict_existing'
              WHEN w.has_cur THEN 'unchanged'
              WHEN NOT w.roll AND w.n1 < w.b1 THEN 'below_previous:1'
              WHEN NOT w.roll AND w.zones >= 2 AND w.n2 < w.b2 THEN 'below_previous:2'
              WHEN NOT w.roll AND w.zones >= 3 AND w.n3 < w.b3 THEN 'below_previous:3'
            END AS code,
            (CASE WHEN w.n1 < w.b1 THEN w.top - w.b1 + w.n1 ELSE w.n1 - w.b1 END)
            + CASE WHEN w.zones >= 2 THEN (CASE WHEN w.n2 < w.b2 THEN w.top - w.b2 + w.n2
                                                ELSE w.n2 - w.b2 END) ELSE 0 END
            + CASE WHEN w.zones >= 3 THEN (CASE WHEN w.n3 < w.b3 THEN w.top - w.b3 + w.n3
                                                ELSE w.n3 - w.b3 END) ELSE 0 END AS cons,
            (w.n1 < w.b1 OR (w.zones >= 2 AND w.n2 < w.b2)
             OR (w.zones >= 3 AND w.n3 < w.b3)) AS wrapped,
            greatest(%(p_index)s - (date_part('year', w.base_period)::int * 12
                                    + date_part('month', w.base_period)::int - 1), 1) AS gap
          FROM (
            SELECT x.*,
                   CASE WHEN x.s1 <> '' THEN x.s1::numeric END AS n1,
                   CASE WHEN x.s2 <> '' THEN x.s2::numeric END AS n2,
                   CASE WHEN x.s3 <> '' THEN x.s3::numeric END AS n3,
                   COALESCE(x.pv1, x.i1) AS b1, COALESCE(x.pv2, x.i2) AS b2,
                   COALESCE(x.pv3, x.i3) AS b3,
                   CASE WHEN x.has_prev THEN x.prev_period
                        ELSE date_trunc('month', x.install_date)::date END AS base_period
            FROM x OFFSET 0
          ) w OFFSET 0
        ) y OFFSET 0
      ) z OFFSET 0
    ) f
)
"""
# The import: write the good rows, return the rows to report (and how many were written).
_STATEMENT = (
    "WITH "
    + _PIPELINE.format(
        only="",
        joins=_JOINS_BULK,
        materialized="MATERIALIZED",
        columns="row_no, meter_id, n1, n2, n3, code, cons, wrapped, implausible, avg_new, "
        "months, overdue",
        stage="{stage}",
        top=TOP,
    )
    + """,
ins AS (
    INSERT INTO meters_meterreading (
        municipality_id, meter_id, period, value1, value2, value3, consumption,
        avg_consumption, months_counted, taken_at, source, submitted_by_id, import_batch_id,
        rollover, implausible, verification_overdue, created_at)
    SELECT %(m)s, v.meter_id, %(p)s, v.n1, v.n2, v.n3, v.cons, v.avg_new, v.months,
           %(now)s, 'import', NULL, %(batch)s, v.wrapped, v.implausible, v.overdue, %(now)s
    FROM v WHERE v.code IS NULL
    ORDER BY v.meter_id
    RETURNING 1
)
SELECT v.row_no, v.code, v.implausible, v.overdue FROM v
WHERE v.code IS NOT NULL OR v.implausible OR v.overdue
UNION ALL
SELECT (SELECT count(*) FROM ins)::integer, 'inserted', false, false
"""
)
# What the report says of the few rows it names: the values behind each reason.
_DETAILS = (
    "WITH "
    + _PIPELINE.format(
        only=" AND st.row_no = ANY(%(rows)s)",
        joins=_JOINS_FEW,
        materialized="NOT MATERIALIZED",
        columns="row_no, first_row, latest, cv1, cv2, cv3, b1, b2, b3, base_period, rate, "
        "avg0, due",
        stage="{stage}",
        top=TOP,
    )
    + """
SELECT v.*, st.serial, st.s1, st.s2, st.s3, st.r1, st.r2, st.r3
FROM v JOIN {stage} st ON st.row_no = v.row_no
"""
)


def _text(value: str) -> str:
    """Return a text value in COPY's text format (backslash, tab and line breaks escaped)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    # PostgreSQL text cannot hold NUL: such a cell can match no meter either way.
    return value.replace("\x00", "")


def _plain(text: str) -> bool:
    """Tell whether a text needs no escaping in COPY's text format."""
    return "\\" not in text and text.isprintable()


def _stage(cursor, rows: Iterable, preparer: Preparer, outcome: Outcome) -> set:
    """COPY the rows that pass the row-local checks; return the months they are for."""
    # A row naming a serial and month already named is staged with the first row's number
    # (the same serial is the same meter): the duplicate rule needs no grouping in SQL.
    cursor.execute(
        f"CREATE TEMP TABLE {STAGE} (row_no integer, serial text, period date, roll boolean, "
        "s1 text, s2 text, s3 text, r1 text, r2 text, r3 text, first_row integer) "
        "ON COMMIT DROP"
    )
    months: dict = {}  # period -> its text in COPY
    first_rows: dict = {}
    null = "\\N"
    tail = "\t\\N" * 6 + "\n"  # s2, s3, r1, r2, r3, first_row: none
    with cursor.copy(f"COPY {STAGE} FROM STDIN") as copy:
        lines = []
        for number, texts in rows:
            outcome.total += 1
            item = preparer.prepare(number, texts, outcome)
            if item is None:
                continue
            row, serial, period, roll, s1, s2, s3, r1, r2, r3 = item
            month = months.get(period)
            if month is None:
                month = months[period] = period.isoformat()
                first_rows[period] = {}
            first = first_rows[period].setdefault(serial, row)
            if s1 and s2 is None and s3 is None and first == row and _plain(serial):
                # The common row: one number, no second or third zone, seen once.
                lines.append(f"{row}\t{serial}\t{month}\t{'t' if roll else 'f'}\t{s1}{tail}")
            else:
                lines.append(
                    f"{row}\t{_text(serial)}\t{month}\t{'t' if roll else 'f'}\t"
                    f"{null if s1 is None else s1}\t{null if s2 is None else s2}\t"
                    f"{null if s3 is None else s3}\t{null if r1 is None else _text(r1)}\t"
                    f"{null if r2 is None else _text(r2)}\t{null if r3 is None else _text(r3)}\t"
                    f"{null if first == row else first}\n"
                )
            if len(lines) >= 5000:
                copy.write("".join(lines))
                lines.clear()
        if lines:
            copy.write("".join(lines))
    cursor.execute(f"ANALYZE {STAGE}")
    return set(months)


def _period_text(value) -> str:
    return value.strftime("%Y-%m") if value else "—"


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _issue(row_no: int, code: str, details: tuple) -> Issue:
    """Return the issue of an error row, with the values behind its reason."""
    (
        _row,
        first_row,
        latest,
        cv1,
        cv2,
        cv3,
        b1,
        b2,
        b3,
        base_period,
        _rate,
        _avg,
        _due,
        serial,
        s1,
        s2,
        s3,
        r1,
        r2,
        r3,
    ) = details
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
    return Issue(row_no, column, value, code, params)


def _warnings(row_no: int, implausible: bool, overdue: bool, details: tuple, factor) -> list:
    rate, avg, due, serial, s1 = details[10], details[11], details[12], details[13], details[14]
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
            # Whole sets meet in hash joins, whatever the statistics say: right after an import
            # of the month (or of the month before) they still count none of its rows.
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute(sql, params)
            results = cursor.fetchall()
            cursor.execute("SET LOCAL enable_nestloop = on")
            reported = [r[0] for r in results if r[1] not in ("inserted", "unchanged")]
            details = {}
            if reported:
                cursor.execute(_DETAILS.format(stage=STAGE), {**params, "rows": reported})
                details = {row[0]: row for row in cursor.fetchall()}
            for row_no, code, implausible, overdue in results:
                if code == "inserted":
                    outcome.accepted += row_no
                elif code == "unchanged":
                    outcome.unchanged += 1
                elif code is not None:
                    outcome.error(_issue(row_no, code, details[row_no]))
                else:
                    factor = ctx.limits.jump_factor
                    outcome.issues.extend(
                        _warnings(row_no, implausible, overdue, details[row_no], factor)
                    )
                    outcome.flagged += 1
