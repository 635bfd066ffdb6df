"""Building profiles: which series, years, storeys and materials go together.

Numbers are rough figures for the housing stock of a Volga-region city; every profile is
what a real building of that kind plausibly looks like in a technical passport.
"""

from __future__ import annotations

from dataclasses import dataclass

INDIVIDUAL = "индивидуальный"


@dataclass(frozen=True)
class Profile:
    key: str
    series: tuple[str, ...]
    years: tuple[int, int]
    floors: tuple[tuple[int, float], ...]
    wall_material: tuple[tuple[str, float], ...]
    floor_slab: tuple[tuple[str, float], ...]
    # (roof type, roofing material) → weight
    roof: tuple[tuple[tuple[str, str], float], ...]
    foundation: tuple[tuple[str, float], ...]
    entrances: tuple[tuple[int, float], ...]
    flats_per_floor: tuple[tuple[int, float], ...]
    rooms: tuple[tuple[int, float], ...]
    # Multiplier on the base flat area by rooms (khrushchyovka small, stalinka large).
    area_factor: float
    # Physical wear gained per year of age, %.
    wear_rate: float
    # Chance that the ground floor holds shops and offices instead of flats.
    commercial_ground_floor: float
    underground: tuple[tuple[int, float], ...] = ((1, 1.0),)
    modern: bool = False


PROFILES: dict[str, Profile] = {
    p.key: p
    for p in (
        Profile(
            key="prewar",
            series=("",),
            years=(1880, 1940),
            floors=((2, 0.3), (3, 0.4), (4, 0.3)),
            wall_material=(("brick", 1.0),),
            floor_slab=(("wooden", 0.5), ("mixed", 0.4), ("reinforced_concrete", 0.1)),
            roof=((("pitched", "metal"), 0.9), (("pitched", "slate"), 0.1)),
            foundation=(("strip", 0.8), ("column", 0.2)),
            entrances=((1, 0.4), (2, 0.4), (3, 0.2)),
            flats_per_floor=((2, 0.5), (3, 0.4), (4, 0.1)),
            rooms=((1, 0.15), (2, 0.35), (3, 0.35), (4, 0.15)),
            area_factor=1.2,
            wear_rate=0.5,
            commercial_ground_floor=0.45,
            underground=((0, 0.3), (1, 0.7)),
        ),
        Profile(
            key="wooden",
            series=("",),
            years=(1930, 1960),
            floors=((2, 1.0),),
            wall_material=(("wooden", 1.0),),
            floor_slab=(("wooden", 1.0),),
            roof=((("pitched", "slate"), 0.8), (("pitched", "metal"), 0.2)),
            foundation=(("strip", 0.6), ("concrete_posts", 0.4)),
            entrances=((1, 0.5), (2, 0.5)),
            flats_per_floor=((2, 0.4), (3, 0.3), (4, 0.3)),
            rooms=((1, 0.4), (2, 0.45), (3, 0.15)),
            area_factor=0.9,
            wear_rate=1.0,
            commercial_ground_floor=0.0,
            underground=((0, 1.0),),
        ),
        Profile(
            key="stalinka",
            series=(INDIVIDUAL,),
            years=(1946, 1957),
            floors=((3, 0.2), (4, 0.4), (5, 0.4)),
            wall_material=(("brick", 1.0),),
            floor_slab=(("reinforced_concrete", 0.6), ("mixed", 0.4)),
            roof=((("pitched", "metal"), 0.8), (("pitched", "slate"), 0.2)),
            foundation=(("strip", 1.0),),
            entrances=((2, 0.3), (3, 0.4), (4, 0.3)),
            flats_per_floor=((2, 0.4), (3, 0.6)),
            rooms=((1, 0.1), (2, 0.4), (3, 0.4), (4, 0.1)),
            area_factor=1.25,
            wear_rate=0.55,
            commercial_ground_floor=0.25,
        ),
        Profile(
            key="1-447",
            series=("1-447С",),
            years=(1958, 1968),
            floors=((5, 1.0),),
            wall_material=(("brick", 1.0),),
            floor_slab=(("reinforced_concrete", 1.0),),
            roof=((("pitched", "slate"), 0.6), (("flat", "roll"), 0.4)),
            foundation=(("strip", 1.0),),
            entrances=((2, 0.15), (3, 0.25), (4, 0.4), (6, 0.2)),
            flats_per_floor=((3, 0.4), (4, 0.6)),
            rooms=((1, 0.3), (2, 0.45), (3, 0.25)),
            area_factor=0.9,
            wear_rate=0.6,
            commercial_ground_floor=0.08,
        ),
        Profile(
            key="1-464",
            series=("1-464А",),
            years=(1960, 1972),
            floors=((5, 1.0),),
            wall_material=(("panel", 1.0),),
            floor_slab=(("reinforced_concrete", 1.0),),
            roof=((("flat", "roll"), 1.0),),
            foundation=(("strip", 0.5), ("prefabricated", 0.5)),
            entrances=((3, 0.2), (4, 0.4), (5, 0.1), (6, 0.3)),
            flats_per_floor=((4, 1.0),),
            rooms=((1, 0.3), (2, 0.45), (3, 0.25)),
            area_factor=0.9,
            wear_rate=0.7,
            commercial_ground_floor=0.05,
        ),
        Profile(
            key="ii-49",
            series=("II-49",),
            years=(1965, 1982),
            floors=((5, 0.3), (9, 0.7)),
            wall_material=(("panel", 1.0),),
            floor_slab=(("reinforced_concrete", 1.0),),
            roof=((("flat", "roll"), 1.0),),
            foundation=(("pile", 0.5), ("prefabricated", 0.5)),
            entrances=((2, 0.2), (3, 0.3), (4, 0.3), (6, 0.2)),
            flats_per_floor=((4, 1.0),),
            rooms=((1, 0.3), (2, 0.4), (3, 0.3)),
            area_factor=0.95,
            wear_rate=0.65,
            commercial_ground_floor=0.05,
        ),
        Profile(
            key="111-121",
            series=("111-121", "121-Т"),
            years=(1975, 1992),
            floors=((9, 0.6), (10, 0.4)),
            wall_material=(("panel", 1.0),),
            floor_slab=(("reinforced_concrete", 1.0),),
            roof=((("flat", "roll"), 1.0),),
            foundation=(("pile", 1.0),),
            entrances=((2, 0.15), (3, 0.25), (4, 0.3), (6, 0.2), (8, 0.1)),
            flats_per_floor=((4, 1.0),),
            rooms=((1, 0.3), (2, 0.4), (3, 0.3)),
            area_factor=1.0,
            wear_rate=0.6,
            commercial_ground_floor=0.06,
        ),
        Profile(
            key="97",
            series=("97",),
            years=(1984, 2012),
            floors=((9, 0.4), (10, 0.6)),
            wall_material=(("panel", 1.0),),
            floor_slab=(("reinforced_concrete", 1.0),),
            roof=((("flat", "roll"), 0.8), (("flat", "membrane"), 0.2)),
            foundation=(("pile", 1.0),),
            entrances=((2, 0.2), (3, 0.3), (4, 0.3), (6, 0.15), (8, 0.05)),
            flats_per_floor=((4, 1.0),),
            rooms=((1, 0.35), (2, 0.35), (3, 0.3)),
            area_factor=1.05,
            wear_rate=0.55,
            commercial_ground_floor=0.08,
        ),
        Profile(
            key="brick-late",
            series=(INDIVIDUAL,),
            years=(1992, 2012),
            floors=((9, 0.3), (10, 0.3), (12, 0.2), (14, 0.1), (16, 0.1)),
            wall_material=(("brick", 0.8), ("mixed", 0.2)),
            floor_slab=(("reinforced_concrete", 1.0),),
            roof=((("flat", "membrane"), 0.6), (("flat", "roll"), 0.4)),
            foundation=(("pile", 0.6), ("slab", 0.4)),
            entrances=((1, 0.35), (2, 0.35), (3, 0.2), (4, 0.1)),
            flats_per_floor=((4, 0.6), (5, 0.2), (6, 0.2)),
            rooms=((1, 0.3), (2, 0.4), (3, 0.25), (4, 0.05)),
            area_factor=1.2,
            wear_rate=0.45,
            commercial_ground_floor=0.35,
        ),
        Profile(
            key="lowrise-modern",
            series=(INDIVIDUAL,),
            years=(2008, 2024),
            floors=((6, 0.3), (7, 0.3), (8, 0.4)),
            wall_material=(("mixed", 0.5), ("brick", 0.3), ("block", 0.2)),
            floor_slab=(("reinforced_concrete", 1.0),),
            roof=((("flat", "membrane"), 0.7), (("pitched", "metal"), 0.3)),
            foundation=(("slab", 0.6), ("pile", 0.4)),
            entrances=((1, 0.3), (2, 0.4), (3, 0.3)),
            flats_per_floor=((4, 0.5), (5, 0.3), (6, 0.2)),
            rooms=((1, 0.45), (2, 0.35), (3, 0.2)),
            area_factor=1.0,
            wear_rate=0.4,
            commercial_ground_floor=0.3,
            modern=True,
        ),
        Profile(
            key="monolith",
            series=(INDIVIDUAL,),
            years=(2005, 2024),
            floors=(
                (10, 0.1),
                (12, 0.1),
                (14, 0.1),
                (16, 0.15),
                (17, 0.1),
                (18, 0.1),
                (19, 0.1),
                (20, 0.08),
                (22, 0.07),
                (25, 0.1),
            ),
            wall_material=(("monolithic", 1.0),),
            floor_slab=(("reinforced_concrete", 1.0),),
            roof=((("flat", "membrane"), 1.0),),
            foundation=(("slab", 0.7), ("pile", 0.3)),
            entrances=((1, 0.35), (2, 0.35), (3, 0.2), (4, 0.1)),
            flats_per_floor=((6, 0.4), (8, 0.4), (10, 0.2)),
            rooms=((1, 0.5), (2, 0.3), (3, 0.2)),
            area_factor=1.05,
            wear_rate=0.4,
            commercial_ground_floor=0.6,
            underground=((1, 0.6), (2, 0.4)),
            modern=True,
        ),
    )
}

# Base flat area by rooms, m², before a profile's area_factor.
BASE_FLAT_AREA = {1: 33.0, 2: 46.0, 3: 61.0, 4: 76.0}

AMENITIES = (
    "детская площадка",
    "спортивная площадка",
    "площадка для отдыха",
    "контейнерная площадка",
    "парковка",
    "озеленение",
)
