import factory

from opencity.buildings.models import Apartment, Building, Entrance
from opencity.core.tests.factories import MunicipalityFactory


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    municipality = factory.SubFactory(MunicipalityFactory)
    street = factory.Sequence(lambda n: f"ул. Тестовая {n}")
    house_number = factory.Sequence(lambda n: str(n % 200 + 1))
    address = factory.LazyAttribute(lambda o: f"г. Казань, {o.street}, д. {o.house_number}")
    search_text = factory.LazyAttribute(
        lambda o: f"{o.street} {o.house_number}".lower().replace("ё", "е")
    )
    lat = 55.79
    lon = 49.12
    year_built = 1975
    floors_max = 9


class EntranceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrance

    building = factory.SubFactory(BuildingFactory)
    municipality = factory.SelfAttribute("building.municipality")
    number = factory.Sequence(lambda n: n + 1)


class ApartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Apartment

    building = factory.SubFactory(BuildingFactory)
    municipality = factory.SelfAttribute("building.municipality")
    number = factory.Sequence(lambda n: str(n + 1))
