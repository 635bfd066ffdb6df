"""Benchmark the buildings registry import: N Реформа ЖКХ rows, a first import and a re-import.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity .venv/bin/python \\
        bench/bench_buildings_import.py [--rows 25000] [--rounds 1]
    .venv/bin/python bench/bench_buildings_import.py --rows 5000      # SQLite, row by row

It works in a throwaway test database (bench_buildings_<name> on PostgreSQL, a temporary
file for SQLite), never the real one:

1. a municipality of a city and its villages, with four districts;
2. a CSV file of `--rows` rows as a real export looks: one-string addresses in the city and
   in its villages (with the messy spellings of item 3 of issue 11), the blanks and
   placeholders of a real export, a few hundred management companies and associations
   (some without a start date), a few bad rows (no address, a duplicate HOUSE_ID, unreadable
   numbers, residential area above the total) and columns the format does not know;
3. the first import into the empty registry, committed, and the same file again (every row
   unchanged), `--rounds` times (the registry is emptied between rounds); set-based on
   PostgreSQL, or row by row with `--method row` to compare;
4. rows/s of both, the report's counts, and a calibration figure: the time of a fixed
   pure-Python loop on this machine, to compare figures taken on different machines.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

CENTER = (56.838, 60.605)
# Four districts: quarters of a box around the centre (lat, lon half-sizes in degrees).
HALF = (0.12, 0.2)
CITY_STREETS = [
    "ул. Гагарина",
    "ул. Малышева",
    "ул. Ленина",
    "пр-кт Ленина",
    "ул. 8 Марта",
    "ул. Куйбышева",
    "ул. Белинского",
    "ул. Луначарского",
    "ул. Мамина-Сибиряка",
    "ул. Бажова",
    "ул. Шевченко",
    "ул. Челюскинцев",
    "ул. Красноармейская",
    "ул. Вайнера",
    "ул. Сурикова",
    "ул. Щорса",
    "ул. Фурманова",
    "ул. Народной Воли",
    "ул. Шейнкмана",
    "ул. Радищева",
    "ул. Московская",
    "ул. Посадская",
    "ул. Серафимы Дерябиной",
    "ул. Волгоградская",
    "ул. Амундсена",
    "ул. Бардина",
    "ул. Викулова",
    "ул. Металлургов",
    "ул. Крауля",
    "ул. Заводская",
    "пер. Встречный",
    "пер. Трамвайный",
    "б-р Денисова-Уральского",
    "ул. Уральская",
    "ул. Блюхера",
    "ул. Гражданской войны",
    "ул. Бакинских Комиссаров",
    "ул. Баумана",
    "ул. Победы",
    "ул. Ильича",
    "ул. Индустрии",
    "ул. Кировградская",
    "ул. Старых Большевиков",
    "ул. Восстания",
    "ул. Стачек",
    "ул. Калинина",
    "ул. Донбасская",
    "ул. Шефская",
    "ул. Избирателей",
    "ул. Культуры",
    "мкр. Солнечный",
    "ш. Сибирский тракт",
    "ул. Академика Шварца",
    "ул. Родонитовая",
    "ул. Бисертская",
    "ул. Дагестанская",
]
VILLAGES = [
    ("с.", "Горный Щит", ["ул. Гагарина", "ул. Ленина", "ул. Советская"]),
    ("п.", "Шабровский", ["ул. Ленина", "ул. Мира"]),
    ("п.", "Широкая Речка", ["ул. Гагарина", "ул. Школьная"]),
    ("д.", "Верхнемакарово", []),
    ("п.", "Северка", ["ул. Вокзальная"]),
    ("пгт", "Садовый", ["ул. Лесная", "ул. Садовая"]),
    ("п.", "Березит", []),
    ("с.", "Кольцово", ["ул. Авиаторов", "ул. Кольцевая"]),
]
SPELLINGS = (
    "{loc}, {street}, д. {house}",
    "{loc}, {street}, д. {house}",
    "{loc}, {street}, д. {house}",
    "{loc}, {street}, д.{house}",
    "{loc}, {street}, дом {house}",
    "{loc}, {street} д. {house}",
    "{loc}, {street}, д. {house}.",
    "{loc}, {street}, д. дом {house}",
)
PLACEHOLDERS = ("Не заполнено", "Не заполнено", "Не заполнено", "данные отсутствуют", "-", ".")
MANAGERS = (
    'ООО "УК {n}"',
    'ООО "Управляющая компания «{n}»"',
    'ТСЖ "{n}"',
    "ЖСК № {i}",
    'ТОВАРИЩЕСТВО СОБСТВЕННИКОВ ЖИЛЬЯ "{n}"',
    'ООО "УК ЖК {n}"',
    'АО "{n}"',
    'ПЖСК "{n}"',
    'МУП "ЖЭУ № {i}"',
)
MANAGER_WORDS = (
    "Уют",
    "Комфорт",
    "Радуга",
    "Надежда",
    "Восход",
    "Заря",
    "Простор",
    "Гарант",
    "Урал",
    "Исеть",
    "Дом",
    "Сервис",
    "Лидер",
    "Мой дом",
    "Наш дом",
    "Центр",
    "Север",
    "Юг",
)
EXTRA_COLUMNS = ("FIAS_HOUSE_GUID", "FIAS_FLAG", "COLD_WATER", "HOT_WATER")


def calibration() -> float:
    """Time a fixed pure-Python loop: the machine's speed, for comparing figures."""
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    return time.perf_counter() - started


def _house(rng: random.Random) -> str:
    number = str(int(rng.paretovariate(1.1)) % 160 + 1)
    roll = rng.random()
    if roll < 0.08:
        return number + rng.choice("абвг")
    if roll < 0.11:
        return f"{number}/{rng.randint(1, 30)}"
    if roll < 0.12:
        return f"{number}\\{rng.randint(1, 30)}"
    if roll < 0.15:
        return f"{number}, корп. {rng.randint(1, 4)}"
    if roll < 0.16:
        return f"{number} лит. {rng.choice('АБВ')}"
    if roll < 0.17:
        return f"{number}-{int(number) + 2}"
    return number


def reforma_rows(count: int, rng: random.Random):
    """Yield the header and the rows of a Реформа ЖКХ export of a city with its villages."""
    from opencity.buildings.imports.formats import REFORMA_COLUMNS

    header = [*REFORMA_COLUMNS, *EXTRA_COLUMNS]
    yield header
    managers = []
    for i in range(300):
        form = rng.choice(MANAGERS)
        managers.append(form.format(n=f"{rng.choice(MANAGER_WORDS)}-{i}", i=i + 1))
    seen = set()
    for i in range(count):
        row = {c: rng.choice(PLACEHOLDERS) for c in header}
        village = rng.random() < 0.12
        if village:
            kind, name, streets = rng.choice(VILLAGES)
            loc = f"обл. Свердловская, {kind} {name}"
            lat = CENTER[0] + rng.uniform(-HALF[0], HALF[0]) * 0.9
            lon = CENTER[1] + rng.uniform(-HALF[1], HALF[1]) * 0.9
        else:
            loc, streets = "обл. Свердловская, г. Екатеринбург", CITY_STREETS
            lat = CENTER[0] + rng.uniform(-HALF[0], HALF[0]) * 0.6
            lon = CENTER[1] + rng.uniform(-HALF[1], HALF[1]) * 0.6
        while True:
            house = _house(rng)
            if streets:
                street = rng.choice(streets)
                address = rng.choice(SPELLINGS).format(loc=loc, street=street, house=house)
            else:
                address = f"{loc}, д. {house}"
            if address not in seen:
                seen.add(address)
                break
        if rng.random() < 0.003:
            address += " (дубль 1)"
        year = rng.randint(1930, 2023)
        floors = rng.choice((2, 3, 5, 5, 5, 9, 9, 10, 12, 16, 17, 25))
        area = rng.uniform(300, 900) * floors
        premises = int(area / 55)
        manager = rng.choice(managers)
        row.update(
            LAT=f"{lat:.6f}",
            LON=f"{lon:.6f}",
            HOUSE_ID=str(7_000_000 + i),
            ADDRESS=address,
            YEAR=str(year),
            LASTUPDATE=f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2019 в 06:24",
            SERVICEDATE_START=(
                f"01.{rng.randint(1, 12):02d}.{rng.randint(2008, 2022)}"
                if rng.random() < 0.9
                else "Не заполнено"
            ),
            SERIE=rng.choice(("1-464", "1-468", "121", "индивидуальный", "Не заполнено")),
            HOUSE_TYPE=rng.choice(("Многоквартирный дом",) * 9 + ("Не заполнено",)),
            CAPFOND=rng.choice(
                (
                    "Региональный оператор",
                    "На счете регионального оператора",
                    "Специальный счет",
                    "На специальном счете у регионального оператора",
                    "Не определен",
                    "Не заполнено",
                )
            ),
            MGMT_COMPANY=manager,
            MGMT_COMPANY_LINK=f"https://www.reformagkh.ru/mymanager/profile/{managers.index(manager) + 1000}",
            AVAR=rng.choice(("Нет",) * 30 + ("Да",)),
            LEVELS_MAX=str(floors),
            LEVELS_MIN=str(max(1, floors - rng.choice((0, 0, 0, 1)))),
            DOORS=str(rng.randint(1, 8)),
            ROOM_COUNT=str(premises),
            ROOM_COUNT_LIVE=str(max(0, premises - rng.randint(0, 3))),
            AREA=f"{area:.2f}".replace(".", ","),
            AREA_LIVE=f"{area * 0.75:.2f}".replace(".", ","),
            CADNO=f"66:41:{rng.randint(100000, 999999):07d}:{rng.randint(1, 999)}",
            ENERGY_CLASS=rng.choice(("Не присвоен", "Нет", "B+", "C", "D", "А", "B++")),
            BLAG_PLAYGROUND=rng.choice(("Да", "Нет", "Не заполнено")),
            COLD_WATER="Центральное",
            HOT_WATER="Центральное",
        )
        roll = rng.random()
        if roll < 0.001:
            row["ADDRESS"] = "Не заполнено"  # fails: no address
        elif roll < 0.002:
            row["AREA"] = "много"  # a dropped value
        elif roll < 0.003:
            row["AREA_LIVE"] = f"{area * 1.5:.2f}"  # residential above total: a warning
        elif roll < 0.004:
            row["YEAR"] = "2107"  # an implausible year
        yield [row[c] for c in header]
    if count:
        again = dict(zip(header, [row[c] for c in header], strict=True))
        yield [again[c] for c in header]  # the same HOUSE_ID twice: the second fails


def reforma_csv(count: int, seed: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for row in reforma_rows(count, random.Random(seed)):
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def setup_city():
    from opencity.core.models import District, Municipality

    municipality = Municipality.objects.create(
        slug="bench-ekb",
        name="Екатеринбург",
        code="BEKB",
        center_lat=CENTER[0],
        center_lon=CENTER[1],
        time_zone="Asia/Yekaterinburg",
    )
    lat, lon = CENTER
    for i, (dlat, dlon) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
        south, west = lat - HALF[0] + dlat * HALF[0], lon - HALF[1] + dlon * HALF[1]
        ring = [
            [west, south],
            [west + HALF[1], south],
            [west + HALF[1], south + HALF[0]],
            [west, south + HALF[0]],
            [west, south],
        ]
        District.objects.create(
            municipality=municipality,
            name=f"Район {i + 1}",
            slug=f"district-{i + 1}",
            boundary={"type": "Polygon", "coordinates": [ring]},
        )
    return municipality


def empty(municipality) -> None:
    from opencity.buildings.models import Building
    from opencity.organisations.models import ManagementContract, Organisation

    ManagementContract.objects.filter(municipality=municipality).delete()
    Building.objects.filter(municipality=municipality).delete()
    Organisation.objects.filter(municipality=municipality).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE buildings_building")


def run(municipality, data: bytes, label: str, method: str = "auto"):
    from opencity.buildings.imports import building_import

    started = time.perf_counter()
    result = building_import(
        municipality=municipality, source=io.BytesIO(data), filename="r.csv", method=method
    )
    seconds = time.perf_counter() - started
    ignored = ", ".join(result.ignored_columns) or "—"
    print(
        f"  {label:12} {result.total:,} rows in {seconds:6.2f} s = {result.total / seconds:7,.0f} "
        f"rows/s ({result.method}): {result.created:,} created, {result.updated:,} updated, "
        f"{result.unchanged:,} unchanged, {result.failed:,} failed, "
        f"{len(result.warnings):,} warnings; ignored columns: {ignored}",
        flush=True,
    )
    return seconds, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--method",
        choices=("auto", "set", "row"),
        default="auto",
        help="auto: set-based on PostgreSQL; row: row by row, to compare",
    )
    args = parser.parse_args()
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    else:
        name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_buildings_{name}"
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        print(f"calibration: a fixed pure-Python loop took {calibration():.2f} s", flush=True)
        started = time.perf_counter()
        data = reforma_csv(args.rows, args.seed)
        print(
            f"database: {connection.vendor}; the file: {args.rows + 1:,} rows, "
            f"{len(data) / 1e6:.1f} MB, made in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        municipality = setup_city()
        firsts, agains = [], []
        for round_ in range(args.rounds):
            if round_:
                empty(municipality)
            firsts.append(run(municipality, data, "first", args.method)[0])
            agains.append(run(municipality, data, "re-import", args.method)[0])
        rows = args.rows + 1
        print(f"first import: best {min(firsts):.2f} s = {rows / min(firsts):,.0f} rows/s")
        print(f"re-import:    best {min(agains):.2f} s = {rows / min(agains):,.0f} rows/s")
        print(f"calibration again: {calibration():.2f} s")
    finally:
        teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
