"""Every role has a demo login that works, inside its own municipality only."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.test import RequestFactory

from opencity.accounts.models import Role, User
from opencity.demo.data import KAZAN, YELABUGA
from opencity.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, demo_logins_table
from opencity.demo.services import demo_superuser_ensure
from opencity.organisations.models import Membership, MembershipRole


def _sign_in(municipality, login, password=DEMO_PASSWORD):
    request = RequestFactory().post("/accounts/login/")
    request.municipality = municipality
    return authenticate(request, username=login, password=password)


def test_the_demo_password_passes_the_password_validators():
    validate_password(DEMO_PASSWORD)  # raises if Django would refuse it


def test_every_role_has_a_demo_login_in_each_city():
    for city in (KAZAN, YELABUGA):
        roles = {item.role for item in DEMO_LOGINS if item.municipality == city.slug}
        assert roles == set(Role.values), city.slug
    assert [item.login for item in DEMO_LOGINS if item.role == "superuser"] == ["admin"]


def test_every_kazan_demo_login_signs_in_with_its_role(small_kazan):
    for item in DEMO_LOGINS:
        if item.municipality != KAZAN.slug:
            continue
        user = _sign_in(small_kazan, item.login)
        assert user is not None, item.login
        assert user.role == item.role
        assert user.municipality == small_kazan
        assert user.username == f"kazan:{item.login}"
        assert user.is_staff == (item.role == Role.MUNICIPAL_ADMIN)
        assert user.email_confirmed or user.phone_confirmed
        assert _sign_in(small_kazan, item.login, "wrong-password") is None


def test_the_phone_resident_signs_in_by_phone_in_any_spelling(small_kazan):
    user = _sign_in(small_kazan, "8 (900) 000-00-01")
    assert user is not None
    assert user.phone == "+79000000001" and user.phone_confirmed
    assert user.role == Role.RESIDENT


def test_organisation_staff_belong_to_a_management_company(small_kazan):
    manager = User.objects.get(username="kazan:manager@demo.opencity")
    executor = User.objects.get(username="kazan:executor@demo.opencity")
    m = Membership.objects.get(user=manager)
    e = Membership.objects.get(user=executor)
    assert m.role == MembershipRole.MANAGER and e.role == MembershipRole.EXECUTOR
    assert m.organisation == e.organisation
    assert m.organisation.kind == "management_company"
    assert m.organisation.municipality_id == small_kazan.id
    assert m.organisation.managed_buildings.exists()


def test_yelabuga_logins_work_in_yelabuga_only(small_kazan, yelabuga):
    for item in DEMO_LOGINS:
        if item.municipality != YELABUGA.slug:
            continue
        user = _sign_in(yelabuga, item.login)
        assert user is not None and user.role == item.role, item.login
        assert _sign_in(small_kazan, item.login) is None
    assert _sign_in(yelabuga, "resident@demo.opencity") is None


@pytest.mark.django_db
def test_the_superuser_signs_in_anywhere(small_kazan, yelabuga):
    assert demo_superuser_ensure() is True
    assert demo_superuser_ensure() is False  # never created twice
    for municipality in (small_kazan, yelabuga):
        user = _sign_in(municipality, "admin")
        assert user is not None and user.is_superuser and user.is_staff
        assert user.municipality is None


def test_the_logins_table_lists_every_login_with_where_to_sign_in():
    table = demo_logins_table()
    for item in DEMO_LOGINS:
        assert item.login in table
    assert "/m/yelabuga/accounts/login/" in table
    assert table.count(DEMO_PASSWORD) == len(DEMO_LOGINS)
