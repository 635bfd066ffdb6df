"""What a demo city already has that its appeals need: categories, buildings, rules, people."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from opencity.accounts.models import ORGANISATION_ROLES, User
from opencity.appeals.models import Category, DeadlinePolicy, Priority
from opencity.buildings.models import Building
from opencity.core.calendar import calendar_load
from opencity.demo.appeals import texts
from opencity.demo.appeals.clock import CachedCalendar
from opencity.organisations.models import (
    ManagementContract,
    Membership,
    Organisation,
    ServiceArea,
)


@dataclass
class CategoryInfo:
    """A leaf category the demo files appeals in, with its group of texts and its weight."""

    category: Category
    group: str
    weight: float


class CityMixin:
    """Load the municipality's categories, buildings, policies, routing maps and staff."""

    def load(self) -> bool:
        """Read what the appeals need; False when the city has no categories or buildings."""
        m = self.municipality
        categories = list(Category.objects.filter(municipality=m))
        by_id = {c.id: c for c in categories}
        parents = {c.parent_id for c in categories if c.parent_id}
        self.categories: list[CategoryInfo] = []
        for category in categories:
            if category.id in parents or not category.is_active:
                continue
            group = self._group(category, by_id)
            weight = texts.GROUP_WEIGHT.get(group, 2.0)
            if category.priority == Priority.EMERGENCY:
                weight *= 0.6
            self.categories.append(CategoryInfo(category, group, weight))
        self.categories.sort(key=lambda info: info.category.code)
        self.buildings = list(
            Building.objects.filter(municipality=m, lat__isnull=False)
            .order_by("id")
            .values("id", "lat", "lon", "district_id", "address", "h3_cell")
        )
        if not self.categories or not self.buildings:
            return False
        self.policies_by_category: dict[int, list[DeadlinePolicy]] = defaultdict(list)
        for policy in DeadlinePolicy.objects.filter(municipality=m).order_by("id"):
            self.policies_by_category[policy.category_id].append(policy)
        self._policy_cache: dict[tuple[int, int], dict[str, DeadlinePolicy]] = {}
        self.calendar = CachedCalendar(calendar_load(municipality=m))
        self._load_routing()
        self._load_people()
        return True

    def _group(self, category: Category, by_id: dict[int, Category]) -> str:
        words = [category.resource or ""]
        node = category
        while node is not None:
            words.append(node.code.lower())
            node = by_id.get(node.parent_id)
        haystack = " ".join(words)
        for group, keywords in texts.GROUP_KEYWORDS:
            if any(keyword in haystack for keyword in keywords):
                return group
        if category.department_area:
            return {"roads": "roads", "landscaping": "landscaping", "transport": "transport"}.get(
                category.department_area, category.department_area
            )
        return texts.DEFAULT_GROUP

    def _load_routing(self) -> None:
        m = self.municipality
        self.organisations = {
            org.id: org for org in Organisation.objects.filter(municipality=m).order_by("id")
        }
        self.manager_of = dict(
            ManagementContract.objects.filter(municipality=m, end_date__isnull=True)
            .order_by("start_date", "id")
            .values_list("building_id", "organisation_id")
        )
        self.utility: dict[tuple, int] = {}
        self.territory: dict[tuple, int] = {}
        self.department: dict[tuple, int] = {}
        areas = (
            ServiceArea.objects.filter(municipality=m, organisation__is_active=True)
            .select_related("organisation")
            .order_by("id")
        )
        for area in areas:
            org = area.organisation
            if area.resource:
                self.utility.setdefault((area.district_id, area.resource), org.id)
                self.utility.setdefault((None, area.resource), org.id)
            if org.department_area:
                self.department.setdefault((area.district_id, org.department_area), org.id)
                self.department.setdefault((None, org.department_area), org.id)
            self.territory.setdefault((area.district_id, org.kind), org.id)
            self.territory.setdefault((None, org.kind), org.id)
        for org in self.organisations.values():
            if org.kind == "city_department" and org.department_area:
                self.department.setdefault((None, org.department_area), org.id)
        quality_rng = random.Random(f"{self.rng.random()}")
        # Each organisation has its habits: how often it misses deadlines, how it is rated.
        self.quality = {
            org_id: (quality_rng.uniform(0.015, 0.09), quality_rng.uniform(-0.6, 0.5))
            for org_id in self.organisations
        }

    def _load_people(self) -> None:
        m = self.municipality
        users = {u.role: u for u in User.objects.filter(municipality=m).order_by("-id")}
        self.resident = users.get("resident")
        self.dispatcher = users.get("dispatcher")
        self.staff: dict[int, dict[str, User]] = defaultdict(dict)
        # The companies' appeal staff only (not their inspectors, who chair inspections).
        memberships = Membership.objects.filter(
            municipality=m, is_active=True, user__role__in=ORGANISATION_ROLES
        ).select_related("user")
        for membership in memberships.order_by("id"):
            self.staff[membership.organisation_id].setdefault(membership.role, membership.user)
