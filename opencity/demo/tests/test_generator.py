"""The demo generator: deterministic, and every passport is plausible."""

import re
from collections import Counter
from decimal import Decimal

import pytest
from shapely.geometry import Point, shape

from opencity.buildings.addresses import address_search_text
from opencity.buildings.models import Apartment, Building, Entrance, PersonalAccount
from opencity.core.geo import h3_cell
from opencity.core.models import District
from opencity.organisations.models import (
    ManagementContract,
    Organisation,
    OrganisationContact,
    OrganisationKind,
    Resource,
    ServiceArea,
)

KAZAN_DISTRICTS = {
    "Авиастроительный",
    "Вахитовский",
    "Кировский",
    "Московский",
    "Ново-Савиновский",
    "Приволжский",
    "Советский",
}

WELL_KNOWN_STREETS = {
    "ул. Баумана",
    "ул. Пушкина",
    "пр. Победы",
    "ул. Чистопольская",
    "пр. Ямашева",
    "ул. Декабристов",
    "ул. Гвардейская",
    "ул. Фатыха Амирхана",
}

# What a series implies: years, storeys and walls (the rules a reader of a passport expects).
SERIES_RULES = {
    "1-447С": ((1958, 1968), {5}, "brick"),
    "1-464А": ((1960, 1972), {5}, "panel"),
    "II-49": ((1965, 1982), {5, 9}, "panel"),
    "111-121": ((1975, 1992), {9, 10}, "panel"),
    "121-Т": ((1975, 1992), {9, 10}, "panel"),
    "97": ((1984, 2012), {9, 10}, "panel"),
}


def _valid_polygon(polygon):
    return polygon.is_valid and polygon.geom_type == "Polygon" and polygon.area > 0


def test_kazan_has_seven_districts_that_do_not_overlap(kazan):
    districts = list(District.objects.filter(municipality=kazan))
    assert {d.name for d in districts} == KAZAN_DISTRICTS
    shapes = {d.name: shape(d.boundary) for d in districts}
    for name, polygon in shapes.items():
        assert _valid_polygon(polygon), name
        minx, miny, maxx, maxy = polygon.bounds
        assert minx >= 48.95 and maxx <= 49.30 and miny >= 55.70 and maxy <= 55.90, name
    names = sorted(shapes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert shapes[a].intersection(shapes[b]).area == pytest.approx(0.0, abs=1e-12), (a, b)
    centre = {name: polygon.centroid for name, polygon in shapes.items()}
    vakh = centre["Вахитовский"]
    assert centre["Авиастроительный"].y > vakh.y
    assert centre["Приволжский"].y < vakh.y
    assert centre["Советский"].x > vakh.x
    assert centre["Кировский"].x < vakh.x
    assert centre["Ново-Савиновский"].y > vakh.y and centre["Ново-Савиновский"].x > vakh.x


def test_every_building_stands_inside_its_district(kazan):
    polygons = {d.id: shape(d.boundary) for d in District.objects.filter(municipality=kazan)}
    buildings = Building.objects.filter(municipality=kazan)
    assert buildings.count() == 400
    per_district = Counter()
    for b in buildings:
        assert polygons[b.district_id].contains(Point(b.lon, b.lat)), b.address
        assert b.h3_cell == h3_cell(b.lat, b.lon)
        per_district[b.district_id] += 1
    assert len(per_district) == 7  # every district has houses


def test_addresses_are_complete_unique_and_searchable(kazan):
    seen = set()
    for b in Building.objects.filter(municipality=kazan):
        expected = f"Респ. Татарстан, г. Казань, {b.street}, д. {b.house_number}"
        if b.corpus:
            expected += f", к. {b.corpus}"
        assert b.address == expected
        assert b.search_text == address_search_text(
            street=b.street, house_number=b.house_number, corpus=b.corpus
        )
        assert re.fullmatch(r"demo-\d{6}", b.external_id)
        assert b.source == "demo"
        assert b.street.startswith(("ул. ", "пр. ", "ш. "))
        key = (b.street, b.house_number, b.corpus)
        assert key not in seen
        seen.add(key)
    streets = set(Building.objects.filter(municipality=kazan).values_list("street", flat=True))
    assert len(streets & WELL_KNOWN_STREETS) >= 4
    assert Building.objects.filter(municipality=kazan).exclude(corpus="").exists()


def test_series_years_storeys_and_walls_go_together(kazan):
    buildings = list(Building.objects.filter(municipality=kazan))
    series_seen = Counter(b.series for b in buildings)
    assert len([s for s in SERIES_RULES if series_seen[s]]) >= 4
    for b in buildings:
        if b.series in SERIES_RULES:
            (first, last), storeys, walls = SERIES_RULES[b.series]
            assert first <= b.year_built <= last, b.series
            assert b.floors_max in storeys, b.series
            assert b.wall_material == walls, b.series
        if b.wall_material == "monolithic":
            assert b.year_built >= 2000 and b.floors_max >= 10
        if b.wall_material == "wooden":
            assert b.floors_max <= 2 and b.year_built < 1970
        if b.series == "" and b.wall_material == "brick":  # pre-war
            assert b.year_built <= 1940 and b.floors_max <= 4
        assert 1880 <= b.year_built <= 2024
        assert b.floors_min <= b.floors_max


def test_lifts_only_where_the_storeys_need_them(kazan):
    for b in Building.objects.filter(municipality=kazan):
        needs_lift = b.floors_max >= 9 or (b.year_built >= 2000 and b.floors_max >= 6)
        assert (b.lifts_count > 0) == needs_lift, (b.floors_max, b.year_built, b.lifts_count)
        if b.floors_max < 9:
            assert b.has_garbage_chute is False
    for entrance in Entrance.objects.filter(municipality=kazan).select_related("building"):
        b = entrance.building
        needs_lift = entrance.floors >= 9 or (b.year_built >= 2000 and entrance.floors >= 6)
        assert entrance.has_lift == needs_lift


def test_premises_areas_and_entrances_add_up(kazan):
    entrances = Counter(
        Entrance.objects.filter(municipality=kazan).values_list("building_id", flat=True)
    )
    for b in Building.objects.filter(municipality=kazan):
        assert entrances[b.id] == b.entrances_count
        assert b.premises_total == b.premises_residential + b.premises_nonresidential
        assert b.area_total == b.area_residential + b.area_nonresidential + b.area_common
        flat_area = b.area_residential / b.premises_residential
        assert Decimal(25) < flat_area < Decimal(100), b.series
        assert b.residents_count >= b.premises_residential
        assert Decimal(0) <= b.wear_percent <= Decimal(85)
        if b.is_emergency:
            assert b.wear_percent >= 65
            assert b.capital_repair_fund == "not_defined"
    with_flats = Building.objects.filter(municipality=kazan, apartments__isnull=False).distinct()
    assert with_flats.count() == 30
    for b in with_flats:
        flats = Apartment.objects.filter(building=b)
        residential = flats.filter(is_residential=True)
        assert residential.count() == b.premises_residential
        assert flats.filter(is_residential=False).count() == b.premises_nonresidential
        assert sum(f.area for f in residential) == b.area_residential
        assert all(1 <= f.floor <= b.floors_max for f in flats)
    accounts = PersonalAccount.objects.filter(municipality=kazan)
    assert accounts.count() == Apartment.objects.filter(municipality=kazan).count()


def test_wear_grows_with_age(kazan):
    old = Building.objects.filter(municipality=kazan, year_built__lt=1970)
    new = Building.objects.filter(municipality=kazan, year_built__gte=2010)
    assert old.exists() and new.exists()
    mean_old = sum(b.wear_percent for b in old) / old.count()
    mean_new = sum(b.wear_percent for b in new) / new.count()
    assert mean_old > mean_new + 20


def test_management_company_and_contracts_are_in_step(kazan):
    managed = Building.objects.filter(municipality=kazan, management_company__isnull=False)
    assert managed.count() > 350
    for b in managed:
        current = ManagementContract.objects.get(building=b, end_date__isnull=True)
        assert current.organisation_id == b.management_company_id
        assert current.start_date == b.management_since
        assert b.management_company.kind in (
            OrganisationKind.MANAGEMENT_COMPANY,
            OrganisationKind.HOMEOWNERS_ASSOCIATION,
        )
    for ended in ManagementContract.objects.filter(municipality=kazan, end_date__isnull=False):
        assert ended.start_date < ended.end_date < ended.building.management_since
    # a management company works in one or two districts
    districts = Counter()
    pairs = managed.order_by().values_list("management_company", "district").distinct()
    for org_id, _district_id in pairs:
        districts[org_id] += 1
    assert max(districts.values()) <= 2


def test_organisations_of_the_full_city(kazan):
    orgs = Organisation.objects.filter(municipality=kazan)
    kinds = Counter(orgs.values_list("kind", flat=True))
    assert kinds[OrganisationKind.MANAGEMENT_COMPANY] >= 40
    assert kinds[OrganisationKind.HOMEOWNERS_ASSOCIATION] >= 7
    assert kinds[OrganisationKind.CONTRACTOR] == 250
    assert kinds[OrganisationKind.UTILITY] == 6
    assert kinds[OrganisationKind.DISTRICT_ADMINISTRATION] == 7
    assert kinds[OrganisationKind.EMERGENCY_DISPATCH] == 1
    assert orgs.filter(
        name="МУП «Водоканал» г. Казани", resources=["cold_water", "sewage"]
    ).exists()
    assert len(set(orgs.values_list("name", flat=True))) == orgs.count()
    # every district gets every resource from some utility
    for district in District.objects.filter(municipality=kazan):
        resources = set(
            ServiceArea.objects.filter(district=district, organisation__kind="utility")
            .exclude(resource="")
            .values_list("resource", flat=True)
        )
        assert resources == set(Resource.values), district.name
        admin = orgs.get(kind=OrganisationKind.DISTRICT_ADMINISTRATION, district=district)
        assert ServiceArea.objects.filter(organisation=admin, district=district).exists()
    departments = orgs.filter(kind=OrganisationKind.CITY_DEPARTMENT)
    assert set(departments.values_list("department_area", flat=True)) == {
        "roads",
        "landscaping",
        "transport",
        "waste",
        "lighting",
    }
    for department in departments:
        assert ServiceArea.objects.filter(organisation=department).count() == 7
    # contacts for each, with a 24/7 number for those who answer emergencies
    contact_orgs = set(
        OrganisationContact.objects.filter(municipality=kazan).values_list(
            "organisation_id", flat=True
        )
    )
    assert contact_orgs == set(orgs.values_list("id", flat=True))
    for org in orgs.filter(kind__in=["management_company", "utility", "emergency_dispatch"]):
        assert org.contacts.filter(kind="emergency_phone").exists()
        assert re.fullmatch(r"\d{10}", org.inn) and re.fullmatch(r"\d{13}", org.ogrn)
