"""What the demo's inspections of one building found, season after season: pure, no ORM.

Each element's wear grows with the building's age at the rate its passport's wear says (the
generator draws that wear from the building's age, walls and profile), faster for the elements
that wear first (roofing, finishes, windows, systems) and faster still in the early panel
series; a work done after an inspection takes wear off its element. The methodology's band
tables have no signs yet (a placeholder, see inspections/seeds.py), so the commission gives each
part's wear directly — the way calculation.py reads an element until the signs are entered —
and calculation.py turns the parts into the element's and the building's wear.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from opencity.inspections import calculation as calc

# How fast an element wears against the building as a whole.
FACTORS = {
    "foundations": 0.75,
    "walls": 0.9,
    "columns": 0.85,
    "partitions": 0.95,
    "floor_slabs": 0.85,
    "stairs": 0.95,
    "balconies": 1.25,
    "roof_structure": 1.0,
    "roofing": 1.45,
    "floors": 1.1,
    "windows_doors": 1.3,
    "finishes": 1.5,
    "hot_water": 1.3,
    "heating": 1.2,
    "cold_water": 1.2,
    "sewage": 1.15,
    "electrics": 1.1,
    "stoves": 1.2,
    "garbage_chutes": 1.2,
}
# The early industrial series: thin panels and joints, flat roofs that leak.
EARLY_SERIES = ("1-447", "1-464", "II-49")
EARLY_FACTORS = {"walls": 1.1, "balconies": 1.45, "roofing": 1.6}
# Elements observed in two parts of different condition (their sizes as shares of the whole).
TWO_PARTS = {
    "roofing": ("над подъездами 1–2", "над остальными подъездами"),
    "finishes": ("лестничные клетки", "фасад"),
}
REPAIR_GAIN = 15  # the wear a done work takes off its element, %

# (element, place, text, work, work kind) of the defects an element shows once worn.
DEFECTS = {
    "roofing": (
        "roof",
        "Вздутия и разрывы кровельного ковра, следы протечек",
        "Ремонт кровельного покрытия участками",
        "current_repair",
    ),
    "walls": (
        "facade",
        "Трещины в швах между панелями, выветривание раствора",
        "Герметизация межпанельных швов",
        "current_repair",
    ),
    "balconies": (
        "facade",
        "Разрушение бетона плит балконов, оголение арматуры",
        "Ремонт балконных плит",
        "current_repair",
    ),
    "finishes": (
        "entrance",
        "Отслоение штукатурки и окраски на лестничной клетке",
        "Косметический ремонт подъезда",
        "current_repair",
    ),
    "windows_doors": (
        "entrance",
        "Рассохшиеся окна подъезда, не закрываются створки",
        "Ремонт и утепление окон подъезда",
        "heating_season",
    ),
    "heating": (
        "basement",
        "Коррозия трубопроводов отопления в подвале, подтёки",
        "Замена участков трубопровода отопления",
        "heating_season",
    ),
    "hot_water": (
        "basement",
        "Свищи на стояках горячего водоснабжения",
        "Замена участков стояков ГВС",
        "heating_season",
    ),
    "sewage": (
        "basement",
        "Течь раструбов канализации в подвале",
        "Замена участков канализационных труб",
        "current_repair",
    ),
    "stairs": (
        "entrance",
        "Выбоины в ступенях, шатается ограждение",
        "Ремонт ступеней и ограждений",
        "current_repair",
    ),
    "electrics": (
        "entrance",
        "Оголённые провода в этажных щитах",
        "Ремонт этажных электрощитов",
        "current_repair",
    ),
}
FACADE_SIDES = ("street", "yard", "end")


@dataclass(frozen=True)
class House:
    pk: int
    key: str  # the building's external id: stable from run to run
    year_built: int | None
    walls: str
    series: str
    storeys: int
    entrances: int
    wear_now: float  # the passport's wear on the reference day
    garbage_chute: bool
    stoves: bool


@dataclass
class Found:
    """A defect the act records, with the work it calls for; what became of it is decided when
    the next act checks it."""

    element: str
    place: str
    text: str
    work: str
    kind: str
    deadline: dt.date
    entrance: int | None = None
    floor: int | None = None
    side: str = ""
    size: Decimal | None = None
    unit: str = ""
    done: bool | None = None  # set by the next act


@dataclass
class Visit:
    inspected_on: dt.date
    observations: list[calc.Observation]
    defects: list[Found] = field(default_factory=list)


def house_elements(house: House) -> list[str]:
    """The elements a building of its kind has (no stoves in a centrally heated block ...)."""
    codes = [code for code in FACTORS if code not in ("stoves", "garbage_chutes", "columns")]
    if house.stoves:
        codes.append("stoves")
    if house.garbage_chute:
        codes.append("garbage_chutes")
    if house.walls == "monolithic":
        codes.append("columns")
    return codes


def _factor(house: House, code: str) -> float:
    if house.series.startswith(EARLY_SERIES):
        return EARLY_FACTORS.get(code, FACTORS[code])
    return FACTORS[code]


def _clip(value: float) -> Decimal:
    return Decimal(max(0, min(95, round(value))))


def house_observations(
    *, house: House, day: dt.date, today: dt.date, rng: random.Random, repaired: dict[str, int]
) -> list[calc.Observation]:
    """Each element's parts and their wear as the commission estimates them on that day."""
    built = house.year_built or (today.year - 40)
    age_now = max(1.0, (today - dt.date(built, 7, 1)).days / 365.25)
    age = max(0.5, (day - dt.date(built, 7, 1)).days / 365.25)
    base = house.wear_now * age / age_now
    observations = []
    for code in house_elements(house):
        noise = rng.uniform(0.85, 1.15)
        wear = base * _factor(house, code) * noise - repaired.get(code, 0)
        if code in TWO_PARTS:
            worse = rng.uniform(1.1, 1.35)
            share = Decimal(rng.choice((30, 40, 50)))
            parts = (
                calc.Part(size=share, wear=_clip(wear * worse)),
                calc.Part(size=Decimal(100) - share, wear=_clip(wear * (2 - worse))),
            )
        else:
            parts = (calc.Part(size=Decimal(1), wear=_clip(wear)),)
        observations.append(calc.Observation(code, parts))
    return observations


def house_defects(
    *, house: House, result: calc.Result, day: dt.date, rng: random.Random, kind: str
) -> list[Found]:
    """The defects of the elements worn past 40 % (each with its chance), and their works."""
    found = []
    for element in result.elements:
        defect = DEFECTS.get(element.element)
        if defect is None or element.wear < 40 or rng.random() > float(element.wear) / 120:
            continue
        place, text, work, work_kind = defect
        if element.wear >= 60 and element.element in ("roofing", "walls", "heating"):
            work_kind, work = "capital_repair", f"{work}: включить в план капремонта"
        if work_kind == "heating_season":
            deadline = dt.date(day.year, 9, 1) if kind == "spring" else dt.date(day.year + 1, 9, 1)
        elif work_kind == "capital_repair":
            deadline = dt.date(day.year + 2, 12, 31)
        else:
            deadline = (
                dt.date(day.year, 10, 15) if kind == "spring" else dt.date(day.year + 1, 6, 30)
            )
        item = Found(element.element, place, text, work, work_kind, deadline)
        if place == "entrance":
            item.entrance = rng.randint(1, max(1, house.entrances))
            item.floor = rng.randint(1, max(1, house.storeys))
        elif place == "facade":
            item.side = rng.choice(FACADE_SIDES)
        item.size = Decimal(rng.choice((2, 4, 6, 10, 15, 25)))
        item.unit = "m" if element.element == "walls" else "m2"
        found.append(item)
    return found


def work_done(*, found: Found, rng: random.Random) -> bool:
    """Whether the company did the work by the next inspection: most current repairs, few
    capital ones."""
    chance = {"current_repair": 0.7, "heating_season": 0.85, "capital_repair": 0.1}[found.kind]
    return rng.random() < chance
