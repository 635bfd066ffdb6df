"""Bulk import of readings: every rule on bad rows, the good rows kept, both import paths alike."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection, transaction
from openpyxl import Workbook

from opencity.buildings.imports.readers import ImportFileError
from opencity.buildings.tests.factories import xlsx_damaged
from opencity.meters.imports import readings_import
from opencity.meters.models import MeterReading, ReadingImport
from opencity.meters.rules import add_months
from opencity.meters.tests.factories import MeterFactory, MeterReadingFactory, history

pytestmark = pytest.mark.django_db

JUN = dt.date(2025, 6, 1)
JUL = dt.date(2025, 7, 1)
METHODS = [
    "row",
    pytest.param(
        "set",
        marks=pytest.mark.skipif(
            connection.vendor != "postgresql", reason="the set-based import needs PostgreSQL"
        ),
    ),
]


def meter(mw, serial, *, values=(100, 110, 120, 130, 140, 150), **kw):
    """Return a water meter of a new apartment with monthly readings up to June 2025 (10 a month)."""
    start = dt.date(2025, 7 - len(values), 1)
    kw.setdefault("provider", mw.water)
    if values:
        kw.setdefault("install_date", add_months(start, -1))
        kw.setdefault("initial_value1", Decimal(values[0]) - 10)
    m = MeterFactory(
        municipality=mw.city,
        apartment=mw.apartment(),
        building=mw.building,
        serial_number=serial,
        **kw,
    )
    if values:
        history(m, start=start, values=list(values))
    return m


@pytest.fixture
def meters(mw):
    m = {
        name: meter(mw, name)
        for name in (
            "OK",
            "DUP",
            "ONE",
            "DIGITS",
            "BELOW",
            "JUMP",
            "BLANK",
            "LATER",
            "SAME",
            "OTHER",
        )
    }
    m["SPACED"] = meter(mw, "SPACED", values=(1180, 1190, 1200, 1210, 1220, 1230))
    m["OTHER"].provider = mw.power
    m["OTHER"].save()
    m["TWO"] = meter(mw, "TWO", kind="electricity", zones=2, digits=6, provider=mw.power, values=())
    MeterReadingFactory(meter=m["TWO"], period=JUN, value1=1000, value2=500)
    m["TWO2"] = meter(mw, "TWO2", kind="electricity", zones=2, digits=6, values=())
    m["ROLL"] = meter(mw, "ROLL", values=(99970, 99990))
    m["OLD"] = meter(mw, "OLD", verified_on=dt.date(2015, 3, 1), values=(50,))
    m["NEW"] = meter(mw, "NEW", install_date=dt.date(2025, 5, 10), values=())
    MeterReadingFactory(meter=m["LATER"], period=dt.date(2025, 8, 1), value1=170)
    MeterReadingFactory(meter=m["SAME"], period=JUL, value1=200)
    return m


# (serial, period, t1, t2, rollover) -> (column, reason prefix) or "ok"/"unchanged"/warning
ROWS = [
    (("OK", "2025-07", "160", "", ""), "ok"),
    (("DUP", "2025-07", "161", "", ""), "ok"),
    (
        ("DUP", "07.2025", "162", "", ""),
        ("serial_number", "The same meter and month are already in row 3."),
    ),
    (("", "2025-07", "5", "", ""), ("serial_number", "The meter's serial number is missing.")),
    (("OK", "2025-13", "1", "", ""), ("period", "Not a month")),
    (("OK", "2099-01", "1", "", ""), ("period", "The month has not come yet.")),
    (
        ("NOPE", "2025-07", "1", "", ""),
        ("serial_number", "No meter in service has this serial number."),
    ),
    (("TWO", "2025-07", "1100", "", ""), ("value_t2", "The reading is missing.")),
    (("TWO2", "2025-07", "12a", "7", ""), ("value_t1", "Not a reading")),
    (("ONE", "2025-07", "155", "6", ""), ("value_t2", "This meter has no such tariff zone.")),
    (
        ("DIGITS", "2025-07", "123456", "", ""),
        ("value_t1", "More digits than the meter's counter has."),
    ),
    (
        ("LATER", "2025-07", "165", "", ""),
        ("value_t1", "A reading for a later month (2025-08) is recorded."),
    ),
    (("SAME", "2025-07", "200,000", "", ""), "unchanged"),
    (
        ("SAME", "2025-07", "201", "", ""),
        ("serial_number", "The same meter and month are already in row 14."),
    ),
    (
        ("BELOW", "2025-07", "149", "", ""),
        ("value_t1", "Lower than the previous reading (150.000 for 2025-06)."),
    ),
    (("ROLL", "2025-07", "5", "", "да"), "ok"),
    (
        ("OLD", "2025-07", "60", "", ""),
        ("warning", "The meter's verification was due on 2021-03-01."),
    ),
    (
        ("JUMP", "2025-07", "260", "", ""),
        ("warning", "Consumption 110.000 a month is over 3.00 times the average (10.000)."),
    ),
    (("NEW", "2025-07", "30", "", ""), "ok"),
    (("SPACED", "2025-07", "1 234,5", "", "maybe"), ("rollover", "Write yes or no.")),
    (("SPACED", "2025-07", "1 234,5", "", ""), "ok"),
    (("BLANK", "2025-07", "н/д", "", ""), ("value_t1", "The reading is missing.")),
]


def csv_file(rows) -> bytes:
    lines = ["Заводской номер;Период;Показания;T2;Переход через ноль"]
    lines += [";".join(cells) for cells, _expected in rows]
    return "\n".join(lines).encode("utf-8")


def run(mw, method, rows=ROWS, provider=None, filename="readings.csv"):
    return readings_import(
        municipality=mw.city,
        data=csv_file(rows),
        filename=filename,
        provider=provider,
        method=method,
    )


@pytest.mark.parametrize("method", METHODS)
def test_every_rule_reports_its_row_and_the_good_rows_are_kept(mw, meters, method):
    batch = run(mw, method)

    reported = {}
    for issue in batch.issues:
        key = "warning" if issue["warning"] else issue["column"]
        reported.setdefault(issue["row"], []).append((key, issue["reason"]))
    for number, (cells, expected) in enumerate(ROWS, start=2):
        if expected in ("ok", "unchanged"):
            assert number not in reported, (number, cells, reported.get(number))
        else:
            column, reason = expected
            assert any(c == column and r.startswith(reason) for c, r in reported.get(number, [])), (
                number,
                cells,
                reported.get(number),
            )
    assert (batch.total, batch.unchanged) == (len(ROWS), 1)
    assert batch.accepted == 7 and batch.flagged == 2
    assert batch.failed == len(ROWS) - 8
    july = {r.meter.serial_number: r for r in MeterReading.objects.filter(period=JUL)}
    assert set(july) == {"OK", "DUP", "ROLL", "OLD", "JUMP", "NEW", "SPACED", "SAME"}
    assert july["OK"].consumption == Decimal("10") and july["OK"].avg_consumption == Decimal("10")
    assert july["ROLL"].rollover and july["ROLL"].consumption == Decimal("15")
    assert july["JUMP"].implausible and not july["OK"].implausible
    assert july["OLD"].verification_overdue
    assert july["NEW"].consumption == Decimal("30") and july["NEW"].avg_consumption == Decimal("15")
    assert july["SPACED"].value1 == Decimal("1234.5")
    assert july["SAME"].value1 == Decimal("200")  # unchanged, not duplicated
    assert "The same meter and month are already in row 3." in batch.report


@pytest.mark.parametrize("method", METHODS)
def test_an_import_for_a_provider_keeps_to_its_meters(mw, meters, method):
    rows = [(("OK", "2025-07", "160", "", ""), "ok"), (("OTHER", "2025-07", "160", "", ""), "x")]

    batch = run(mw, method, rows=rows, provider=mw.water)

    assert batch.accepted == 1
    assert [i["reason"] for i in batch.issues] == ["This meter's readings go to another provider."]


@pytest.mark.parametrize("method", METHODS)
def test_several_months_of_one_meter_follow_each_other(mw, meters, method):
    rows = [
        (("OK", "2025-08", "175", "", ""), "ok"),
        (("OK", "2025-07", "160", "", ""), "ok"),
    ]

    batch = run(mw, method, rows=rows)

    assert batch.failed == 0
    august = MeterReading.objects.get(meter=meters["OK"], period=dt.date(2025, 8, 1))
    assert august.consumption == Decimal("15")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with the PostgreSQL path")
def test_both_paths_give_the_same_report(mw, meters):
    reports = {}
    for method in ("row", "set"):
        with transaction.atomic():
            batch = run(mw, method)
            reports[method] = (batch.issues, batch.report, batch.accepted, batch.failed)
            readings = sorted(
                MeterReading.objects.filter(period=JUL).values_list(
                    "meter__serial_number",
                    "value1",
                    "consumption",
                    "avg_consumption",
                    "months_counted",
                    "rollover",
                    "implausible",
                    "verification_overdue",
                )
            )
            reports[method] += (readings,)
            transaction.set_rollback(True)
    assert reports["row"] == reports["set"]


def test_an_xlsx_file_is_read_like_a_csv(mw, meters):
    book = Workbook()
    sheet = book.active
    sheet.append(["serial_number", "period", "value"])
    sheet.append(["OK", dt.date(2025, 7, 20), 160.5])
    sheet.append(["NEW", "2025-07", 30])
    out = io.BytesIO()
    book.save(out)

    batch = readings_import(municipality=mw.city, data=out.getvalue(), filename="r.xlsx")

    assert (batch.accepted, batch.failed) == (2, 0)
    assert MeterReading.objects.get(meter=meters["OK"], period=JUL).value1 == Decimal("160.5")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"serial;value\nA;1", "The file needs the columns"),
        (b"\x00\x01\x02", "This is not a CSV or XLSX file."),
    ],
)
def test_a_file_that_cannot_be_read_imports_nothing(mw, data, message):
    with pytest.raises(ImportFileError, match=message):
        readings_import(municipality=mw.city, data=data, filename="x.csv")


@pytest.mark.parametrize("method", METHODS)
def test_the_report_shows_a_bad_cell_as_written(mw, meters, method):
    rows = [(("OK", "2025-07", "12\\3\t4", "", ""), "x"), (("SAME\\", "2025-07", "1", "", ""), "x")]

    batch = run(mw, method, rows=rows)

    assert [(i["column"], i["value"]) for i in batch.issues] == [
        ("value_t1", "12\\3\t4"),
        ("serial_number", "SAME\\"),
    ]


@pytest.mark.parametrize("method", METHODS)
def test_an_xlsx_damaged_after_its_first_rows_imports_nothing(mw, meters, method):
    header, good = ["serial_number", "period", "value"], ["OK", "2025-07", 160]
    data = xlsx_damaged([header, good, good, good], from_row=3)

    with pytest.raises(ImportFileError, match="damaged"):
        readings_import(municipality=mw.city, data=data, filename="r.xlsx", method=method)
    assert not MeterReading.objects.filter(meter=meters["OK"], period=JUL).exists()
    assert not ReadingImport.objects.exists()
