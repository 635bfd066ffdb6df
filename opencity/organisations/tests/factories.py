import factory

from opencity.accounts.tests.factories import UserFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import Membership, MembershipRole, Organisation, OrganisationKind


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = OrganisationKind.MANAGEMENT_COMPANY
    name = factory.Sequence(lambda n: f'ООО "УК Дом {n}"')
    short_name = factory.Sequence(lambda n: f"УК Дом {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("organisation.municipality")
    user = factory.SubFactory(
        UserFactory, municipality=factory.SelfAttribute("..organisation.municipality")
    )
    role = MembershipRole.MANAGER
