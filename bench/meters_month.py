"""bench_meters_import's month: the provider's CSV of the next readings, and the raw COPY of them.

Imported by bench_meters_import.py, which sets Django up first.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time

from django.db import connection, transaction
from django.utils import timezone
from meters_load import COLUMNS, copy_rows

BAD_SHARE = 0.001  # rows with an error
JUMP_SHARE = 0.0005  # implausible jumps (accepted and flagged)


def month_file(meters, period: dt.date, seed: int):
    """Return the CSV of the month and the good rows as the table would store them."""
    rng = random.Random(seed + 1)
    out = io.StringIO()
    out.write("serial_number;period;value_t1;value_t2\n")
    good = []
    now = timezone.now()
    shown = period.strftime("%m.%Y")
    for pk, serial, zones, _digits, values, monthly in meters:
        roll = rng.random()
        step = monthly * (rng.randint(5, 9) if roll < JUMP_SHARE else 1)
        new = [v + step for v in values]
        cells = [serial, shown, f"{new[0]}".replace(".", ","), f"{new[1]}" if zones == 2 else ""]
        if roll > 1 - BAD_SHARE:
            trouble = rng.randrange(4)
            if trouble == 0:
                cells[0] = "X" + serial  # unknown meter
            elif trouble == 1:
                cells[2] = "12O"  # a letter O for a zero
            elif trouble == 2:
                cells[2] = str(values[0] - 1)  # below the previous reading
            else:
                cells[1] = "13.2025"
        else:
            good.append(
                (
                    0,
                    pk,
                    period,
                    new[0],
                    new[1] if zones == 2 else None,
                    None,
                    step * zones,
                    monthly * zones,
                    3,
                    now,
                    "import",
                    False,
                    roll < JUMP_SHARE,
                    False,
                    now,
                )
            )
        out.write(";".join(cells) + "\n")
    if meters:
        out.write(f"{meters[0][1]};{shown};1;\n")  # the same meter twice
    return out.getvalue().encode("utf-8"), good


def copy_text(rows) -> bytes:
    """Render rows in COPY's text format (the values here need no escaping)."""

    def cell(value):
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value)

    return "".join("\t".join(cell(v) for v in row) + "\n" for row in rows).encode()


def raw_copy(municipality, rows) -> float:
    """Time a COPY (SQLite: executemany) of the rows into the readings table, committed.

    On PostgreSQL the rows are rendered as COPY text first (untimed), so the figure is the
    server's load and commit, the fastest a raw COPY of them can be.
    """
    rows = [(municipality.pk, *row[1:]) for row in rows]
    payload = copy_text(rows) if connection.vendor == "postgresql" else None
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        if payload is None:
            copy_rows(cursor, "meters_meterreading", COLUMNS, rows)
        else:
            with cursor.copy(f"COPY meters_meterreading ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for start in range(0, len(payload), 1 << 20):
                    copy.write(payload[start : start + (1 << 20)])
        loaded = time.monotonic()
    print(
        f"  raw: loaded in {loaded - started:.2f} s, committed (foreign keys checked) in "
        f"{time.monotonic() - loaded:.2f} s",
        flush=True,
    )
    return time.monotonic() - started


def undo(period: dt.date) -> None:
    from opencity.meters.models import MeterReading

    MeterReading.objects.filter(period=period).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE meters_meterreading")
