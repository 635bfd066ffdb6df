"""A small city for the page tests: two companies, their managers and inspectors, an analyst,
a building each with a signed act (a commission, internal notes, a defect, a work done)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.inspections.models import (
    Act,
    ActElement,
    ActMember,
    ActStatus,
    CommissionRole,
    Defect,
    Element,
    Inspection,
    InspectionKind,
    InspectionStatus,
    WorkItem,
    WorkItemStatus,
    WorkKind,
)
from opencity.inspections.seeds import methodology_seed, seasons_seed
from opencity.inspections.selectors import methodology_get
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

NOTES = "Ключ от чердака у старшего по дому"
CHAIR = "Зарипов Марат Ильдарович"


class World:
    def __init__(self):
        self.city = MunicipalityFactory(slug="kazan", time_zone="Europe/Moscow")
        methodology_seed(municipality=self.city)
        seasons_seed(municipality=self.city)
        self.methodology = methodology_get(municipality=self.city)
        self.a = OrganisationFactory(municipality=self.city, name="УК Альфа")
        self.b = OrganisationFactory(municipality=self.city, name="УК Бета")
        self.manager_a = self.staff(self.a, Role.ORG_MANAGER, MembershipRole.MANAGER)
        self.manager_b = self.staff(self.b, Role.ORG_MANAGER, MembershipRole.MANAGER)
        self.inspector_a = self.staff(self.a, Role.INSPECTOR, full_name=CHAIR)
        self.inspector_b = self.staff(self.b, Role.INSPECTOR)
        self.analyst = UserFactory(municipality=self.city, role=Role.ANALYST)
        self.resident = UserFactory(municipality=self.city, role=Role.RESIDENT)
        self.house_a = ManagedBuildingFactory(
            municipality=self.city,
            manager=self.a,
            lat=55.79,
            lon=49.12,
            year_built=1962,
            wall_material="panel",
        )
        self.house_a2 = ManagedBuildingFactory(
            municipality=self.city,
            manager=self.a,
            lat=55.80,
            lon=49.10,
            year_built=2005,
            wall_material="brick",
        )
        self.house_b = ManagedBuildingFactory(
            municipality=self.city,
            manager=self.b,
            lat=55.70,
            lon=49.20,
            year_built=1975,
            wall_material="brick",
        )
        self.act_a = self.signed_act(self.house_a, self.a, self.inspector_a, Decimal(52))
        self.act_b = self.signed_act(self.house_b, self.b, self.inspector_b, Decimal(18))

    def staff(self, organisation, role, membership=MembershipRole.EXECUTOR, **extra):
        user = UserFactory(municipality=self.city, role=role, **extra)
        MembershipFactory(organisation=organisation, user=user, role=membership)
        return user

    def signed_act(self, building, organisation, chair, wear):
        condition, repair_class = {
            Decimal(52): ("unsatisfactory", "priority"),
            Decimal(18): ("good", "none"),
        }[wear]
        inspection = Inspection.objects.create(
            municipality=self.city,
            building=building,
            organisation=organisation,
            kind=InspectionKind.SPRING,
            season_year=2025,
            due_date=dt.date(2025, 5, 31),
            status=InspectionStatus.DONE,
            inspector=chair,
        )
        now = timezone.now()
        act = Act.objects.create(
            municipality=self.city,
            inspection=inspection,
            building=building,
            organisation=organisation,
            methodology=self.methodology,
            status=ActStatus.SIGNED,
            inspected_on=dt.date(2025, 5, 14),
            passport={"year_built": building.year_built, "wall_material": "panel"},
            wear=wear,
            condition=condition,
            repair_class=repair_class,
            technical_state="workable",
            conclusion="Состояние здания неудовлетворительное.",
            notes=NOTES,
            created_at=now,
            signed_by=chair,
            signed_at=now,
        )
        ActMember.objects.create(
            municipality=self.city, act=act, role=CommissionRole.CHAIR, user=chair
        )
        ActMember.objects.create(
            municipality=self.city, act=act, name="Гарипова Лилия Рустемовна", order=1
        )
        roofing = Element.objects.get(methodology=self.methodology, code="roofing")
        ActElement.objects.create(
            municipality=self.city, act=act, element=roofing, calculated=wear, wear=wear
        )
        defect = Defect.objects.create(
            municipality=self.city,
            act=act,
            element=roofing,
            place="roof",
            description="Протечка кровли над 3-м подъездом",
        )
        WorkItem.objects.create(
            municipality=self.city,
            organisation=organisation,
            building=building,
            inspection=inspection,
            act=act,
            key=uuid.uuid4(),
            defect=defect,
            element=roofing,
            kind=WorkKind.CURRENT_REPAIR,
            description="Ремонт кровли участками",
            status=WorkItemStatus.DONE,
            status_changed_at=now,
            created_at=now,
        )
        building.wear_percent = wear
        building.condition = condition
        building.repair_class = repair_class
        building.wear_assessed_on = act.inspected_on
        building.save()
        return act
