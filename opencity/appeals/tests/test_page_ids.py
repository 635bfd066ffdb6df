"""The main pages' ids: unique on each page, and every label, aria-describedby, aria-labelledby
or aria-controls names an element that is there (screen readers follow them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import ResponsibleKind, Status
from opencity.appeals.tests.factories import (
    AppealFactory,
    CategoryFactory,
    CategoryQuestionFactory,
    DeadlinePolicyFactory,
)
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.refcache import refcache_clear
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.core.tests.html_ids import html_id_problems
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def url(city, name, *args) -> str:
    return f"/m/{city.slug}{reverse(name, args=args)}"


class City:
    def __init__(self):
        self.city = MunicipalityFactory(slug="kazan", name="Казань", code="KZN")
        self.district = DistrictFactory(municipality=self.city)
        self.company = OrganisationFactory(municipality=self.city, name="УК Альфа")
        OrganisationFactory(municipality=self.city, name="УК Бета")
        self.building = ManagedBuildingFactory(
            municipality=self.city, manager=self.company, street="ул. Баумана", house_number="12"
        )
        parent = CategoryFactory(municipality=self.city, code="housing", name="Жильё")
        self.category = CategoryFactory(
            municipality=self.city,
            parent=parent,
            code="leak",
            name="Протечка",
            responsible_kind=ResponsibleKind.BUILDING_MANAGER,
        )
        DeadlinePolicyFactory(category=self.category)
        CategoryQuestionFactory(
            category=self.category, code="floor", label="Этаж", help_text="Номер этажа"
        )
        refcache_clear()
        self.resident = UserFactory(municipality=self.city, role=Role.RESIDENT)
        self.dispatcher = UserFactory(municipality=self.city, role=Role.DISPATCHER)
        self.manager = UserFactory(municipality=self.city, role=Role.ORG_MANAGER)
        MembershipFactory(organisation=self.company, user=self.manager, role=MembershipRole.MANAGER)
        now = timezone.now()
        common = {
            "municipality": self.city,
            "category": self.category,
            "organisation": self.company,
            "district": self.district,
            "building": self.building,
            "author": self.resident,
            "deadline_at": now + timedelta(hours=24),
        }
        # resolved: the resident's page offers both the confirm and the reject forms
        self.resolved = AppealFactory(status=Status.RESOLVED, resolution="Заменили трубу", **common)
        self.open = AppealFactory(status=Status.ACCEPTED, stage="resolve", **common)


@pytest.fixture
def c():
    return City()


def assert_ids_sound(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    problems = html_id_problems(response.content.decode())
    assert problems == [], f"{path}: {problems}"


def test_the_residents_appeal_page_with_confirm_and_reject(client, c):
    client.force_login(c.resident)
    page = client.get(url(c.city, "appeals:my_detail", c.resolved.number)).content.decode()
    assert 'data-testid="action-confirm-form"' in page
    assert 'data-testid="action-reject-form"' in page
    assert html_id_problems(page) == []


@pytest.mark.parametrize(
    "name", ["appeals:mine", "appeals:new", "appeals:public_list", "web:home", "buildings:search"]
)
def test_the_residents_pages(client, c, name):
    client.force_login(c.resident)
    assert_ids_sound(client, url(c.city, name))


def test_the_filing_form_of_a_category(client, c):
    client.force_login(c.resident)
    assert_ids_sound(client, url(c.city, "appeals:new") + "?category=leak")


def test_the_public_pages(client, c):
    assert_ids_sound(client, url(c.city, "appeals:public_detail", c.open.number))
    assert_ids_sound(client, url(c.city, "buildings:detail", c.building.pk))
    assert_ids_sound(client, url(c.city, "appeals:ratings"))


@pytest.mark.parametrize("who", ["dispatcher", "manager"])
def test_the_staff_appeal_page(client, c, who):
    client.force_login(getattr(c, who))
    page = client.get(url(c.city, "appeals:staff_detail", c.open.number)).content.decode()
    assert "<form" in page
    assert html_id_problems(page) == []


def test_the_staff_lists(client, c):
    client.force_login(c.dispatcher)
    for name in ["appeals:queue", "appeals:phone_intake", "web:staff"]:
        assert_ids_sound(client, url(c.city, name))
    client.force_login(c.manager)
    for name in ["appeals:organisation_queue", "appeals:my_tasks"]:
        assert_ids_sound(client, url(c.city, name))


@pytest.mark.parametrize(
    "name",
    [
        "outages:public_list",
        "outages:public_map",
        "appeals:public_map",
        "accounts:login",
        "accounts:signup",
        "accounts:password_reset",
    ],
)
def test_the_other_public_pages(client, c, name):
    assert_ids_sound(client, url(c.city, name))


@pytest.mark.parametrize(
    "name",
    [
        "outages:mine",
        "meters:mine",
        "accounts:profile",
        "notifications:inbox",
        "notifications:settings",
        "buildings:mine",
    ],
)
def test_the_other_resident_pages(client, c, name):
    client.force_login(c.resident)
    assert_ids_sound(client, url(c.city, name))


@pytest.mark.parametrize(
    "name", ["outages:staff_list", "outages:staff_new", "meters:staff_home", "meters:staff_meters"]
)
def test_the_other_staff_pages(client, c, name):
    admin = UserFactory(municipality=c.city, role=Role.MUNICIPAL_ADMIN)
    client.force_login(admin)
    response = client.get(url(c.city, name))
    if response.status_code == 403:
        pytest.skip(f"{name} is not for a municipal admin")
    assert_ids_sound(client, url(c.city, name))
