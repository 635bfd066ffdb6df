"""The buildings proposed for capital repair as a CSV or an XLSX file (openpyxl, already the
buildings export's library).

See docs/subsystems/inspections.md, "Pages and reports".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from opencity.buildings.models import Building

EXPORT_FORMATS = ("csv", "xlsx")


def capital_repair_rows(*, buildings: QuerySet[Building]) -> Iterable[list]:
    """The header, then one row per building: the class first, as the list is grouped by it."""
    yield [
        _("Capital-repair class"),
        _("Address"),
        _("District"),
        _("Management company"),
        _("Year commissioned"),
        _("Walls"),
        _("Storeys"),
        _("Physical wear, %"),
        _("Condition"),
        _("Technical condition (ГОСТ 31937)"),
        _("Assessed on"),
        _("Cadastral number"),
    ]
    for b in buildings.iterator(chunk_size=2000):
        yield [
            b.get_repair_class_display(),
            b.address,
            b.district.name if b.district else "",
            b.management_company.name if b.management_company else "",
            b.year_built,
            b.get_wall_material_display(),
            b.floors_max,
            float(b.wear_percent) if b.wear_percent is not None else None,
            b.get_condition_display(),
            b.get_technical_state_display(),
            b.wear_assessed_on.isoformat() if b.wear_assessed_on else "",
            b.cadastral_number,
        ]


def capital_repair_export(*, buildings: QuerySet[Building], out: BinaryIO, fmt: str) -> None:
    """Write the list to out as CSV (UTF-8 with a BOM, for spreadsheet programs) or XLSX."""
    rows = capital_repair_rows(buildings=buildings)
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Capital repair"))
        for row in rows:
            sheet.append(row)
        workbook.save(out)
        return
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    text.flush()
    text.detach()
