"""Addresses in natural order wherever buildings are listed: 5, 12, 12а, 48, 50, 50 к1, 100."""

import pytest

from opencity.buildings.models import Building
from opencity.buildings.ordering import address_natural_key, address_order
from opencity.buildings.selectors import building_list, building_search
from opencity.buildings.services import building_create
from opencity.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

NATURAL = [("5", ""), ("12", ""), ("12а", ""), ("48", ""), ("50", ""), ("50", "1"), ("100", "")]


def natural_city():
    city = MunicipalityFactory(slug="kazan", name="Казань")
    # created out of order, and in text order 100 < 12 < 12а < 48 < 5 < 50
    for house, corpus in [NATURAL[i] for i in (6, 3, 0, 5, 2, 4, 1)]:
        building_create(
            municipality=city,
            address=f"г. Казань, ул. Баумана, д. {house}" + (f" к{corpus}" if corpus else ""),
            street="ул. Баумана",
            house_number=house,
            corpus=corpus,
        )
    building_create(
        municipality=city, address="г. Казань, ул. Абая, д. 9", street="ул. Абая", house_number="9"
    )
    return city


@pytest.fixture
def city():
    return natural_city()


def houses(buildings) -> list[tuple[str, str]]:
    return [(b.house_number, b.corpus) for b in buildings if b.street == "ул. Баумана"]


def test_the_order_terms_sort_house_numbers_naturally(city):
    rows = Building.objects.filter(municipality=city).order_by(*address_order())
    assert [b.street for b in rows][0] == "ул. Абая"
    assert houses(rows) == NATURAL


def test_the_building_list_is_in_natural_order(city):
    assert houses(building_list(municipality=city)) == NATURAL


def test_search_results_are_in_natural_order(city, client):
    hits = building_search(municipality=city, query="Баумана", limit=20)
    by_id = Building.objects.in_bulk([hit.id for hit in hits])
    assert houses([by_id[hit.id] for hit in hits]) == NATURAL
    # and so on the search page
    page = client.get("/m/kazan/buildings/", {"q": "Баумана"}).content.decode()
    positions = [page.index(f"/buildings/{hit.id}/") for hit in hits]
    assert positions == sorted(positions)


def test_address_texts_sort_naturally_in_python():
    texts = ["ул. Баумана, д. 50 к1", "ул. Баумана, д. 100", "ул. Баумана, д. 5", "ул. Абая, д. 9"]
    assert sorted(texts, key=address_natural_key) == [
        "ул. Абая, д. 9",
        "ул. Баумана, д. 5",
        "ул. Баумана, д. 50 к1",
        "ул. Баумана, д. 100",
    ]
