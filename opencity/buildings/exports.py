"""Export the registry in our own format (CSV or XLSX): exactly what the import reads back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook

from opencity.buildings.imports.formats import OWN_COLUMNS
from opencity.buildings.models import Building
from opencity.buildings.selectors import building_list
from opencity.core.models import District, Municipality

EXPORT_FORMATS = ("csv", "xlsx")


def _cell(building: Building, column: str):
    if column == "district":
        return building.district.slug if building.district_id else ""
    if column == "management_company":
        return building.management_company.name if building.management_company_id else ""
    value = getattr(building, column)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    return value


def building_export_rows(
    *, municipality: Municipality, district: District | None = None
) -> Iterator[list]:
    """Yield the header and one row per building of the municipality (or one district)."""
    yield list(OWN_COLUMNS)
    qs = building_list(municipality=municipality, district=district)
    for building in qs.iterator(chunk_size=2000):
        yield [_cell(building, column) for column in OWN_COLUMNS]


def _write_csv(rows: Iterable[list], out: BinaryIO) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    for row in rows:
        writer.writerow(row)
    text.flush()
    text.detach()


def _write_xlsx(rows: Iterable[list], out: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("buildings")
    for row in rows:
        sheet.append([str(v) if isinstance(v, Decimal) else v for v in row])
    workbook.save(out)


def building_export(
    *,
    municipality: Municipality,
    out: BinaryIO,
    fmt: str = "csv",
    district: District | None = None,
) -> None:
    """Write the municipality's (or a district's) buildings to a binary stream as CSV or XLSX."""
    rows = building_export_rows(municipality=municipality, district=district)
    if fmt == "xlsx":
        _write_xlsx(rows, out)
    elif fmt == "csv":
        _write_csv(rows, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
