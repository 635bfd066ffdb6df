"""What the tests of the resident pages share: the fixtures of their test city (``city``,
``company``, ``building``, ``category``, ``resident``, ``manager``), a JPEG and file_appeal.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.models import Channel, ResponsibleKind
from opencity.appeals.tests.factories import CategoryFactory, DeadlinePolicyFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory


def jpeg(name="leak.jpg", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def city():
    city = MunicipalityFactory(slug="kazan", code="KZN")
    DistrictFactory(municipality=city)
    return city


@pytest.fixture
def company(city):
    return OrganisationFactory(municipality=city, name='ООО "УК Уютный дом"')


@pytest.fixture
def building(city, company):
    return ManagedBuildingFactory(
        municipality=city, street="ул. Баумана", house_number="12", manager=company
    )


@pytest.fixture
def category(city):
    parent = CategoryFactory(municipality=city, code="housing", name="Housing")
    leaf = CategoryFactory(
        municipality=city,
        parent=parent,
        code="leak",
        name="Leaking roof",
        responsible_kind=ResponsibleKind.BUILDING_MANAGER,
    )
    DeadlinePolicyFactory(category=leaf)
    return leaf


@pytest.fixture
def resident(city):
    return UserFactory(
        municipality=city,
        full_name="Ильдар Сафин",
        email="ildar@example.org",
        phone="+79171234567",
    )


@pytest.fixture
def manager(city, company):
    return MembershipFactory(
        organisation=company, user__role=Role.ORG_MANAGER, role=MembershipRole.MANAGER
    ).user


def file_appeal(*, city, category, building, author, **extra):
    kwargs = {"description": "Water drips from the ceiling", "apartment_number": "17Ж"} | extra
    return services.appeal_create(
        municipality=city,
        category=category,
        channel=Channel.WEB,
        author=author,
        building=building,
        **kwargs,
    )
