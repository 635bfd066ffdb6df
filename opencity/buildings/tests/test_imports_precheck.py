"""An import for another city stops before writing, instead of dropping coordinates row by row."""

import io

import pytest

from opencity.buildings.imports import ImportFileError, building_import
from opencity.buildings.models import Building
from opencity.core.geo import boundary_from_box
from opencity.core.tests.factories import MunicipalityFactory

KAZAN = (55.79, 49.12)
EKB = (56.84, 60.61)


@pytest.fixture
def ekb(db):
    return MunicipalityFactory(
        slug="ekb",
        name="Екатеринбург",
        center_lat=EKB[0],
        center_lon=EKB[1],
        boundary=boundary_from_box(south=56.70, west=60.40, north=56.98, east=60.80),
    )


def own_csv(points) -> io.BytesIO:
    lines = ["address,lat,lon"]
    lines += [f"ул. Ленина {n},{lat},{lon}" for n, (lat, lon) in enumerate(points, start=1)]
    return io.BytesIO("\n".join(lines).encode())


def reforma_csv(points) -> io.BytesIO:
    lines = ["HOUSE_ID;ADDRESS;LAT;LON"]
    lines += [f"{n};ул. Ленина, {n};{lat};{lon}" for n, (lat, lon) in enumerate(points, start=1)]
    return io.BytesIO("\n".join(lines).encode())


@pytest.mark.parametrize("make", [own_csv, reforma_csv])
def test_a_file_of_another_city_stops_and_names_both_extents(ekb, make):
    # given a registry of Kazan imported into Yekaterinburg
    points = [KAZAN] * 8 + [EKB] * 2
    # when
    with pytest.raises(ImportFileError) as refused:
        building_import(municipality=ekb, source=make(points))
    # then nothing is written, and the message says where the city is and where the file is
    message = refused.value.message
    assert "8 of the 10 rows with coordinates lie outside Екатеринбург" in message
    assert "56.6500…57.0300" in message  # the city's extent, with its margin
    assert "55.7900…56.8400" in message  # the file's
    assert Building.objects.filter(municipality=ekb).count() == 0


def test_swapped_columns_are_named(ekb):
    with pytest.raises(ImportFileError, match="latitude and longitude swapped"):
        building_import(municipality=ekb, source=own_csv([(EKB[1], EKB[0])] * 3))


def test_a_city_without_a_boundary_is_judged_by_its_centre(db):
    kazan = MunicipalityFactory(slug="kazan", name="Казань")  # the centre is Kazan's
    with pytest.raises(ImportFileError, match="lie outside Казань"):
        building_import(municipality=kazan, source=own_csv([EKB] * 3))


def test_a_few_stray_coordinates_are_dropped_one_by_one_as_before(ekb):
    # given a file of the city with a few strays (half of them, not more)
    result = building_import(municipality=ekb, source=own_csv([EKB] * 5 + [KAZAN] * 5))
    # then every row is kept and the strays lose their coordinates, each reported
    assert result.created == 10
    assert Building.objects.filter(municipality=ekb, lat__isnull=True).count() == 5
    assert sum("outside the municipality" in issue.reason for issue in result.errors) == 5


def test_a_file_without_coordinates_is_not_judged(ekb):
    result = building_import(
        municipality=ekb, source=io.BytesIO("address\nул. Ленина 1\n".encode())
    )
    assert result.created == 1
