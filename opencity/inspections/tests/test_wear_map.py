"""The public wear map: points by condition and class, every filter, counts, and the JSON."""

import pytest

from opencity.core.tests.factories import DistrictFactory
from opencity.core.tests.pages import url
from opencity.inspections.selectors.wear_map import MapFilters, map_filters_parse, wear_map
from opencity.inspections.tests.pages_world import World


@pytest.fixture
def w(db):
    return World()


def _ids(w, **filters):
    return {p[0] for p in wear_map(municipality=w.city, filters=MapFilters(**filters))["points"]}


def test_every_building_is_a_point_with_its_condition_and_class(w):
    data = wear_map(municipality=w.city, filters=MapFilters())
    by_id = {p[0]: p for p in data["points"]}
    a = by_id[w.house_a.pk]
    assert (data["conditions"][a[4]], data["classes"][a[5]], a[3]) == (
        "unsatisfactory",
        "priority",
        52.0,
    )
    assert by_id[w.house_a2.pk][4] == -1  # not assessed
    assert data["counts"]["condition"] == {
        "good": 1,
        "satisfactory": 0,
        "unsatisfactory": 1,
        "dilapidated": 0,
        "unfit": 0,
        "": 1,
    }
    assert data["counts"]["total"] == 3 and data["counts"]["unmapped"] == 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"company": "a"}, {"house_a", "house_a2"}),
        ({"company": "b"}, {"house_b"}),
        ({"walls": "panel"}, {"house_a"}),
        ({"walls": "brick"}, {"house_a2", "house_b"}),
        ({"age": "1960_1979"}, {"house_a", "house_b"}),
        ({"age": "since_2000"}, {"house_a2"}),
        ({"age": "before_1960"}, set()),
        ({"company": "a", "walls": "brick", "age": "since_2000"}, {"house_a2"}),
    ],
)
def test_the_filters(w, filters, expected):
    if "company" in filters:
        filters["company"] = getattr(w, filters["company"]).pk
    assert _ids(w, **filters) == {getattr(w, name).pk for name in expected}


def test_the_district_filter(w):
    district = DistrictFactory(municipality=w.city)
    w.house_b.district = district
    w.house_b.save()
    assert _ids(w, district=district.pk) == {w.house_b.pk}


def test_unknown_filter_values_are_no_filter(w):
    parsed = map_filters_parse(
        params={"walls": "straw", "age": "old", "district": "x"}, municipality=w.city
    )
    assert parsed == MapFilters()


def test_the_map_page_and_its_json_are_public(client, w):
    page = client.get(url(w.city, "inspections:wear_map"))
    assert page.status_code == 200 and 'data-testid="wear-map-legend"' in page.content.decode()
    data = client.get(url(w.city, "inspections:wear_map_data", walls="panel")).json()
    assert [p[0] for p in data["points"]] == [w.house_a.pk]
