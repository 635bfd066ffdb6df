"""The appeals module's table as a CSV or an XLSX file (openpyxl, already a dependency)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

EXPORT_FORMATS = ("csv", "xlsx")


def _header() -> list[str]:
    return [
        _("Name"),
        _("Filed"),
        _("Done"),
        _("Execution, %"),
        _("Overdue, %"),
        _("Confirmed, %"),
        _("Reopened, %"),
        _("Mean time to resolution, h"),
    ]


def _values(row: dict) -> list:
    return [
        row["name"],
        row["filed"],
        row["done"],
        row["execution"],
        row["overdue"],
        row["confirmed"],
        row["reopened"],
        row["mean_hours"],
    ]


def table_export(*, table: list[dict], fmt: str) -> bytes:
    """Return the table as the bytes of a CSV (UTF-8 with BOM, for spreadsheets) or XLSX file."""
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(_header())
        for row in table:
            writer.writerow(["" if v is None else v for v in _values(row)])
        return ("\ufeff" + text.getvalue()).encode()
    book = Workbook()
    sheet = book.active
    sheet.title = _("Appeals")[:31]
    sheet.append(_header())
    for row in table:
        sheet.append(_values(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
