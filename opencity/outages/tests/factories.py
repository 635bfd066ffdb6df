import datetime as dt

import factory
from django.utils import timezone

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import OrganisationKind
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory
from opencity.outages.models import (
    AreaKind,
    Outage,
    OutageBuilding,
    OutageKind,
    OutageSubscription,
)


class UtilityFactory(OrganisationFactory):
    kind = OrganisationKind.UTILITY
    name = factory.Sequence(lambda n: f"Водоканал {n}")
    short_name = factory.Sequence(lambda n: f"Водоканал {n}")
    resources = factory.LazyFunction(lambda: ["cold_water", "sewage"])


def provider_staff(organisation, role=Role.ORG_MANAGER):
    """Return a member of the organisation who announces its outages."""
    return MembershipFactory(organisation=organisation, user__role=role).user


def dispatcher(municipality):
    return UserFactory(municipality=municipality, role=Role.DISPATCHER)


class OutageFactory(factory.django.DjangoModelFactory):
    """An outage row written directly (no flags, no events): for reads, not for the rules."""

    class Meta:
        model = Outage
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    organisation = factory.SubFactory(
        UtilityFactory, municipality=factory.SelfAttribute("..municipality")
    )
    resource = "cold_water"
    kind = OutageKind.PLANNED
    reason = "Замена задвижки"
    start_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    planned_end_at = factory.LazyAttribute(lambda o: o.start_at + dt.timedelta(hours=3))
    area_kind = AreaKind.BUILDINGS
    area_label = "ул. Тестовая"
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def buildings(obj, create, extracted, **kwargs):
        if create and extracted:
            OutageBuilding.objects.bulk_create(
                OutageBuilding(municipality=obj.municipality, outage=obj, building=b)
                for b in extracted
            )
            Outage.objects.filter(pk=obj.pk).update(buildings_count=len(extracted))
            obj.buildings_count = len(extracted)


class OutageSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutageSubscription

    user = factory.SubFactory(UserFactory)
    building = factory.SubFactory(
        "opencity.buildings.tests.factories.BuildingFactory",
        municipality=factory.SelfAttribute("..user.municipality"),
    )
    municipality = factory.SelfAttribute("user.municipality")
