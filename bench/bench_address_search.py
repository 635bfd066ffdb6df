"""Benchmark the address autocomplete on 10,000 buildings: selector and HTTP, p50/p95/p99.

Usage:
    .venv/bin/python bench/bench_address_search.py [--buildings 10000] [--queries 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity bench/bench_address_search.py

It runs in a throwaway test database (test_<name>; for SQLite a temporary file), so the
real database is never touched. --import also times importing 10,000 Реформа ЖКХ rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

STREETS = [
    "ул. Баумана",
    "ул. Кремлёвская",
    "ул. Пушкина",
    "ул. Чистопольская",
    "ул. Декабристов",
    "ул. Гвардейская",
    "ул. Короленко",
    "ул. Энергетиков",
    "ул. Адоратского",
    "ул. Амирхана",
    "ул. Ямашева",
    "ул. Фатыха Амирхана",
    "ул. Сибгата Хакима",
    "ул. Четаева",
    "ул. Серова",
    "ул. Восстания",
    "ул. Гагарина",
    "ул. Копылова",
    "ул. Дементьева",
    "ул. Лукина",
    "ул. Беломорская",
    "ул. Ибрагимова",
    "ул. Вахитова",
    "ул. Тукая",
    "ул. Габдуллы Тукая",
    "ул. Островского",
    "ул. Профсоюзная",
    "ул. Право-Булачная",
    "ул. Лево-Булачная",
    "ул. Калинина",
    "ул. Толстого",
    "ул. Бутлерова",
    "ул. Карла Маркса",
    "ул. Щапова",
    "ул. Галактионова",
    "ул. Достоевского",
    "ул. Айдинова",
    "ул. Горького",
    "ул. Муштари",
    "ул. Нурсултана Назарбаева",
    "ул. Патриса Лумумбы",
    "ул. Зорге",
    "ул. Рихарда Зорге",
    "ул. Кул Гали",
    "ул. Фучика",
    "ул. Юлиуса Фучика",
    "ул. Минская",
    "ул. Космонавтов",
    "ул. Сахарова",
    "ул. Академика Сахарова",
    "ул. Братьев Касимовых",
    "ул. Даурская",
    "ул. Чуйкова",
    "ул. Маршала Чуйкова",
    "ул. Вишневского",
    "ул. Николая Ершова",
    "ул. Академика Арбузова",
    "ул. Мусина",
    "ул. Голубятникова",
    "ул. Осиновская",
    "ул. Гарифьянова",
    "ул. Закиева",
    "ул. Рашида Вагапова",
    "ул. Азата Аббасова",
    "ул. Хусаина Мавлютова",
    "ул. Александра Курынова",
    "ул. Павлюхина",
    "ул. Тэцевская",
    "ул. Короленко",
    "ул. Шамиля Усманова",
    "ул. Волгоградская",
    "ул. Побежимова",
    "ул. Академика Королёва",
    "ул. Симонова",
    "ул. Ильича",
    "ул. Краснококшайская",
    "ул. Декабристов",
    "ул. Кулахметова",
    "ул. Химическая",
    "ул. Галимджана Баруди",
    "ул. Липатова",
    "ул. Лушникова",
    "ул. Восход",
    "ул. Солнечный Город",
    "пр-кт Победы",
    "пр-кт Ямашева",
    "пр-кт Хусаина Ямашева",
    "пр-кт Фатыха Амирхана",
    "пр-кт Ибрагимова",
    "пр-кт Альберта Камалеева",
    "пр-кт Универсиады",
    "пр-кт Строителей",
    "пер. Дзержинского",
    "пер. Камалеева",
    "пер. Шмидта",
    "пер. Клары Цеткин",
    "б-р Ахметшина",
    "наб. Марджани",
    "наб. Габдуллы Тукая",
    "ш. Горьковское",
    "ш. Сибирский тракт",
    "ш. Оренбургский тракт",
    "ш. Мамадышский тракт",
]


def percentiles(samples_ms: list[float]) -> str:
    q = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return f"p50 {q[49]:6.2f} ms   p95 {q[94]:6.2f} ms   p99 {q[98]:6.2f} ms   max {max(samples_ms):6.2f} ms"


def make_buildings(municipality, count: int, rng: random.Random) -> None:
    from opencity.buildings.addresses import address_search_text
    from opencity.buildings.models import Building
    from opencity.core.geo import h3_cell

    streets = list(dict.fromkeys(STREETS))
    buildings, seen = [], set()
    while len(buildings) < count:
        street = rng.choice(streets)
        house = str(int(rng.paretovariate(1.2)) % 180 + 1) + rng.choice(["", "", "", "", "А", "Б"])
        corpus = rng.choice(["", "", "", "", "1", "2", "3"])
        if (street, house, corpus) in seen:
            continue
        seen.add((street, house, corpus))
        lat, lon = rng.uniform(55.72, 55.88), rng.uniform(48.98, 49.25)
        buildings.append(
            Building(
                municipality=municipality,
                external_id=f"bench-{len(buildings)}",
                address=f"Респ. Татарстан, г. Казань, {street}, д. {house}"
                + (f", корп. {corpus}" if corpus else ""),
                street=street,
                house_number=house,
                corpus=corpus,
                lat=lat,
                lon=lon,
                h3_cell=h3_cell(lat, lon),
                search_text=address_search_text(street=street, house_number=house, corpus=corpus),
                year_built=rng.randint(1950, 2022),
                floors_max=rng.choice([5, 9, 10, 12, 16]),
            )
        )
    Building.objects.bulk_create(buildings, batch_size=1000)


def make_queries(count: int, rng: random.Random) -> list[str]:
    from opencity.buildings.addresses import address_normalise

    names = [address_normalise(s).split(" ", 1)[1] for s in dict.fromkeys(STREETS)]
    queries = []
    for _ in range(count):
        name = rng.choice(names)
        word = rng.choice(name.split())
        house = str(rng.randint(1, 60))
        kind = rng.random()
        if kind < 0.25:  # typing a street: "баум"
            queries.append(word[: rng.randint(3, max(3, len(word)))])
        elif kind < 0.55:  # street prefix and house: "баум 1"
            queries.append(
                f"{word[: rng.randint(3, max(3, len(word)))]} {house[: rng.randint(1, len(house))]}"
            )
        elif kind < 0.75:  # the whole street and house: "ул. Баумана, 12"
            queries.append(f"ул. {name.title()}, {house}")
        elif kind < 0.85:  # with a corpus: "Амирхана 21 к2"
            queries.append(f"{word} {house} к{rng.randint(1, 3)}")
        elif kind < 0.95:  # a bare house number
            queries.append(house)
        else:  # one or two letters: nothing useful yet
            queries.append(word[: rng.randint(1, 2)])
    return queries


def reforma_csv(count: int, rng: random.Random) -> bytes:
    from opencity.buildings.imports.formats import REFORMA_COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(REFORMA_COLUMNS)
    companies = [f'ООО "УК Бенч-{i}"' for i in range(40)]
    for i in range(count):
        street = rng.choice(STREETS)
        row = {c: "Не заполнено" for c in REFORMA_COLUMNS}
        row.update(
            LAT=f"{rng.uniform(55.72, 55.88):.6f}",
            LON=f"{rng.uniform(48.98, 49.25):.6f}",
            HOUSE_ID=str(100000 + i),
            ADDRESS=f"Респ. Татарстан, г. Казань, {street}, д. {i % 150 + 1}, корп. {i % 3 + 1}",
            YEAR=str(rng.randint(1950, 2020)),
            LASTUPDATE="09.04.2016 в 06:24",
            SERVICEDATE_START="01.05.2015",
            HOUSE_TYPE="Многоквартирный дом",
            CAPFOND="Региональный оператор",
            MGMT_COMPANY=rng.choice(companies),
            AVAR="Нет",
            LEVELS_MAX=str(rng.choice([5, 9, 12])),
            AREA=f"{rng.uniform(1000, 9000):.2f}".replace(".", ","),
        )
        writer.writerow([row[c] for c in REFORMA_COLUMNS])
    return out.getvalue().encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--import", dest="with_import", action="store_true")
    args = parser.parse_args()

    tmpdir = None
    if connection.vendor == "sqlite":
        # A file, as in production, not the test runner's in-memory database.
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from opencity.buildings.selectors import building_search
        from opencity.core.models import Municipality

        rng = random.Random(42)
        municipality = Municipality.objects.create(slug="bench", name="Bench", code="BNCH")
        started = time.perf_counter()
        make_buildings(municipality, args.buildings, rng)
        print(
            f"database: {connection.vendor}; {args.buildings:,} buildings created in "
            f"{time.perf_counter() - started:.1f} s"
        )
        # A registry is loaded once and read all day: measure it as it stands after loading,
        # with planner statistics gathered (autovacuum does this within a minute in production).
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE buildings_building" if connection.vendor == "postgresql" else "ANALYZE"
            )
        queries = make_queries(args.queries, rng)
        for q in queries[:50]:  # warm up caches and the query planner
            building_search(municipality=municipality, query=q)

        samples, hits = [], 0
        for q in queries:
            t0 = time.perf_counter()
            result = building_search(municipality=municipality, query=q)
            samples.append((time.perf_counter() - t0) * 1000)
            hits += bool(result)
        print(
            f"selector  building_search   ({len(queries)} queries, {hits} with hits): {percentiles(samples)}"
        )

        client = Client()
        for path in ("/m/bench/api/v1/buildings/search", "/m/bench/buildings/suggest/"):
            samples = []
            for q in queries:
                t0 = time.perf_counter()
                response = client.get(path, {"q": q})
                samples.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.status_code
            print(f"HTTP GET {path:34s}: {percentiles(samples)}")

        if args.with_import:
            from opencity.buildings.imports import building_import

            data = reforma_csv(args.buildings, rng)
            other = Municipality.objects.create(slug="bench-import", name="Bench 2", code="BNC2")
            for label in ("first import", "re-import"):
                t0 = time.perf_counter()
                result = building_import(
                    municipality=other, source=io.BytesIO(data), filename="r.csv"
                )
                print(
                    f"Реформа CSV {label}: {result.total:,} rows in {time.perf_counter() - t0:.1f} s "
                    f"({result.created} created, {result.updated} updated, "
                    f"{result.unchanged} unchanged, {result.failed} failed)"
                )
    finally:
        teardown_databases(old_config, verbosity=0)
        if tmpdir:
            tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
