import pytest

from opencity.buildings.services import building_create
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import MunicipalityFactory


@pytest.fixture
def city():
    return MunicipalityFactory(slug="kazan")


@pytest.mark.django_db
def test_search_endpoint(client, city):
    target = building_create(
        municipality=city, address="ул. Баумана, 12", street="ул. Баумана", house_number="12"
    )
    building_create(
        municipality=city, address="ул. Пушкина, 1", street="ул. Пушкина", house_number="1"
    )
    response = client.get("/m/kazan/api/v1/buildings/search", {"q": "баум 12"})
    assert response.status_code == 200
    body = response.json()
    assert [hit["id"] for hit in body] == [target.pk]
    assert body[0]["label"] == "ул. Баумана, 12"
    assert body[0]["url"].endswith(f"/m/kazan/buildings/{target.pk}/")


@pytest.mark.django_db
def test_detail_endpoint(client, city):
    building = ManagedBuildingFactory(municipality=city, street="ул. Баумана", house_number="3")
    response = client.get(f"/m/kazan/api/v1/buildings/{building.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["street"] == "ул. Баумана" and body["floors_max"] == 9
    assert body["management_company"]["name"] == building.management_company.name
    assert body["management_company"]["since"] == "2018-01-01"


@pytest.mark.django_db
def test_detail_of_another_municipality_is_404(client, city):
    other = MunicipalityFactory(slug="other")
    building = ManagedBuildingFactory(municipality=other)
    response = client.get(f"/m/kazan/api/v1/buildings/{building.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get("/m/kazan/api/v1/buildings/search", {"q": "тестовая"}).json() == []
