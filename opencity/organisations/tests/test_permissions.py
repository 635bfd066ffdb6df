import pytest

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.core.errors import PermissionDenied
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import MembershipRole
from opencity.organisations.permissions import require_organisation_member, user_organisation_ids
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def city_a(db):
    return MunicipalityFactory(slug="alpha", name="Alpha", code="ALP")


@pytest.fixture
def city_b(db):
    return MunicipalityFactory(slug="beta", name="Beta", code="BET")


@pytest.mark.django_db
def test_user_organisation_ids_counts_active_memberships_only(city_a):
    member = MembershipFactory(organisation__municipality=city_a, role=MembershipRole.EXECUTOR)
    user = member.user
    other = OrganisationFactory(municipality=city_a)
    MembershipFactory(organisation=other, user=user, is_active=False)
    closed = OrganisationFactory(municipality=city_a, is_active=False)
    MembershipFactory(organisation=closed, user=user)

    assert user_organisation_ids(user) == {member.organisation_id}
    assert user_organisation_ids(user, roles=[MembershipRole.MANAGER]) == set()
    assert user_organisation_ids(user, roles=[MembershipRole.EXECUTOR]) == {member.organisation_id}


@pytest.mark.django_db
def test_require_organisation_member(city_a, city_b):
    member = MembershipFactory(organisation__municipality=city_a, role=MembershipRole.MANAGER)
    organisation = member.organisation
    require_organisation_member(user=member.user, organisation=organisation)
    require_organisation_member(
        user=member.user, organisation=organisation, roles=[MembershipRole.MANAGER]
    )
    with pytest.raises(PermissionDenied):
        require_organisation_member(
            user=member.user, organisation=organisation, roles=[MembershipRole.EXECUTOR]
        )
    stranger = UserFactory(municipality=city_a, role=Role.ORG_MANAGER)
    with pytest.raises(PermissionDenied):
        require_organisation_member(user=stranger, organisation=organisation)
    dispatcher = UserFactory(municipality=city_a, role=Role.DISPATCHER)
    require_organisation_member(
        user=dispatcher, organisation=organisation, bypass_roles=[Role.DISPATCHER]
    )
    foreign_dispatcher = UserFactory(municipality=city_b, role=Role.DISPATCHER)
    with pytest.raises(PermissionDenied):
        require_organisation_member(
            user=foreign_dispatcher, organisation=organisation, bypass_roles=[Role.DISPATCHER]
        )
