"""The one test city the appeals, API, Open311 and web tests build on.

``city_create`` makes a municipality with two districts, three organisations (the first manages
a building on ул. Баумана), a building category and two point categories, and a user of every
kind; the API's tests add the category's questions, personal tokens and API keys. Appeals come
from ``City.appeal`` in a named starting state (``AppealFactory.create_in``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from opencity.accounts.models import Role, User
from opencity.accounts.services import personal_token_create
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import (
    Appeal,
    Category,
    QuestionType,
    ResponsibleKind,
    Stage,
    Status,
)
from opencity.appeals.tests.factories import (
    AppealFactory,
    CategoryFactory,
    CategoryQuestionFactory,
    DeadlinePolicyFactory,
)
from opencity.buildings.models import Building
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.calendar import TimeUnit
from opencity.core.geo import h3_cell
from opencity.core.models import District, Municipality
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import MembershipRole, Organisation
from opencity.organisations.services import api_key_create
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

# The people of the city, by key in ``City.users``, with their role and organisation (A, B).
STAFF = {
    "manager": (Role.ORG_MANAGER, MembershipRole.MANAGER, "org"),
    "executor": (Role.ORG_EXECUTOR, MembershipRole.EXECUTOR, "org"),
    "other_executor": (Role.ORG_EXECUTOR, MembershipRole.EXECUTOR, "org"),
    "foreign_manager": (Role.ORG_MANAGER, MembershipRole.MANAGER, "org_b"),
}


@dataclass
class City:
    """A test city: its districts, organisations, building, categories and people by key."""

    municipality: Municipality
    north: District
    south: District
    org: Organisation  # manages the building
    org_b: Organisation
    org_c: Organisation
    building: Building
    leak: Category  # about a building, routed to its manager: acknowledge 2 h, resolve 3 days
    pothole: Category  # a point on the map, no questions, for the dispatchers
    moderated: Category  # a point on the map whose appeals are moderated first
    users: dict[str, User]
    secrets: dict[str, str] = field(default_factory=dict)
    now: dt.datetime = field(default_factory=timezone.now)

    def bearer(self, who: str) -> dict:
        """Return the request headers that authenticate with someone's API secret."""
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secrets[who]}"}

    def appeal(self, status: str = Status.REGISTERED, **fields) -> Appeal:
        """Create a resident's leak appeal of organisation A, assigned to its executor."""
        defaults = {
            "municipality": self.municipality,
            "category": self.leak,
            "author": self.users["resident"],
            "organisation": self.org,
            "executor": self.users["executor"],
            "contact_name": "Ivan Petrov",
            "contact_phone": "+79170000001",
            "contact_email": "ivan@example.org",
            "apartment_number": "42",
            "created_at": timezone.now() - dt.timedelta(hours=1),
        }
        return AppealFactory.create_in(status, **{**defaults, **fields})


def city_create(
    *,
    slug: str = "kazan",
    name: str = "Казань",
    code: str = "",
    org_name: str = 'ООО "УК Уют"',
    org_short_name: str = "УК Уют",
    house_number: str = "12",
    resident_email: str = "resident@example.org",
    api: bool = False,
) -> City:
    """Build the test city; with ``api`` also the leak's questions, tokens and API keys."""
    municipality = MunicipalityFactory(
        slug=slug, name=name, code=code or slug[:3].upper(), hosts=f"{slug}.example.org"
    )
    north = DistrictFactory(municipality=municipality, name="Северный")
    south = DistrictFactory(municipality=municipality, name="Южный")
    orgs = {
        "org": OrganisationFactory(
            municipality=municipality, name=org_name, short_name=org_short_name
        ),
        "org_b": OrganisationFactory(municipality=municipality, name="УК Бета", short_name=""),
        "org_c": OrganisationFactory(municipality=municipality),
    }
    building = ManagedBuildingFactory(
        municipality=municipality,
        street="ул. Баумана",
        house_number=house_number,
        address=f"г. {name}, ул. Баумана, д. {house_number}",
        postcode="420111",
        lat=55.7905,
        lon=49.1150,
        manager=orgs["org"],
    )
    building.h3_cell = h3_cell(building.lat, building.lon)
    building.save(update_fields=["h3_cell"])
    city = City(
        municipality=municipality,
        north=north,
        south=south,
        building=building,
        users=_people(municipality, orgs, resident_email=resident_email),
        **orgs,
        **_categories(municipality),
    )
    if api:
        _questions_add(city.leak)
        _secrets_add(city)
    return city


def _people(municipality, orgs: dict, *, resident_email: str) -> dict[str, User]:
    users = {
        "resident": UserFactory(
            municipality=municipality,
            email=resident_email,
            phone="+79170000001",
            full_name="Ильдар Сафин",
        ),
        "other_resident": UserFactory(municipality=municipality),
        "dispatcher": UserFactory(municipality=municipality, role=Role.DISPATCHER),
        "admin": UserFactory(municipality=municipality, role=Role.MUNICIPAL_ADMIN),
        "analyst": UserFactory(municipality=municipality, role=Role.ANALYST),
        "foreign_dispatcher": UserFactory(role=Role.DISPATCHER),  # of another municipality
    }
    for key, (role, membership, org) in STAFF.items():
        users[key] = UserFactory(municipality=municipality, role=role)
        MembershipFactory(organisation=orgs[org], user=users[key], role=membership)
    users["executor"].full_name = "Иван Слесарь"
    users["executor"].save(update_fields=["full_name"])
    return users


def _categories(municipality) -> dict[str, Category]:
    group = CategoryFactory(municipality=municipality, code="housing", name="Дом")
    leak = CategoryFactory(
        municipality=municipality,
        parent=group,
        code="roof-leak",
        name="Протечка кровли",
        keywords="крыша, течь",
        responsible_kind=ResponsibleKind.BUILDING_MANAGER,
        reopen_window_days=30,
    )
    DeadlinePolicyFactory(category=leak, stage=Stage.ACKNOWLEDGE, amount=2, unit=TimeUnit.HOURS)
    DeadlinePolicyFactory(category=leak, stage=Stage.RESOLVE, amount=3, unit=TimeUnit.DAYS)
    pothole = CategoryFactory(
        municipality=municipality,
        code="pothole",
        name="Яма на дороге",
        needs_building=False,
        responsible_kind=ResponsibleKind.DISPATCH,
    )
    moderated = CategoryFactory(
        municipality=municipality,
        code="graffiti",
        name="Граффити",
        needs_building=False,
        moderated=True,
        responsible_kind=ResponsibleKind.DISPATCH,
    )
    return {"leak": leak, "pothole": pothole, "moderated": moderated}


def _questions_add(leak: Category) -> None:
    CategoryQuestionFactory(
        category=leak,
        code="floor",
        label="Which floor?",
        datatype=QuestionType.SINGLE,
        required=True,
        order=1,
        values=[{"key": "top", "name": "Top floor"}, {"key": "other", "name": "Another"}],
    )
    CategoryQuestionFactory(
        category=leak,
        code="rooms",
        label="Which rooms?",
        datatype=QuestionType.MULTI,
        order=2,
        values=[{"key": "kitchen", "name": "Kitchen"}, {"key": "bath", "name": "Bathroom"}],
    )
    CategoryQuestionFactory(category=leak, code="note", label="Anything else?", order=3)


def _secrets_add(city: City) -> None:
    for who, name in (("resident", "My phone"), ("dispatcher", "Console")):
        _token, city.secrets[who] = personal_token_create(user=city.users[who], name=name)
    key, city.secrets["org_key"] = api_key_create(
        actor=city.users["manager"], organisation=city.org, name="CRM", role=MembershipRole.MANAGER
    )
    city.users["org_key"] = key.user
