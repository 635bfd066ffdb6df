"""Issue 11, item 9: the set-based import (PostgreSQL) writes and reports what row by row does."""

import csv
import io
import random
from io import StringIO

import pytest
from django.db import connection

from opencity.buildings.imports import building_import
from opencity.buildings.imports.formats import REFORMA_COLUMNS
from opencity.buildings.imports.setbased import BULK_INDEX_ROWS, TRIGRAM_INDEX
from opencity.buildings.models import Building
from opencity.buildings.selectors import building_search
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import ManagementContract, Organisation, OrganisationKind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the set-based import needs PostgreSQL (COPY); SQLite always imports row by row",
    ),
]

ADDRESSES = [
    "Респ. Татарстан, г. Казань, ул. Баумана, д. {n}",
    "Респ. Татарстан, г. Казань, ул. Баумана д.{n} корп.2",
    "Респ. Татарстан, г. Казань, пр-кт Победы, д. {n} лит. А",
    "Респ. Татарстан, с. Высокая Гора, ул. Советская, д. {n}",
    "Респ. Татарстан, д. Куюки, д. {n}",
    "Респ. Татарстан, г. Казань, ул. Пушкина, д. {n}/1 (дубль 1)",
    "Респ. Татарстан, г. Казань, ул. Пушкина, {n} kv 1 60",
    "Респ. Татарстан, г. Казань",  # no street and house: reported, kept
]
MANAGERS = [
    ('ООО "УК Центр"', "01.05.2015", "https://www.reformagkh.ru/mymanager/profile/7707"),
    ('ООО "УК ЖК Солнечный"', "Не заполнено", ""),
    ('ТСЖ "Луч"', "10.10.2012", ""),
    ("ПЖСК № 12", "01.01.2001", ""),
    ("Непосредственное управление", "Не заполнено", ""),
    ("Не заполнено", "Не заполнено", ""),
]
EXTRA = ("FIAS_FLAG", "COLD_WATER")


def export(rows: list[dict]) -> bytes:
    out = StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    header = [*REFORMA_COLUMNS, *EXTRA]
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(c, "Не заполнено") for c in header])
    return out.getvalue().encode("utf-8")


def messy_rows(count: int, seed: int) -> list[dict]:
    """Return rows with every kind of value a real export has: good, blank, bad, contradictory."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        manager, since, link = rng.choice(MANAGERS)
        cells = {
            "HOUSE_ID": str(9000 + i),
            "ADDRESS": rng.choice(ADDRESSES).format(n=i + 1),
            "LAT": f"{rng.uniform(55.72, 55.88):.5f}",
            "LON": f"{rng.uniform(49.02, 49.18):.5f}",
            "YEAR": rng.choice(["1965", "2001", "Не заполнено", "2107", "около 1970"]),
            "LASTUPDATE": "09.04.2016 в 06:24",
            "SERVICEDATE_START": since,
            "SERIE": rng.choice(["1-447", "данные отсутствуют", "."]),
            "HOUSE_TYPE": rng.choice(["Многоквартирный дом", "Не заполнено", "Общежитие"]),
            "CAPFOND": rng.choice(
                [
                    "Региональный оператор",
                    "На специальном счете у регионального оператора",
                    "Не определен",
                    "котлован",
                ]
            ),
            "MGMT_COMPANY": manager,
            "MGMT_COMPANY_LINK": link or "Не заполнено",
            "AVAR": rng.choice(["Нет", "Да", "отсутствует"]),
            "LEVELS_MAX": rng.choice(["5", "9", "0"]),
            "LEVELS_MIN": rng.choice(["5", "12", "-"]),
            "AREA": rng.choice(["3 456,70", "1200", "много", "0"]),
            "AREA_LIVE": rng.choice(["2 900,5", "1500", "Не заполнено"]),
            "ROOM_COUNT": rng.choice(["62", "Не заполнено"]),
            "ROOM_COUNT_LIVE": rng.choice(["60", "70"]),
            "ENERGY_CLASS": rng.choice(["Не присвоен", "B+", "В++", "C", "Z"]),
            "BLAG_PLAYGROUND": rng.choice(["Да", "отсутствует"]),
            "COLD_WATER": "Центральное",
        }
        roll = rng.random()
        if roll < 0.05:
            cells["LAT"], cells["LON"] = cells["LON"], cells["LAT"]  # swapped
        elif roll < 0.08:
            cells["ADDRESS"] = "Не заполнено"  # fails
        rows.append(cells)
    rows.append(dict(rows[3]))  # the same HOUSE_ID twice: the second fails
    return rows


def changed_rows(rows: list[dict], seed: int) -> list[dict]:
    """Return the next export: some values and managers changed, bad coordinates, new rows."""
    rng = random.Random(seed)
    again = [dict(r) for r in rows[:-1]]
    for cells in rng.sample(again, 15):
        cells["LEVELS_MAX"] = "12"
        cells["SERIE"] = "II-49"
    for cells in rng.sample(again, 8):
        cells["MGMT_COMPANY"], cells["SERVICEDATE_START"], _link = rng.choice(MANAGERS)
        cells["MGMT_COMPANY_LINK"] = "Не заполнено"
    for cells in rng.sample(again, 4):
        cells["LAT"] = "abc"  # an existing building whose coordinate cannot be read
    for cells in rng.sample(again, 6):
        cells["LON"] = "49.23"  # moved out of every district (the district stays)
    for cells in rng.sample(again, 3):
        cells["ADDRESS"] = cells["ADDRESS"].replace("ул. Баумана", "ул. Пушкина")
    again += messy_rows(5, seed + 1)[:5]
    for n, cells in enumerate(again[-5:]):
        cells["HOUSE_ID"] = str(20000 + n)
    return again


def city_with_districts(slug: str):
    city = MunicipalityFactory(slug=slug, name="Казань")
    DistrictFactory(municipality=city, name="Вахитовский", slug="vakhitovsky")
    return city


def report(result) -> tuple:
    counts = (result.total, result.created, result.updated, result.unchanged, result.failed)
    issues = [(i.row, i.field, i.value, i.reason, i.fatal) for i in result.errors]
    return counts, issues, result.ignored_columns


def registry(city) -> dict:
    skip = {"id", "municipality", "created_at", "updated_at", "district", "management_company"}
    names = [f.name for f in Building._meta.concrete_fields if f.name not in skip]
    buildings = {
        b.external_id: (
            tuple(getattr(b, n) for n in names),
            b.district.slug if b.district_id else None,
            b.management_company.name if b.management_company_id else None,
        )
        for b in Building.objects.filter(municipality=city).select_related(
            "district", "management_company"
        )
    }
    contracts = sorted(
        (c.building.external_id, c.organisation.name, c.start_date, c.end_date)
        for c in ManagementContract.objects.filter(municipality=city).select_related(
            "building", "organisation"
        )
    )
    organisations = sorted(
        Organisation.objects.filter(municipality=city).values_list(
            "name", "kind", "external_id", "website"
        )
    )
    return {"buildings": buildings, "contracts": contracts, "organisations": organisations}


def test_both_paths_write_and_report_the_same():
    rows = messy_rows(120, seed=7)
    first, second = export(rows), export(changed_rows(rows, seed=8))
    reports, states = {}, {}
    for method in ("set", "row"):
        city = city_with_districts(f"kzn-{method}")
        # an organisation and a building the registry had before
        Organisation.objects.create(
            municipality=city, kind=OrganisationKind.MANAGEMENT_COMPANY, name="ООО «УК центр»"
        )
        BuildingFactory(
            municipality=city, external_id="9005", street="ул. Старая", house_number="1"
        )
        reports[method] = [
            report(building_import(municipality=city, source=io.BytesIO(data), method=method))
            for data in (first, second, second)
        ]
        states[method] = registry(city)
        assert all(r[0][1] + r[0][2] + r[0][3] for r in reports[method])  # something happened
    for got, expected in zip(reports["set"], reports["row"], strict=True):
        assert got == expected
    assert states["set"] == states["row"]
    # the second import changed some and kept the others; the same file again changes nothing
    counts = [r[0] for r in reports["set"]]
    assert counts[1][1] == 5 and counts[1][2] > 0 and counts[1][3] > 0
    assert (counts[2][1], counts[2][2]) == (0, 0)


def test_a_row_the_database_refuses_is_reported_and_the_others_kept():
    # given a database that refuses one row (as a constraint Python does not know would)
    city = city_with_districts("kzn-refuse")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse() RETURNS trigger AS $$ BEGIN "
            "IF NEW.address LIKE '%Отказная%' THEN RAISE EXCEPTION 'refused'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON buildings_building FOR EACH ROW "
            "EXECUTE FUNCTION pg_temp.refuse()"
        )
    rows = [
        {"HOUSE_ID": str(n), "ADDRESS": f"г. Казань, ул. {street}, д. {n}"}
        for n, street in enumerate(["Баумана", "Отказная", "Пушкина"], start=1)
    ]
    # when
    result = building_import(municipality=city, source=io.BytesIO(export(rows)), method="set")
    # then
    assert (result.created, result.failed) == (2, 1)
    refused = [i for i in result.errors if i.fatal]
    assert [(i.row, i.fatal) for i in refused] == [(3, True)]
    assert "rejected by the database" in refused[0].reason
    assert set(
        Building.objects.filter(municipality=city).values_list("external_id", flat=True)
    ) == {
        "1",
        "3",
    }


def test_a_large_import_leaves_the_search_index_as_it_found_it():
    # given more new buildings than are filled into the trigram index one by one
    city = city_with_districts("kzn-bulk")
    rows = [
        {"HOUSE_ID": str(n), "ADDRESS": f"г. Казань, ул. Индексная {n // 100}, д. {n % 100 + 1}"}
        for n in range(BULK_INDEX_ROWS)
    ]
    # when
    result = building_import(municipality=city, source=io.BytesIO(export(rows)), method="set")
    # then every row is in the index, nothing waits in its pending list, and it stays so
    assert result.created == BULK_INDEX_ROWS
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [TRIGRAM_INDEX])
        assert cursor.fetchone()[0] == ["fastupdate=off"]
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [TRIGRAM_INDEX])
        assert cursor.fetchone()[0] == 0
        cursor.execute("SET LOCAL enable_seqscan = off")
    hits = building_search(municipality=city, query="индексная 7, 42")
    assert [h.label for h in hits] == ["ул. Индексная 7, 42"]
