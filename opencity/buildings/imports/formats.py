"""The two file formats: our own (columns = Building field names) and Реформа ЖКХ open data.

A row fails only when it has no usable address or key. An unreadable optional value is
reported and not set: blank on a new building, unchanged on an existing one. Coordinates
outside the municipality are reported and dropped (set to null) by the runner.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from opencity.buildings.addresses import address_parse
from opencity.buildings.imports.result import RowData
from opencity.buildings.imports.values import (
    ValueProblem,
    as_text,
    blank_for_field,
    convert_for_field,
    is_blank,
    parse_bool,
    parse_date,
    parse_int,
)
from opencity.buildings.models import (
    Building,
    CapitalRepairFund,
    EnergyClass,
    HouseType,
)

OWN = "own"
REFORMA = "reforma"

_OWN_EXCLUDED = {"municipality", "source", "search_text", "h3_cell", "created_at", "updated_at"}
# Export writes exactly these columns, in this order; import reads any subset of them.
OWN_COLUMNS = [
    f.name for f in Building._meta.concrete_fields if f.name not in _OWN_EXCLUDED and f.name != "id"
]
OWN_COLUMNS.insert(0, "id")
_FIELDS = {f.name: f for f in Building._meta.concrete_fields}

REFORMA_COLUMNS = [
    "LAT", "LON", "HOUSE_ID", "ADDRESS", "YEAR", "LASTUPDATE", "SERVICEDATE_START", "SERIE",
    "HOUSE_TYPE", "CAPFOND", "MGMT_COMPANY", "MGMT_COMPANY_LINK", "AVAR", "LEVELS_MAX",
    "LEVELS_MIN", "DOORS", "ROOM_COUNT", "ROOM_COUNT_LIVE", "ROOM_COUNT_NONLIVE", "AREA",
    "AREA_LIVE", "AREA_NONLIVE", "AREA_GEN", "AREA_LAND", "AREA_PARK", "CADNO", "ENERGY_CLASS",
    "BLAG_PLAYGROUND", "BLAG_SPORT", "BLAG_OTHER", "OTHER",
]  # fmt: skip
# Реформа columns read straight into a Building field.
REFORMA_FIELDS = {
    "LAT": "lat",
    "LON": "lon",
    "SERIE": "series",
    "LASTUPDATE": "source_updated_at",
    "LEVELS_MAX": "floors_max",
    "LEVELS_MIN": "floors_min",
    "DOORS": "entrances_count",
    "ROOM_COUNT": "premises_total",
    "ROOM_COUNT_LIVE": "premises_residential",
    "ROOM_COUNT_NONLIVE": "premises_nonresidential",
    "AREA": "area_total",
    "AREA_LIVE": "area_residential",
    "AREA_NONLIVE": "area_nonresidential",
    "AREA_GEN": "area_common",
    "AREA_LAND": "area_land",
    "AREA_PARK": "area_parking",
    "CADNO": "cadastral_number",
    "OTHER": "notes",
}
# Amenity columns keep the source's own words: they are data, not interface text.
REFORMA_AMENITIES = {
    "BLAG_PLAYGROUND": "Детская площадка",
    "BLAG_SPORT": "Спортивная площадка",
    "BLAG_OTHER": "Другое",
}
_CYRILLIC_LOOKALIKES = str.maketrans("АВСДЕЕ", "ABCDEE")
_ENERGY = re.compile(r"^([A-G])(\+{0,2})")


def format_detect(header: list[str]) -> str | None:
    """Tell the format from the header row: 'reforma', 'own' or None."""
    upper = {h.strip().upper() for h in header}
    if {"HOUSE_ID", "ADDRESS"} <= upper:
        return REFORMA
    lower = {h.strip().lower() for h in header}
    if "address" in lower or {"street", "house_number"} <= lower:
        return OWN
    return None


def _set(data: RowData, column: str, field_name: str, raw, tz: ZoneInfo) -> None:
    """Store a cell into a field; a blank clears it, a bad value is reported and skipped."""
    field = _FIELDS[field_name]
    if is_blank(raw):
        data.values[field_name] = blank_for_field(field)
        return
    try:
        data.values[field_name] = convert_for_field(field, raw, tz=tz)
    except ValueProblem as exc:
        data.problem(column, raw, str(exc))


def _finish_address(data: RowData, column: str) -> None:
    """Fill address parts from the one-string address; a row with no address fails."""
    address = data.values.get("address") or ""
    if not address:
        street = data.values.get("street") or ""
        house = data.values.get("house_number") or ""
        if street and house:
            data.values["address"] = f"{street}, {house}"
            return
        data.problem(column, "", _("the address is required"), fatal=True)
        return
    if any(data.values.get(k) for k in ("street", "house_number")):
        return
    parsed = address_parse(address)
    data.values.update(
        street=parsed.street[:200],
        house_number=parsed.house_number[:20],
        corpus=parsed.corpus[:20],
        structure=parsed.structure[:20],
    )
    if parsed.postcode and not data.values.get("postcode"):
        data.values["postcode"] = parsed.postcode
    if not parsed.is_complete:
        data.problem(
            column,
            address,
            _("street and house number not recognised; the building is found by its full address"),
        )


def row_read_own(row: int, cells: dict[str, object], *, tz: ZoneInfo) -> RowData:
    """Read a row of our own format (cells keyed by lower-case column name)."""
    data = RowData(row=row)
    for column, raw in cells.items():
        if column == "id":
            if not is_blank(raw):
                try:
                    data.pk = parse_int(raw)
                except ValueProblem as exc:
                    data.problem(column, raw, str(exc))
        elif column == "district":
            data.district_key = "" if is_blank(raw) else as_text(raw)
        elif column == "management_company":
            data.manager_name = "" if is_blank(raw) else as_text(raw)
        elif column == "management_since":
            if not is_blank(raw):
                try:
                    data.manager_since = parse_date(raw)
                except ValueProblem as exc:
                    data.problem(column, raw, str(exc))
        elif column in _FIELDS:
            _set(data, column, column, raw, tz)
    data.external_id = data.values.pop("external_id", "") or ""
    _finish_address(data, "address")
    return data


def _house_type(text: str) -> str:
    lowered = text.lower()
    if "блок" in lowered:
        return HouseType.BLOCKED
    if "общежит" in lowered:
        return HouseType.DORMITORY
    if "специализ" in lowered:
        return HouseType.SPECIAL
    if "многокв" in lowered or lowered in {"мкд", "жилой дом"}:
        return HouseType.APARTMENT
    return HouseType.OTHER


def _capital_fund(text: str) -> str:
    lowered = text.lower()
    if "регионал" in lowered:
        return CapitalRepairFund.REGIONAL_OPERATOR
    if "специальн" in lowered or "спецсчет" in lowered:
        return CapitalRepairFund.SPECIAL_ACCOUNT
    if "не определ" in lowered or "не выбран" in lowered:
        return CapitalRepairFund.NOT_DEFINED
    raise ValueProblem(_("unknown capital repair fund method"))


def _energy_class(text: str) -> str:
    value = text.strip().upper().translate(_CYRILLIC_LOOKALIKES)
    if value.startswith(("НЕ ", "НЕТ")):
        return ""
    match = _ENERGY.match(value)
    if not match or match.group(0) not in EnergyClass.values:
        raise ValueProblem(_("unknown energy-efficiency class"))
    return match.group(0)


def row_read_reforma(row: int, cells: dict[str, object], *, tz: ZoneInfo) -> RowData:
    """Read a row of the Реформа ЖКХ open-data export (cells keyed by upper-case column)."""
    data = RowData(row=row)
    house_id = cells.get("HOUSE_ID")
    if is_blank(house_id):
        data.problem("HOUSE_ID", "", _("HOUSE_ID is required to update on re-import"), fatal=True)
    else:
        data.external_id = as_text(house_id)[:64]
    address = cells.get("ADDRESS")
    if not is_blank(address):
        text = as_text(address)
        if len(text) > 400:
            data.problem("ADDRESS", text, _("longer than %d characters") % 400, fatal=True)
        data.values["address"] = text[:400]
    for column, field_name in REFORMA_FIELDS.items():
        if column in cells:
            _set(data, column, field_name, cells[column], tz)
    if "YEAR" in cells:
        raw = cells["YEAR"]
        data.values["year_built"] = None
        if not is_blank(raw):
            try:
                year = parse_int(raw)
                if not 1600 <= year <= 2100:
                    raise ValueProblem(_("implausible year"))
                data.values["year_built"] = year
            except ValueProblem as exc:
                data.values.pop("year_built")
                data.problem("YEAR", raw, str(exc))
    special = {
        "HOUSE_TYPE": ("house_type", _house_type, HouseType.APARTMENT),
        "CAPFOND": ("capital_repair_fund", _capital_fund, ""),
        "ENERGY_CLASS": ("energy_class", _energy_class, ""),
        "AVAR": ("is_emergency", lambda t: parse_bool(t), False),
    }
    for column, (field_name, convert, blank) in special.items():
        if column not in cells:
            continue
        raw = cells[column]
        if is_blank(raw):
            data.values[field_name] = blank
            continue
        try:
            data.values[field_name] = convert(as_text(raw))
        except ValueProblem as exc:
            data.problem(column, raw, str(exc))
    if any(column in cells for column in REFORMA_AMENITIES):
        lines = []
        for column, label in REFORMA_AMENITIES.items():
            raw = cells.get(column)
            if not is_blank(raw):
                lines.append(f"{label}: {as_text(raw)}")
        data.values["amenities"] = "\n".join(lines)
    if "MGMT_COMPANY" in cells:
        raw = cells["MGMT_COMPANY"]
        # A blank manager in the export says "unknown", not "no manager": keep ours.
        data.manager_name = None if is_blank(raw) else as_text(raw)[:300]
        data.manager_link = (
            ""
            if is_blank(cells.get("MGMT_COMPANY_LINK"))
            else as_text(cells.get("MGMT_COMPANY_LINK"))
        )
        raw_since = cells.get("SERVICEDATE_START")
        if not is_blank(raw_since):
            try:
                data.manager_since = parse_date(raw_since)
            except ValueProblem as exc:
                data.problem("SERVICEDATE_START", raw_since, str(exc))
    _finish_address(data, "ADDRESS")
    return data
