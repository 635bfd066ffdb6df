"""The home page's building search: an example that exists in this city, and suggestions as one types."""

from __future__ import annotations

import pytest

from opencity.appeals.tests.city import city_create
from opencity.buildings.selectors import building_search, building_search_example
from opencity.core.tests.factories import MunicipalityFactory
from opencity.core.tests.pages import url

pytestmark = pytest.mark.django_db


def test_the_example_is_a_building_of_this_city_that_the_search_finds(client):
    city = city_create(api=True)
    example = building_search_example(municipality=city.municipality)
    assert example == "Баумана 12"
    assert [h.id for h in building_search(municipality=city.municipality, query=example)] == [
        city.building.pk
    ]
    html = client.get(url(city.municipality, "web:home")).content.decode()
    assert 'placeholder="e.g. Баумана 12"' in html
    assert "Baumana 19" not in html
    page = client.get(url(city.municipality, "buildings:search")).content.decode()
    assert "e.g. “Баумана 12”" in page


def test_the_home_search_suggests_as_one_types(client):
    city = city_create(api=True)
    html = client.get(url(city.municipality, "web:home")).content.decode()
    assert 'hx-get="/m/kazan/buildings/suggest/"' in html
    assert 'hx-target="#home-search-results"' in html
    assert 'id="home-search-results"' in html


def test_a_city_without_buildings_shows_no_invented_example(client):
    city = MunicipalityFactory(slug="empty")
    html = client.get(url(city, "web:home")).content.decode()
    assert "e.g." not in html
    assert building_search_example(municipality=city) == ""
