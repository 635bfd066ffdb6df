"""A resident links the personal account of their apartment: their home on the platform."""

import pytest
from django.urls import reverse

from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import AccountHolder, PersonalAccount
from opencity.buildings.selectors import resident_building_ids
from opencity.buildings.services import account_holder_link, account_holder_unlink
from opencity.buildings.tests.factories import ApartmentFactory
from opencity.core.errors import Invalid, NotFound
from opencity.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    city = MunicipalityFactory(slug="kazan")
    apartment = ApartmentFactory(municipality=city, building__municipality=city, number="45")
    return PersonalAccount.objects.create(
        municipality=city, apartment=apartment, number="1100120045"
    )


@pytest.mark.parametrize(
    ("number", "apartment", "links"),
    [
        ("1100120045", "45", True),
        (" 1100120045 ", "45 ", True),
        ("1100120045", "46", False),  # the apartment on the bill must match
        ("1100120099", "45", False),
    ],
)
def test_linking_needs_the_number_and_the_apartment_from_the_bill(
    account, number, apartment, links
):
    user = UserFactory(municipality=account.municipality)

    if links:
        account_holder_link(user=user, number=number, apartment_number=apartment)
        assert resident_building_ids(user=user) == [account.apartment.building_id]
    else:
        with pytest.raises(Invalid):
            account_holder_link(user=user, number=number, apartment_number=apartment)
        assert resident_building_ids(user=user) == []


def test_an_account_of_another_municipality_cannot_be_linked(account):
    stranger = UserFactory()

    with pytest.raises(Invalid):
        account_holder_link(user=stranger, number="1100120045", apartment_number="45")


def test_only_ones_own_link_can_be_removed(account):
    owner = UserFactory(municipality=account.municipality)
    other = UserFactory(municipality=account.municipality)
    holder = account_holder_link(user=owner, number="1100120045", apartment_number="45")

    with pytest.raises(NotFound):
        account_holder_unlink(user=other, holder_id=holder.pk)
    account_holder_unlink(user=owner, holder_id=holder.pk)

    assert not AccountHolder.objects.exists()


def test_my_home_page_keeps_what_was_typed_when_the_account_is_wrong(client, account):
    user = UserFactory(municipality=account.municipality)
    client.force_login(user)
    url = "/m/kazan" + reverse("buildings:mine")

    wrong = client.post(url, {"number": "1100120045", "apartment_number": "99"})
    right = client.post(url, {"number": "1100120045", "apartment_number": "45"}, follow=True)

    assert wrong.status_code == 422
    assert 'value="1100120045"' in wrong.content.decode()
    assert "Check the account number" in wrong.content.decode()
    assert right.status_code == 200
    assert 'data-testid="my-account"' in right.content.decode()
