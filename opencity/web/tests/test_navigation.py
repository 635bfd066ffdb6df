"""Which staff sections each role sees, and how a missing feature shows."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory
from opencity.outages.tests.factories import UtilityFactory
from opencity.web import navigation
from opencity.web.navigation import NAVIGATION, SECTIONS, Section, navigation_for_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "keys"),
    [
        (Role.DISPATCHER, ["appeals_queue", "phone_intake", "monitor", "outages", "buildings"]),
        (
            Role.ORG_MANAGER,
            [
                "organisation_queue",
                "analytics",
                "outages",
                "meters",
                "api_keys",
                "buildings",
            ],
        ),
        (Role.ORG_EXECUTOR, ["my_tasks", "outages", "buildings"]),
        # the inspections list and the organisation's staff page are not built yet: left out
        (Role.INSPECTOR, ["inspections_today", "buildings"]),
        (
            Role.ANALYST,
            [
                "analytics",
                "monitor",
                "inspection_progress",
                "capital_repair",
                "wear_map",
                "chatbot_stats",
                "buildings",
            ],
        ),
        (
            Role.MUNICIPAL_ADMIN,
            [
                "administration",
                "analytics",
                "monitor",
                "organisations",
                "outages",
                "meters",
                "api_keys",
                "inspection_progress",
                "capital_repair",
                "wear_map",
                "chatbot_stats",
                "buildings",
                "users",
            ],
        ),
    ],
)
def test_each_staff_role_gets_its_sections(role, keys):
    user = UserFactory(role=role)

    assert [item.key for item in navigation_for_user(user=user)] == keys


def test_season_progress_only_for_managers_of_companies_with_inspections_there():
    # A utility's manager manages no building's inspections: no link to an empty page.
    city = MunicipalityFactory()
    company, utility = OrganisationFactory(municipality=city), UtilityFactory(municipality=city)
    ManagedBuildingFactory(municipality=city, manager=company)
    manager = MembershipFactory(organisation=company, user__role=Role.ORG_MANAGER).user
    utility_manager = MembershipFactory(organisation=utility, user__role=Role.ORG_MANAGER).user

    assert "inspection_progress" in [i.key for i in navigation_for_user(user=manager)]
    assert "inspection_progress" not in [i.key for i in navigation_for_user(user=utility_manager)]


def test_residents_and_anonymous_users_get_no_staff_navigation():
    assert navigation_for_user(user=UserFactory(role=Role.RESIDENT)) == []
    assert navigation_for_user(user=AnonymousUser()) == []


def test_superuser_gets_every_area():
    user = UserFactory(municipality=None, username="root", is_superuser=True)

    keys = [item.key for item in navigation_for_user(user=user)]

    assert {"administration", "appeals_queue", "phone_intake", "buildings", "users"} <= set(keys)
    assert "analytics" in keys
    assert "inspections" not in keys


def test_every_role_and_section_is_defined():
    assert set(NAVIGATION) == {str(role) for role in Role if role != Role.RESIDENT} | {"superuser"}
    for keys in NAVIGATION.values():
        assert set(keys) <= set(SECTIONS)


def test_existing_feature_is_a_link_and_the_current_one_is_active():
    user = UserFactory(role=Role.INSPECTOR)
    url = reverse("buildings:search")

    items = {item.key: item for item in navigation_for_user(user=user, current_path=url + "12/")}

    assert items["buildings"].url == url
    assert items["buildings"].active


def test_a_feature_that_is_not_installed_is_left_out(monkeypatch):
    monkeypatch.setitem(SECTIONS, "phone_intake", Section("phone_intake", "Phone", "nope:intake"))
    user = UserFactory(role=Role.DISPATCHER)

    keys = [item.key for item in navigation_for_user(user=user)]

    assert keys == ["appeals_queue", "monitor", "outages", "buildings"]


def test_no_stub_is_in_the_navigation(client, monkeypatch):
    monkeypatch.setitem(
        navigation.SECTIONS, "appeals_queue", Section("appeals_queue", "Queue", "nope:queue")
    )
    city = MunicipalityFactory()
    client.force_login(UserFactory(municipality=city, role=Role.DISPATCHER))

    page = client.get(reverse("web:staff")).content.decode()

    assert 'data-testid="staff-nav-appeals_queue"' not in page
    assert "not yet available" not in page and 'aria-disabled="true"' not in page
    assert 'data-testid="staff-nav-buildings"' in page


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ANALYST])
def test_roles_whose_systems_are_not_built_see_only_what_exists(client, role):
    city = MunicipalityFactory()
    client.force_login(UserFactory(municipality=city, role=role))

    page = client.get(reverse("web:staff")).content.decode()

    assert "not yet available" not in page
    assert 'data-testid="section-buildings"' in page
