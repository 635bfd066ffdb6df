import csv
import io

import pytest

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import HeatingSystem, WallMaterial
from opencity.buildings.services import building_create
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.core.tests.pages import url
from opencity.organisations.models import ContactKind, OrganisationContact
from opencity.organisations.tests.factories import OrganisationFactory


@pytest.fixture
def city():
    return MunicipalityFactory(slug="kazan")


@pytest.fixture
def building(city):
    manager = OrganisationFactory(
        municipality=city, name='ООО "УК Уютный дом"', phone="+7 843 200-00-00"
    )
    OrganisationContact.objects.create(
        municipality=city,
        organisation=manager,
        kind=ContactKind.EMERGENCY_PHONE,
        value="+7 843 211-11-11",
        label="Аварийная служба",
    )
    return ManagedBuildingFactory(
        municipality=city,
        street="ул. Баумана",
        house_number="12",
        year_built=1956,
        series="1-447",
        wall_material="brick",
        area_total="3456.70",
        heating_system="central",
        manager=manager,
        manager__since=__import__("datetime").date(2015, 5, 1),
    )


@pytest.mark.django_db
class TestSearchPages:
    def test_search_page_without_js(self, client, city, building):
        response = client.get(url(city, "buildings:search", q="баум 12"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'hx-get="/m/kazan/buildings/suggest/"' in html
        assert f'href="/m/kazan/buildings/{building.pk}/"' in html
        assert "ул. Баумана, 12" in html

    def test_suggest_partial_returns_matching_addresses(self, client, city, building):
        building_create(
            municipality=city, address="ул. Пушкина, 1", street="ул. Пушкина", house_number="1"
        )
        response = client.get(url(city, "buildings:suggest", q="баума"), HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert "ул. Баумана, 12" in html and "Пушкина" not in html

    def test_suggest_says_when_nothing_matches(self, client, city, building):
        response = client.get(url(city, "buildings:suggest", q="zzz"))
        assert 'data-testid="building-search-empty"' in response.content.decode()

    def test_other_municipality_does_not_find_it(self, client, city, building):
        other = MunicipalityFactory(slug="yelabuga")
        response = client.get(url(other, "buildings:suggest", q="баумана"))
        assert "Баумана" not in response.content.decode()


@pytest.mark.django_db
class TestBuildingPage:
    def test_shows_passport_and_management_company(self, client, city, building):
        response = client.get(url(city, "buildings:detail", building.pk))
        assert response.status_code == 200
        html = response.content.decode()
        for text in (
            "1956",
            "1-447",
            "3456.70",
            'ООО "УК Уютный дом"',
            "+7 843 200-00-00",
            "+7 843 211-11-11",
            "Аварийная служба",
            "data-building-map",
            'data-has-marker="true"',
            "building_map.js",
        ):
            assert text.replace('"', "&quot;") in html or text in html, text
        walls = {r["name"]: r["value"] for s in response.context["sections"] for r in s["rows"]}
        assert walls["wall_material"] == WallMaterial.BRICK.label
        assert walls["heating_system"] == HeatingSystem.CENTRAL.label
        assert str(WallMaterial.BRICK.label) in html
        assert html.count('data-testid="passport-section"') == 5

    def test_map_falls_back_to_the_centre(self, client, city):
        building = building_create(municipality=city, address="ул. Пушкина, 1")
        html = client.get(url(city, "buildings:detail", building.pk)).content.decode()
        assert 'data-has-marker="false"' in html
        assert f'data-lat="{city.center_lat:f}"' in html

    def test_other_municipality_gets_404(self, client, city, building):
        other = MunicipalityFactory(slug="yelabuga")
        assert client.get(url(other, "buildings:detail", building.pk)).status_code == 404
        assert client.get(url(city, "buildings:detail", 999999)).status_code == 404


@pytest.mark.django_db
class TestExportDownload:
    def test_staff_download_csv(self, client, city, building):
        client.force_login(UserFactory(municipality=city, role=Role.DISPATCHER))
        response = client.get(url(city, "buildings:export", format="csv"))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["id", "external_id", "address"]
        assert len(rows) == 2 and "ул. Баумана" in rows[1]

    def test_resident_may_not_download(self, client, city, building):
        client.force_login(UserFactory(municipality=city, role=Role.RESIDENT))
        assert client.get(url(city, "buildings:export")).status_code == 403

    def test_anonymous_is_sent_to_sign_in(self, client, city):
        assert client.get(url(city, "buildings:export")).status_code == 302
