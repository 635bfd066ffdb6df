"""Read a CSV or XLSX file into a header and numbered rows (the header is row 1)."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from opencity.core.errors import Invalid

XLSX_MAGIC = b"PK\x03\x04"
# What a damaged XLSX raises while it is opened or read: a bad zip or deflate stream, a missing
# part, broken XML (the standard library's and lxml's parse errors are SyntaxErrors), no sheet.
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    OSError,
    SyntaxError,
)


class ImportFileError(Invalid):
    """The file cannot be read at all: nothing was imported."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list]]  # (row number in the file, cell values)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Russian Windows saves "CSV" in Windows-1251.
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is neither UTF-8 nor Windows-1251 text.")) from None


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %s") % exc) from exc
    if not records:
        raise ImportFileError(_("The file is empty."))
    header = [h.strip() for h in records[0]]
    rows = [(i + 2, record) for i, record in enumerate(records[1:])]
    return Table(header=header, rows=rows)


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        raise ImportFileError(_("The XLSX file cannot be opened: %s") % exc) from exc
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header_row = next(iterator, None)
        if header_row is None:
            raise ImportFileError(_("The file is empty."))
        header = ["" if h is None else str(h).strip() for h in header_row]
        rows = [(i + 2, list(values)) for i, values in enumerate(iterator)]
    except XLSX_ERRORS as exc:
        raise ImportFileError(_("The XLSX file is damaged: %s") % exc) from exc
    finally:
        workbook.close()
    return Table(header=header, rows=rows)


def table_read(source: str | Path | BinaryIO, *, filename: str = "") -> Table:
    """Read a CSV (UTF-8 with or without BOM, comma or semicolon) or XLSX file."""
    if isinstance(source, str | Path):
        filename = filename or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ImportFileError(_("Cannot read the file: %s") % exc.strerror) from exc
    else:
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(data)
    elif filename.lower().endswith(".xls"):
        raise ImportFileError(_("Old .xls files are not supported: save the file as XLSX or CSV."))
    else:
        if b"\x00" in data[:4096]:
            raise ImportFileError(_("This is not a CSV or XLSX file."))
        table = _read_csv(data)
    if not any(table.header):
        raise ImportFileError(_("The first row must hold the column names."))
    return table
