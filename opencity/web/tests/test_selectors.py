"""The home page's figures count only the municipality's own rows."""

import pytest

from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import OrganisationKind
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory
from opencity.web.selectors import membership_list_for_user, municipality_figures

pytestmark = pytest.mark.django_db


def test_figures_count_only_this_municipality():
    # given
    here, there = MunicipalityFactory(), MunicipalityFactory()
    BuildingFactory.create_batch(2, municipality=here)
    BuildingFactory.create_batch(3, municipality=there)
    OrganisationFactory(municipality=here)
    OrganisationFactory(municipality=here, kind=OrganisationKind.HOMEOWNERS_ASSOCIATION)
    OrganisationFactory(municipality=here, is_active=False)
    OrganisationFactory(municipality=here, kind=OrganisationKind.UTILITY)
    OrganisationFactory(municipality=there)
    DistrictFactory.create_batch(2, municipality=here)
    DistrictFactory(municipality=there)

    # when
    figures = municipality_figures(municipality=here)

    # then
    assert (figures.buildings, figures.management_companies, figures.districts) == (2, 2, 2)


def test_memberships_are_active_and_in_this_municipality():
    here, there = MunicipalityFactory(), MunicipalityFactory()
    user = UserFactory(municipality=here)
    kept = MembershipFactory(user=user, organisation__municipality=here)
    MembershipFactory(user=user, organisation__municipality=here, is_active=False)
    MembershipFactory(user=user, organisation__municipality=there)

    assert list(membership_list_for_user(user=user, municipality=here)) == [kept]
    assert list(membership_list_for_user(user=user, municipality=None)) == []
