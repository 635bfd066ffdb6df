import pytest

from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.outages.seeds import outage_norms_seed
from opencity.outages.tests.factories import UtilityFactory


class World:
    """A city with seeded norms, two districts, a utility and a few buildings on two streets."""

    def __init__(self):
        self.city = MunicipalityFactory(slug="kazan", code="KZN")
        outage_norms_seed(municipality=self.city)
        self.centre = DistrictFactory(municipality=self.city, name="Вахитовский", slug="vakh")
        self.north = DistrictFactory(
            municipality=self.city,
            name="Ново-Савиновский",
            slug="novo",
            boundary={
                "type": "Polygon",
                "coordinates": [
                    [[49.0, 55.85], [49.2, 55.85], [49.2, 55.9], [49.0, 55.9], [49.0, 55.85]]
                ],
            },
        )
        self.water = UtilityFactory(municipality=self.city)
        b = dict(municipality=self.city, district=self.centre)
        self.baumana_12 = BuildingFactory(
            street="ул. Баумана", house_number="12", lat=55.790, lon=49.110, **b
        )
        self.baumana_14 = BuildingFactory(
            street="ул. Баумана", house_number="14", lat=55.791, lon=49.112, **b
        )
        self.pushkina_1 = BuildingFactory(
            street="ул. Пушкина", house_number="1", lat=55.795, lon=49.120, **b
        )
        self.far = BuildingFactory(
            municipality=self.city,
            district=self.north,
            street="пр. Ямашева",
            house_number="5",
            lat=55.87,
            lon=49.10,
        )


@pytest.fixture
def w(db):
    return World()
