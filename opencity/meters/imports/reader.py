"""Read a readings file (CSV or XLSX) row by row, with its columns given canonical names."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from opencity.buildings.imports.readers import XLSX_ERRORS, XLSX_MAGIC, ImportFileError
from opencity.meters.rules import clean

COLUMNS = ("serial_number", "period", "value_t1", "value_t2", "value_t3", "rollover")
REQUIRED = ("serial_number", "period", "value_t1")
ALIASES = {
    "serial_number": "serial_number",
    "serial": "serial_number",
    "meter": "serial_number",
    "заводской номер": "serial_number",
    "номер счётчика": "serial_number",
    "номер счетчика": "serial_number",
    "номер прибора": "serial_number",
    "period": "period",
    "month": "period",
    "период": "period",
    "месяц": "period",
    "value": "value_t1",
    "value_t1": "value_t1",
    "t1": "value_t1",
    "показания": "value_t1",
    "показание": "value_t1",
    "показания т1": "value_t1",
    "value_t2": "value_t2",
    "t2": "value_t2",
    "показания т2": "value_t2",
    "value_t3": "value_t3",
    "t3": "value_t3",
    "показания т3": "value_t3",
    "rollover": "rollover",
    "переход через ноль": "rollover",
}


@dataclass
class ReadingRows:
    """The file's rows as (row number, six texts in COLUMNS order); the header is row 1."""

    rows: Iterator[tuple[int, tuple[str, ...]]]
    format: str


def _positions(header: list) -> list[int | None]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = ALIASES.get(" ".join(str(name or "").strip().lower().replace("ё", "е").split()))
        if key is None:
            key = ALIASES.get(" ".join(str(name or "").strip().lower().split()))
        if key is not None and key not in found:
            found[key] = index
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise ImportFileError(
            _("The file needs the columns %(columns)s (found: %(found)s).")
            % {
                "columns": ", ".join(REQUIRED),
                "found": ", ".join(str(h) for h in header if h) or "—",
            }
        )
    return [found.get(column) for column in COLUMNS]


def _pick(cells, positions) -> tuple[str, ...]:
    return tuple(clean(cells[p]) if p is not None and p < len(cells) else "" for p in positions)


def _text_picker(positions, width: int):
    """Pick the six columns of a CSV record (text cells) fast, with a C-level item getter."""
    pad = [""]
    blank = width  # the padding cell, always ""
    getter = itemgetter(*[p if p is not None else blank for p in positions])

    def pick(record: list[str]) -> tuple[str, ...]:
        if len(record) != width:
            record = (record + [""] * width)[:width]
        return getter(record + pad)

    return pick


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is neither UTF-8 nor Windows-1251 text.")) from None


def _csv_rows(text: str) -> ReadingRows:
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %s") % exc) from exc
    positions = _positions(header)
    pick = _text_picker(positions, len(header))

    def rows():
        number = 1
        try:
            for record in reader:
                number += 1
                if any(record):
                    yield number, pick(record)
        except csv.Error as exc:
            raise ImportFileError(_("The CSV file is malformed: %s") % exc) from exc

    return ReadingRows(rows(), "csv")


def _xlsx_rows(data: bytes) -> ReadingRows:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        iterator = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(iterator, None)
    except XLSX_ERRORS as exc:
        raise ImportFileError(_("The XLSX file cannot be opened: %s") % exc) from exc
    if header is None:
        workbook.close()
        raise ImportFileError(_("The file is empty."))
    positions = _positions(list(header))

    def rows():
        number = 1
        try:
            for number, values in enumerate(iterator, start=2):
                if any(v is not None and str(v).strip() for v in values):
                    yield number, _pick(values, positions)
        except XLSX_ERRORS as exc:
            # A sheet broken part-way: nothing of the file is imported (the caller's
            # transaction is rolled back), and the message says where.
            raise ImportFileError(
                _("The XLSX file is damaged after row %(row)d: %(error)s")
                % {"row": number, "error": exc}
            ) from exc
        finally:
            workbook.close()

    return ReadingRows(rows(), "xlsx")


def reading_rows(data: bytes, *, filename: str = "") -> ReadingRows:
    """Open a CSV (UTF-8 or Windows-1251; comma, semicolon or tab) or XLSX file of readings."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(data)
    if filename.lower().endswith(".xls"):
        raise ImportFileError(_("Old .xls files are not supported: save the file as XLSX or CSV."))
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    return _csv_rows(_decode(data))
