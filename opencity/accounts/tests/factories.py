import factory

from opencity.accounts.models import Role, User
from opencity.core.tests.factories import MunicipalityFactory

PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.LazyAttribute(lambda o: f"{o.municipality.slug}:{o.email}")
    full_name = factory.Sequence(lambda n: f"Житель {n}")
    role = Role.RESIDENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
