"""Organisations' API keys: made by their managers and the city's admins, scoped to one
organisation and municipality, acting through a service account, shown once, revocable."""

import pytest

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.core.errors import PermissionDenied
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import ApiKey, Membership, MembershipRole
from opencity.organisations.services import api_key_create, api_key_revoke
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

PAGE = "/m/kazan/organisations/api-keys/"
ME = "/m/kazan/api/v1/me"


@pytest.fixture
def org(db):
    return OrganisationFactory(municipality=MunicipalityFactory(slug="kazan"))


def manager_of(org):
    user = MembershipFactory(organisation=org, role=MembershipRole.MANAGER).user
    user.role = Role.ORG_MANAGER
    user.save(update_fields=["role"])
    return user


def test_a_key_acts_as_a_member_of_its_organisation(client, org):
    key, secret = api_key_create(
        actor=manager_of(org), organisation=org, name="CRM", role=MembershipRole.EXECUTOR
    )
    assert secret.startswith(f"oc_key_{key.prefix}_") and secret not in key.digest
    account = key.user
    assert not account.has_usable_password()  # nobody signs in as a key
    assert Membership.objects.get(user=account).role == MembershipRole.EXECUTOR
    me = client.get(ME, HTTP_X_API_KEY=secret).json()
    assert me["credential"] == "api_key" and me["role"] == Role.ORG_EXECUTOR
    assert [m["organisation_id"] for m in me["organisations"]] == [org.pk]


def test_who_may_make_keys(org):
    admin = UserFactory(municipality=org.municipality, role=Role.MUNICIPAL_ADMIN)
    api_key_create(actor=admin, organisation=org, name="City")
    executor = MembershipFactory(organisation=org, role=MembershipRole.EXECUTOR).user
    foreign = manager_of(OrganisationFactory(municipality=org.municipality))
    other_city_admin = UserFactory(role=Role.MUNICIPAL_ADMIN)
    for actor in (executor, foreign, other_city_admin):
        with pytest.raises(PermissionDenied):
            api_key_create(actor=actor, organisation=org, name="Nope")
    assert ApiKey.objects.count() == 1


def test_revoking_stops_the_key_at_once(client, org):
    manager = manager_of(org)
    key, secret = api_key_create(actor=manager, organisation=org, name="CRM")
    assert client.get(ME, HTTP_X_API_KEY=secret).status_code == 200
    api_key_revoke(actor=manager, api_key=key)
    assert client.get(ME, HTTP_X_API_KEY=secret).status_code == 401
    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    key.user.refresh_from_db()
    assert not key.user.is_active


def test_a_key_of_one_city_is_refused_in_another(client, org):
    MunicipalityFactory(slug="yelabuga")
    _key, secret = api_key_create(actor=manager_of(org), organisation=org, name="CRM")
    assert client.get("/m/yelabuga/api/v1/me", HTTP_X_API_KEY=secret).status_code == 401


def test_the_keys_page(client, org):
    manager = manager_of(org)
    client.force_login(manager)
    created = client.post(PAGE, {"organisation": org.pk, "name": "CRM", "role": "manager"})
    assert created.status_code == 200
    secret = created.context["created"]["secret"]
    assert secret.encode() in created.content
    listing = client.get(PAGE)
    assert b"CRM" in listing.content and secret.encode() not in listing.content
    key = ApiKey.objects.get()
    client.post(f"{PAGE}{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None
    foreign = manager_of(OrganisationFactory(municipality=org.municipality))
    client.force_login(foreign)
    assert client.post(f"{PAGE}{key.pk}/revoke/").status_code == 404
    assert (
        client.post(PAGE, {"organisation": org.pk, "name": "X", "role": "manager"}).status_code
        == 422
    )
    resident = UserFactory(municipality=org.municipality)
    client.force_login(resident)
    assert client.get(PAGE).status_code == 403
