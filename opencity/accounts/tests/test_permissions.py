import pytest

from opencity.accounts.models import Role
from opencity.accounts.permissions import user_is_municipal_admin
from opencity.accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_user_is_municipal_admin(city_a, city_b):
    admin = UserFactory(municipality=city_a, role=Role.MUNICIPAL_ADMIN)
    assert user_is_municipal_admin(user=admin)
    assert user_is_municipal_admin(user=admin, municipality=city_a)
    assert not user_is_municipal_admin(user=admin, municipality=city_b)
    assert not user_is_municipal_admin(user=UserFactory(municipality=city_a))
