"""Write rows as CSV (UTF-8 with BOM, so Excel reads Cyrillic) or XLSX: what exports share."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook

TABLE_FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_write(rows: Iterable[list], *, out: BinaryIO, fmt: str, sheet: str = "data") -> None:
    """Write a header and rows to a binary stream in the given format."""
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
        text.flush()
        text.detach()
    elif fmt == "xlsx":
        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(sheet[:31])
        for row in rows:
            worksheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        workbook.save(out)
    else:
        raise ValueError(f"unknown table format {fmt!r}")
