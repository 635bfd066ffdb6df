"""A small city for the API and Open311 tests: a managed building, categories with questions,
people of every kind, a resident's personal token and the management company's API keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from opencity.accounts.models import Role
from opencity.accounts.services import personal_token_create
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import QuestionType, ResponsibleKind, Stage
from opencity.appeals.tests.factories import (
    CategoryFactory,
    CategoryQuestionFactory,
    DeadlinePolicyFactory,
)
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.calendar import TimeUnit
from opencity.core.geo import h3_cell
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import MembershipRole
from opencity.organisations.services import api_key_create
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory


@dataclass
class ApiCity:
    municipality: object
    building: object
    org: object
    leak: object  # a building category with a required list question
    pothole: object  # a point category (no building), no questions
    moderated: object  # a point category whose appeals are moderated first
    users: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=dict)

    def bearer(self, who: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secrets[who]}"}


def make_api_city(slug: str = "kazan") -> ApiCity:
    municipality = MunicipalityFactory(
        slug=slug, code=slug[:3].upper(), hosts=f"{slug}.example.org"
    )
    DistrictFactory(municipality=municipality, name="Вахитовский", slug="vakhitovsky")
    org = OrganisationFactory(municipality=municipality, name='ООО "УК Уют"', short_name="УК Уют")
    building = ManagedBuildingFactory(
        municipality=municipality,
        street="ул. Баумана",
        house_number="12",
        address="г. Казань, ул. Баумана, д. 12",
        postcode="420111",
        lat=55.7905,
        lon=49.1150,
        manager=org,
    )
    building.h3_cell = h3_cell(building.lat, building.lon)
    building.save(update_fields=["h3_cell"])
    group = CategoryFactory(municipality=municipality, code="housing", name="Дом")
    leak = CategoryFactory(
        municipality=municipality,
        parent=group,
        code="roof-leak",
        name="Протечка кровли",
        keywords="крыша, течь",
        responsible_kind=ResponsibleKind.BUILDING_MANAGER,
    )
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
    for stage, amount, unit in (
        (Stage.ACKNOWLEDGE, 2, TimeUnit.HOURS),
        (Stage.RESOLVE, 3, TimeUnit.DAYS),
    ):
        DeadlinePolicyFactory(category=leak, stage=stage, amount=amount, unit=unit)
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
    manager = MembershipFactory(organisation=org, role=MembershipRole.MANAGER).user
    executor = MembershipFactory(organisation=org, role=MembershipRole.EXECUTOR).user
    for user, role in ((manager, Role.ORG_MANAGER), (executor, Role.ORG_EXECUTOR)):
        user.role = role
        user.save(update_fields=["role"])
    city = ApiCity(municipality, building, org, leak, pothole, moderated)
    city.users = {
        "resident": UserFactory(
            municipality=municipality, email="resident@example.org", phone="+79170000001"
        ),
        "other_resident": UserFactory(municipality=municipality),
        "dispatcher": UserFactory(municipality=municipality, role=Role.DISPATCHER),
        "admin": UserFactory(municipality=municipality, role=Role.MUNICIPAL_ADMIN),
        "manager": manager,
        "executor": executor,
    }
    _token, city.secrets["resident"] = personal_token_create(
        user=city.users["resident"], name="My phone"
    )
    _token, city.secrets["dispatcher"] = personal_token_create(
        user=city.users["dispatcher"], name="Console"
    )
    key, city.secrets["org_key"] = api_key_create(
        actor=manager, organisation=org, name="CRM", role=MembershipRole.MANAGER
    )
    city.users["org_key"] = key.user
    return city
