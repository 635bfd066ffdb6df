"""Technical passports whose series, years, storeys, materials and systems go together."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from opencity.demo.data.profiles import AMENITIES, BASE_FLAT_AREA, Profile


def pick(rng: random.Random, pairs):
    """Choose a key from ((key, weight), ...)."""
    keys = [k for k, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(keys, weights=weights)[0]


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def needs_lift(floors: int, year: int) -> bool:
    """Lifts are required from 9 storeys; modern buildings have them from 6."""
    return floors >= 9 or (year >= 2000 and floors >= 6)


@dataclass
class FlatPlan:
    number: str
    entrance: int | None
    floor: int
    area: Decimal
    living_area: Decimal | None
    rooms: int | None
    is_residential: bool = True


@dataclass
class EntrancePlan:
    number: int
    floors: int
    lifts: int


@dataclass
class PassportPlan:
    fields: dict
    entrances: list[EntrancePlan]
    flats: list[FlatPlan] = field(default_factory=list)


def plan_passport(
    rng: random.Random, *, profile: Profile, ref_year: int, with_flats: bool
) -> PassportPlan:
    """Draw one building of the profile: construction, premises, areas, systems, condition."""
    year = min(rng.randint(*profile.years), ref_year - 1)
    floors = pick(rng, profile.floors)
    entrances_count = pick(rng, profile.entrances)
    floors_min = floors
    if floors > 12 and entrances_count > 1 and rng.random() < 0.3:
        floors_min = max(10, floors - rng.choice((3, 5, 7)))
    roof_type, roofing = pick(rng, profile.roof)

    entrances = []
    for number in range(1, entrances_count + 1):
        storeys = floors_min if number == entrances_count else floors
        lifts = (2 if storeys >= 17 else 1) if needs_lift(storeys, year) else 0
        entrances.append(EntrancePlan(number=number, floors=storeys, lifts=lifts))

    commercial = rng.random() < profile.commercial_ground_floor and floors > 1
    flats_per_floor = pick(rng, profile.flats_per_floor)
    first_residential_floor = 2 if commercial else 1
    residential = sum((e.floors - first_residential_floor + 1) * flats_per_floor for e in entrances)
    if commercial:
        nonresidential = entrances_count * rng.randint(1, 2)
    else:
        nonresidential = rng.choices((0, 1, 2), weights=(0.6, 0.3, 0.1))[0]

    flats: list[FlatPlan] = []
    if with_flats:
        number = 0
        for e in entrances:
            for floor in range(first_residential_floor, e.floors + 1):
                for _ in range(flats_per_floor):
                    number += 1
                    rooms = pick(rng, profile.rooms)
                    area = BASE_FLAT_AREA[rooms] * profile.area_factor * rng.uniform(0.9, 1.1)
                    living = area * rng.uniform(0.55, 0.68)
                    flats.append(
                        FlatPlan(str(number), e.number, floor, money(area), money(living), rooms)
                    )
        for n in range(1, nonresidential + 1):
            area = rng.uniform(40.0, 220.0)
            flats.append(FlatPlan(f"Н{n}", None, 1, money(area), None, None, False))
        area_residential = sum(f.area for f in flats if f.is_residential)
        area_nonresidential = sum((f.area for f in flats if not f.is_residential), Decimal(0))
    else:
        total_weight = sum(w for _, w in profile.rooms)
        mean_flat = sum(BASE_FLAT_AREA[r] * w for r, w in profile.rooms) / total_weight
        area_residential = money(
            residential * mean_flat * profile.area_factor * rng.uniform(0.95, 1.05)
        )
        area_nonresidential = money(sum(rng.uniform(40.0, 220.0) for _ in range(nonresidential)))
    area_common = money(float(area_residential + area_nonresidential) * rng.uniform(0.13, 0.22))
    area_total = area_residential + area_nonresidential + area_common
    footprint = float(area_total) / floors
    underground = pick(rng, profile.underground)
    area_parking = money(footprint * rng.uniform(0.6, 0.9)) if underground >= 2 else None

    age = max(0, ref_year - year)
    wear = age * profile.wear_rate * rng.uniform(0.85, 1.15) + rng.uniform(0.0, 3.0)
    if profile.key == "prewar":
        wear = min(wear, rng.uniform(45.0, 70.0))  # the old centre has been restored in part
    wear = round(min(wear, 85.0))
    is_emergency = wear >= 65 and rng.random() < (0.7 if profile.key == "wooden" else 0.4)

    heating, hot_water, gas = _systems(rng, profile, year, floors)
    fields = {
        "year_built": year,
        "series": rng.choice(profile.series),
        "house_type": "apartment",
        "floors_max": floors,
        "floors_min": floors_min,
        "floors_underground": underground,
        "entrances_count": entrances_count,
        "premises_residential": residential,
        "premises_nonresidential": nonresidential,
        "premises_total": residential + nonresidential,
        "area_total": area_total,
        "area_residential": area_residential,
        "area_nonresidential": area_nonresidential,
        "area_common": area_common,
        "area_land": money(footprint * rng.uniform(2.5, 5.0)),
        "area_parking": area_parking,
        "wall_material": pick(rng, profile.wall_material),
        "foundation_type": pick(rng, profile.foundation),
        "floor_slab_type": pick(rng, profile.floor_slab),
        "roof_type": roof_type,
        "roofing_material": roofing,
        "heating_system": heating,
        "hot_water_system": hot_water,
        "cold_water_system": "central",
        "sewage_system": "central",
        "gas_system": gas,
        "electricity_system": "central",
        "ventilation_system": (
            pick(rng, (("natural", 0.5), ("forced", 0.3), ("mixed", 0.2)))
            if profile.modern
            else "natural"
        ),
        "fire_system": _fire_system(rng, year, floors),
        "drain_system": "internal" if roof_type == "flat" else "external",
        "lifts_count": sum(e.lifts for e in entrances),
        "has_garbage_chute": _garbage_chute(rng, year, floors),
        "is_emergency": is_emergency,
        "energy_class": _energy_class(rng, year),
        "capital_repair_fund": _capital_repair_fund(rng, year, ref_year, is_emergency),
        "wear_percent": Decimal(wear),
        "residents_count": round(residential * rng.uniform(1.9, 2.7)),
        "is_heritage": profile.key == "prewar" and rng.random() < 0.2,
        "amenities": ", ".join(rng.sample(AMENITIES, rng.randint(1, 4))),
        "fias_guid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    }
    return PassportPlan(fields=fields, entrances=entrances, flats=flats)


def _systems(rng: random.Random, profile: Profile, year: int, floors: int):
    if profile.key == "wooden":
        heating = pick(rng, (("flat_boiler", 0.5), ("central", 0.5)))
    elif profile.modern and year >= 2010:
        heating = pick(
            rng, (("heat_substation", 0.5), ("autonomous_boiler", 0.15), ("central", 0.35))
        )
    else:
        heating = "central"
    gas = "central" if floors <= 10 and (year < 2000 or rng.random() < 0.3) else "none"
    if heating == "flat_boiler":
        gas = "central"
        hot_water = "flat_heater"
    elif heating in ("heat_substation", "autonomous_boiler"):
        hot_water = heating
    elif gas == "central" and floors <= 5 and year < 1975 and rng.random() < 0.35:
        hot_water = "flat_heater"  # a gas water heater in the kitchen
    elif year >= 2000:
        hot_water = "central_closed"
    else:
        hot_water = pick(rng, (("central_open", 0.4), ("central_closed", 0.6)))
    return heating, hot_water, gas


def _fire_system(rng: random.Random, year: int, floors: int) -> str:
    if floors >= 10:
        return "automatic" if year >= 2005 else "hydrants"
    if floors == 9:
        return "alarm" if rng.random() < 0.3 else "none"
    return "none"


def _garbage_chute(rng: random.Random, year: int, floors: int) -> bool:
    if floors < 9:
        return False
    if 1970 <= year <= 1990:
        chance = 0.9
    elif year < 2005:
        chance = 0.5
    else:
        chance = 0.1
    return rng.random() < chance


def _energy_class(rng: random.Random, year: int) -> str:
    if year >= 2015:
        return pick(rng, (("A++", 0.05), ("A+", 0.15), ("A", 0.4), ("B", 0.4)))
    if year >= 2000:
        return pick(rng, (("B", 0.3), ("C", 0.5), ("D", 0.2)))
    if rng.random() < 0.25:
        return ""  # older passports often leave it blank
    if year >= 1980:
        return pick(rng, (("C", 0.2), ("D", 0.6), ("E", 0.2)))
    return pick(rng, (("D", 0.4), ("E", 0.35), ("F", 0.2), ("G", 0.05)))


def _capital_repair_fund(rng: random.Random, year: int, ref_year: int, emergency: bool) -> str:
    if emergency:
        return "not_defined"  # emergency buildings are left out of the repair programme
    if year >= ref_year - 5:
        return pick(
            rng,
            (("special_account", 0.4), ("regional_operator", 0.5), ("not_defined", 0.1)),
        )
    return pick(rng, (("regional_operator", 0.9), ("special_account", 0.1)))
