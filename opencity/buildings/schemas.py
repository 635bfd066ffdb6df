"""JSON shapes of the buildings API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class BuildingHitOut(Schema):
    id: int
    label: str
    address: str
    district: str
    url: str


class DistrictOut(Schema):
    id: int
    name: str
    slug: str


class ManagerOut(Schema):
    id: int
    name: str
    kind: str
    phone: str
    email: str
    website: str
    since: dt.date | None


class BuildingOut(Schema):
    id: int
    url: str
    external_id: str
    address: str
    street: str
    house_number: str
    corpus: str
    structure: str
    postcode: str
    district: DistrictOut | None
    lat: float | None
    lon: float | None
    h3_cell: str
    cadastral_number: str
    fias_guid: str
    year_built: int | None
    series: str
    house_type: str
    floors_max: int | None
    floors_min: int | None
    floors_underground: int | None
    entrances_count: int | None
    premises_total: int | None
    premises_residential: int | None
    premises_nonresidential: int | None
    area_total: Decimal | None
    area_residential: Decimal | None
    area_nonresidential: Decimal | None
    area_common: Decimal | None
    area_land: Decimal | None
    area_parking: Decimal | None
    wall_material: str
    foundation_type: str
    floor_slab_type: str
    roof_type: str
    roofing_material: str
    heating_system: str
    hot_water_system: str
    cold_water_system: str
    sewage_system: str
    gas_system: str
    electricity_system: str
    ventilation_system: str
    fire_system: str
    drain_system: str
    lifts_count: int | None
    has_garbage_chute: bool | None
    is_emergency: bool
    energy_class: str
    capital_repair_fund: str
    wear_percent: Decimal | None
    residents_count: int | None
    is_heritage: bool
    management_company: ManagerOut | None
    source_updated_at: dt.datetime | None
