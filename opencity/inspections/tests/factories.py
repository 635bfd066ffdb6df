"""A small city for the acts' tests: two management companies (A and B) with their managers and
inspectors, a brick building of A's with its spring inspection, the methodology, seasons,
appeal categories and the defects' appeal rules seeded; and named starting states of an act."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.seeds import categories_seed
from opencity.buildings.models import TechnicalState, WallMaterial
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.inspections import services
from opencity.inspections.models import Inspection, InspectionSeason, SeasonKind
from opencity.inspections.seeds import defect_rules_seed, methodology_seed, seasons_seed
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

# One wear per share of the brick set (the seeded bands have no signs: wear is estimated).
WEARS = {
    "foundations": 20,
    "walls": 30,
    "floor_slabs": 25,
    "roof_structure": 40,
    "roofing": 50,
    "floors": 35,
    "windows_doors": 45,
    "finishes": 60,
    "stairs": 20,
    "heating": 40,
}
NOW = dt.datetime(2026, 5, 20, 9, 0, tzinfo=dt.UTC)


def photo_upload(name: str = "crack.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 50)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class ActWorld:
    def __init__(self):
        self.city = MunicipalityFactory(slug="kzn", time_zone="Europe/Moscow")
        methodology_seed(municipality=self.city)
        seasons_seed(municipality=self.city)
        categories_seed(municipality=self.city)
        defect_rules_seed(municipality=self.city)
        self.a = OrganisationFactory(municipality=self.city, name="УК А")
        self.b = OrganisationFactory(municipality=self.city, name="УК Б")
        self.manager_a = MembershipFactory(organisation=self.a).user
        self.manager_b = MembershipFactory(organisation=self.b).user
        self.inspector_a = self.staff(self.a, Role.INSPECTOR)
        self.inspector_a2 = self.staff(self.a, Role.INSPECTOR)
        self.inspector_b = self.staff(self.b, Role.INSPECTOR)
        self.resident = UserFactory(municipality=self.city, role=Role.RESIDENT)
        self.analyst = UserFactory(municipality=self.city, role=Role.ANALYST)
        self.building = ManagedBuildingFactory(
            municipality=self.city, manager=self.a, wall_material=WallMaterial.BRICK, floors_max=5
        )
        self.building_b = ManagedBuildingFactory(
            municipality=self.city, manager=self.b, wall_material=WallMaterial.PANEL
        )
        self.spring = InspectionSeason.objects.get(municipality=self.city, kind=SeasonKind.SPRING)
        self.autumn = InspectionSeason.objects.get(municipality=self.city, kind=SeasonKind.AUTUMN)
        services.plan_generate(season=self.spring, year=2026)
        self.inspection = Inspection.objects.get(building=self.building, kind=SeasonKind.SPRING)
        self.inspection_b = Inspection.objects.get(building=self.building_b)

    def staff(self, organisation, role):
        user = UserFactory(municipality=self.city, role=role)
        MembershipFactory(organisation=organisation, user=user, role=MembershipRole.EXECUTOR)
        return user

    # --- named starting states -------------------------------------------------------------

    def act_started(self, inspection=None, actor=None, inspected_on=None):
        return services.act_start(
            inspection=inspection or self.inspection,
            actor=actor or self.inspector_a,
            inspected_on=inspected_on,
            now=NOW,
        )

    def act_filled(
        self, inspection=None, actor=None, wears=None, technical_state=None, inspected_on=None
    ):
        """A draft with every share observed and the technical state assessed."""
        actor = actor or self.inspector_a
        act = self.act_started(inspection, actor, inspected_on)
        for code, wear in (wears or WEARS).items():
            services.act_observe(
                act=act,
                actor=actor,
                element=code,
                parts=[services.PartInput(wear=Decimal(wear))],
            )
        services.act_update(
            act=act, actor=actor, technical_state=technical_state or TechnicalState.WORKABLE
        )
        return act

    def act_signed(self, inspection=None, actor=None, **kwargs):
        actor = actor or self.inspector_a
        act = self.act_filled(inspection, actor, **kwargs)
        return services.act_sign(act=act, actor=actor, now=NOW)

    def autumn_inspection(self):
        services.plan_generate(season=self.autumn, year=2026)
        return Inspection.objects.get(building=self.building, kind=SeasonKind.AUTUMN)
