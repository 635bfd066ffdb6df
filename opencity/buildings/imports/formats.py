"""The two file formats: our own (columns = Building field names) and Реформа ЖКХ open data.

A row fails only when it has no usable address or key. An unreadable optional value is
reported and not set: blank on a new building, unchanged on an existing one. Coordinates
outside the municipality are reported and dropped (set to null) by the runner. What the
export leaves blank stays unknown: no house type, no "managed since" is made up.

The export's wordings are mapped by the tables below (ENERGY_*, CAPITAL_FUND_RULES,
HOUSE_TYPE_RULES, MANAGER_NONE): every spelling seen in real exports, tested row by row.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from opencity.buildings.addresses import address_parse
from opencity.buildings.imports.result import RowData
from opencity.buildings.imports.values import (
    BLANKS,
    ValueProblem,
    as_text,
    blank_for_field,
    blank_key,
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
LOCALITY_FIELDS = ("locality_type", "locality_name", "locality_parent")

REFORMA_COLUMNS = [
    "LAT",
    "LON",
    "HOUSE_ID",
    "ADDRESS",
    "YEAR",
    "LASTUPDATE",
    "SERVICEDATE_START",
    "SERIE",
    "HOUSE_TYPE",
    "CAPFOND",
    "MGMT_COMPANY",
    "MGMT_COMPANY_LINK",
    "AVAR",
    "LEVELS_MAX",
    "LEVELS_MIN",
    "DOORS",
    "ROOM_COUNT",
    "ROOM_COUNT_LIVE",
    "ROOM_COUNT_NONLIVE",
    "AREA",
    "AREA_LIVE",
    "AREA_NONLIVE",
    "AREA_GEN",
    "AREA_LAND",
    "AREA_PARK",
    "CADNO",
    "ENERGY_CLASS",
    "BLAG_PLAYGROUND",
    "BLAG_SPORT",
    "BLAG_OTHER",
    "OTHER",
]
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
# What the export says for "no class": "Не присвоен", "Нет", "Не определен", "Без класса"…
ENERGY_BLANK_PREFIXES = ("не ", "нет", "без ", "отсутств", "неопредел", "не присв")
# Cyrillic letters typed for the Latin class letters (А, В, С, Е look alike; Д is D).
_ENERGY_LETTERS = str.maketrans("авсде", "abcde")
# "B+", "класс B++", "C (нормальный)", "А - очень высокий": the letter, then up to two pluses.
_ENERGY = re.compile(
    r"^(?:класс\w*\s*)?(?:энерг\w*\s*)?(?:эффективн\w*\s*)?([a-gавсде])\s*(\+{0,2})"
    r"(?![a-zа-я0-9])"
)
# The capital-repair fund method, by the first rule whose pattern occurs in the folded text.
# Order matters: a special account may be held by the regional operator ("На специальном
# счете у регионального оператора" is a special account, not the operator's common fund).
CAPITAL_FUND_RULES = (
    (re.compile(r"специальн|спец\s*\.?\s*сч|спецсч"), CapitalRepairFund.SPECIAL_ACCOUNT),
    (
        re.compile(r"\bне\s*(?:определ|выбран|включ|формир|установл|реализ|принят)|способ не"),
        CapitalRepairFund.NOT_DEFINED,
    ),
    (
        re.compile(r"регионал|\bро\b|общ\w*\s+(?:сч|котел|котл)|котлов"),
        CapitalRepairFund.REGIONAL_OPERATOR,
    ),
)
HOUSE_TYPE_RULES = (
    (re.compile(r"блок"), HouseType.BLOCKED),
    (re.compile(r"общежит"), HouseType.DORMITORY),
    (re.compile(r"специализ|маневренн"), HouseType.SPECIAL),
    (re.compile(r"многокварт|\bмкд\b|^жилой дом$"), HouseType.APARTMENT),
)
_ENERGY_CLASSES = frozenset(EnergyClass.values)
# What MGMT_COMPANY says when nobody manages the building: no organisation to create.
MANAGER_NONE = re.compile(
    r"^(?:непосредственн\w* управлени|(?:управляющ\w* (?:организаци|компани)\w* |способ "
    r"управления |уо )?не (?:выбран|определ)|нет управляющ)"
)


_REFORMA_COLUMN_OF = {field: column for column, field in REFORMA_FIELDS.items()} | {
    "year_built": "YEAR",
    "address": "ADDRESS",
    "house_type": "HOUSE_TYPE",
    "capital_repair_fund": "CAPFOND",
    "energy_class": "ENERGY_CLASS",
    "is_emergency": "AVAR",
}


def format_column_key(fmt: str, name: str) -> str:
    """Return how a header cell is matched: upper case for Реформа, lower case for ours."""
    name = name.strip()
    return name.upper() if fmt == REFORMA else name.lower()


def format_columns(fmt: str) -> set[str]:
    """Return the columns the format reads (as format_column_key spells them)."""
    return set(REFORMA_COLUMNS) if fmt == REFORMA else set(OWN_COLUMNS)


def format_column_of(fmt: str, field_name: str) -> str:
    """Return the column a building field is read from, to name it in the report."""
    if fmt == REFORMA:
        return _REFORMA_COLUMN_OF.get(field_name, field_name)
    return field_name


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
    if not any(data.values.get(k) for k in LOCALITY_FIELDS):
        data.values.update(
            locality_type=parsed.locality_type[:16],
            locality_name=parsed.locality_name[:200],
            locality_parent=parsed.locality_parent[:200],
        )
    if parsed.postcode and not data.values.get("postcode"):
        data.values["postcode"] = parsed.postcode
    if parsed.duplicate is not None:
        data.problem(
            column,
            address,
            _("the export marks this record as a duplicate (дубль %s): imported, check it")
            % (parsed.duplicate or "—"),
        )
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


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[.,;:()\"«»]", " ", blank_key(text)).split())


def house_type_parse(text: str) -> str:
    """Map the export's HOUSE_TYPE to a house type; '' when it says nothing."""
    key = _folded(text)
    if not key or key in BLANKS:
        return ""
    for pattern, house_type in HOUSE_TYPE_RULES:
        if pattern.search(key):
            return house_type
    return HouseType.OTHER


def capital_fund_parse(text: str) -> str:
    """Map the export's CAPFOND wording to the fund method, or raise ValueProblem."""
    key = _folded(text).replace("ё", "е")
    if not key or key in BLANKS:
        return ""
    for pattern, method in CAPITAL_FUND_RULES:
        if pattern.search(key):
            return method
    raise ValueProblem(_("unknown capital repair fund method"))


def energy_class_parse(text: str) -> str:
    """Read an energy-efficiency class of either scale ('B+', 'класс С'); '' for none."""
    key = blank_key(text)
    if not key or key in BLANKS or key.startswith(ENERGY_BLANK_PREFIXES):
        return ""
    match = _ENERGY.match(key)
    value = f"{match.group(1).translate(_ENERGY_LETTERS).upper()}{match.group(2)}" if match else ""
    if value not in _ENERGY_CLASSES:
        raise ValueProblem(_("unknown energy-efficiency class"))
    return value


def manager_name_parse(text: str) -> str | None:
    """Read MGMT_COMPANY: the name, '' when it says nobody manages, None when it is blank."""
    if is_blank(text):
        return None
    name = as_text(text)[:300]
    return "" if MANAGER_NONE.match(_folded(name)) else name


# Реформа columns with a mapping of their own: (field, reader, what a blank means).
_SPECIAL = {
    "HOUSE_TYPE": ("house_type", house_type_parse, ""),
    "CAPFOND": ("capital_repair_fund", capital_fund_parse, ""),
    "ENERGY_CLASS": ("energy_class", energy_class_parse, ""),
    "AVAR": ("is_emergency", parse_bool, False),
}


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
                data.values["year_built"] = parse_int(raw)
            except ValueProblem as exc:
                data.values.pop("year_built")
                data.problem("YEAR", raw, str(exc))
    for column, (field_name, convert, blank) in _SPECIAL.items():
        if column not in cells:
            continue
        raw = cells[column]
        if is_blank(raw, yes_no=column == "AVAR"):
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
            if not is_blank(raw, yes_no=True):
                lines.append(f"{label}: {as_text(raw)}")
        data.values["amenities"] = "\n".join(lines)
    if "MGMT_COMPANY" in cells:
        # A blank manager in the export says "unknown", not "no manager": keep ours.
        data.manager_name = manager_name_parse(cells["MGMT_COMPANY"])
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
