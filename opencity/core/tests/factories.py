import factory

from opencity.core.models import District, Municipality

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[49.0, 55.7], [49.2, 55.7], [49.2, 55.9], [49.0, 55.9], [49.0, 55.7]]],
}


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"city{n}")
    name = factory.Sequence(lambda n: f"Город {n}")
    code = factory.Sequence(lambda n: f"C{n:03d}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Район {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")
    boundary = SQUARE
