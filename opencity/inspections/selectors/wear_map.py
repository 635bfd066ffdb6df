"""Reads for the public wear map (buildings by condition and capital-repair class, filtered by
district, company, walls and age, with counts) and the buildings proposed for capital repair.

The map is one query of plain columns (no model instances) and one pass over it: the bench
(bench/bench_inspections_map.py) holds it to ≤ 100 ms at p95 for 6,000 buildings with any filter.
See docs/subsystems/inspections.md, "Pages and reports".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from opencity.buildings.models import Building, Condition, RepairClass, WallMaterial
from opencity.core.models import District, Municipality
from opencity.organisations.models import Organisation

# The age bands of the filter: (code, label, first year, last year).
AGE_BANDS = (
    ("before_1960", _("Built before 1960"), None, 1959),
    ("1960_1979", _("Built 1960–1979"), 1960, 1979),
    ("1980_1999", _("Built 1980–1999"), 1980, 1999),
    ("since_2000", _("Built in 2000 or later"), 2000, None),
)
AGE_CODES = {code: (first, last) for code, _label, first, last in AGE_BANDS}
CONDITIONS = [value for value, _label in Condition.choices]
REPAIR_CLASSES = [value for value, _label in RepairClass.choices]
# Capital repair is proposed for these classes (31 % and more).
PROPOSED = (RepairClass.NEEDED, RepairClass.PRIORITY, RepairClass.SURVEY)
NOT_ASSESSED = ""


@dataclass(frozen=True)
class MapFilters:
    district: int | None = None
    company: int | None = None
    walls: str = ""
    age: str = ""

    def apply(self, buildings: QuerySet[Building]) -> QuerySet[Building]:
        if self.district is not None:
            buildings = buildings.filter(district_id=self.district)
        if self.company is not None:
            buildings = buildings.filter(management_company_id=self.company)
        if self.walls:
            buildings = buildings.filter(wall_material=self.walls)
        if self.age:
            first, last = AGE_CODES[self.age]
            if first is not None:
                buildings = buildings.filter(year_built__gte=first)
            if last is not None:
                buildings = buildings.filter(year_built__lte=last)
        return buildings


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def map_filters_parse(*, params, municipality: Municipality) -> MapFilters:
    """The filters from a query string; an unknown value is no filter (never an error page)."""
    walls = params.get("walls", "")
    age = params.get("age", "")
    return MapFilters(
        district=_int(params.get("district")),
        company=_int(params.get("company")),
        walls=walls if walls in WallMaterial.values else "",
        age=age if age in AGE_CODES else "",
    )


def map_filter_choices(*, municipality: Municipality) -> dict:
    """What the map's filters offer: districts, managing companies, walls and age bands."""
    companies = Organisation.objects.filter(
        municipality=municipality,
        pk__in=Building.objects.filter(
            municipality=municipality, management_company__isnull=False
        ).values("management_company_id"),
    ).order_by("name")
    return {
        "districts": District.objects.filter(municipality=municipality).order_by("name"),
        "companies": companies.only("pk", "name"),
        "walls": WallMaterial.choices,
        "ages": [(code, label) for code, label, _f, _l in AGE_BANDS],
    }


def wear_map(*, municipality: Municipality, filters: MapFilters) -> dict:
    """The buildings of the filters as map points with their condition and class, and counts.

    points: [id, lat, lon, wear or null, condition index, class index, label] (index −1: not
    assessed), compact for 6,000 buildings; counts cover every building of the filters, also
    those with no coordinates (`unmapped`)."""
    buildings = filters.apply(Building.objects.filter(municipality=municipality))
    # The wear as a float in the database: no Decimal per row (a third of the time otherwise).
    rows = buildings.annotate(wear=Cast("wear_percent", FloatField())).values_list(
        "pk", "lat", "lon", "wear", "condition", "repair_class", "street", "house_number"
    )
    condition_index = {code: i for i, code in enumerate(CONDITIONS)}
    class_index = {code: i for i, code in enumerate(REPAIR_CLASSES)}
    conditions: Counter = Counter()
    classes: Counter = Counter()
    points = []
    unmapped = 0
    for pk, lat, lon, wear, condition, repair_class, street, house in rows:
        conditions[condition] += 1
        classes[repair_class] += 1
        if lat is None or lon is None:
            unmapped += 1
            continue
        points.append(
            (
                pk,
                lat,
                lon,
                wear,
                condition_index.get(condition, -1),
                class_index.get(repair_class, -1),
                f"{street}, {house}" if street else house,
            )
        )
    return {
        "conditions": CONDITIONS,
        "classes": REPAIR_CLASSES,
        "points": points,
        "counts": {
            "total": sum(conditions.values()),
            "unmapped": unmapped,
            "condition": {code: conditions.get(code, 0) for code in [*CONDITIONS, NOT_ASSESSED]},
            "repair_class": {
                code: classes.get(code, 0) for code in [*REPAIR_CLASSES, NOT_ASSESSED]
            },
        },
    }


def capital_repair_list(
    *, municipality: Municipality, repair_class: str = "", district: int | None = None
) -> QuerySet[Building]:
    """The buildings whose latest assessment proposes capital repair, the most worn first."""
    classes = [repair_class] if repair_class in PROPOSED else list(PROPOSED)
    buildings = Building.objects.filter(municipality=municipality, repair_class__in=classes)
    if district is not None:
        buildings = buildings.filter(district_id=district)
    return buildings.select_related("district", "management_company").order_by(
        "-wear_percent", "street", "house_number", "pk"
    )


def capital_repair_counts(*, municipality: Municipality) -> dict[str, int]:
    """How many buildings each proposing class holds."""
    counts = Counter(
        Building.objects.filter(municipality=municipality, repair_class__in=PROPOSED).values_list(
            "repair_class", flat=True
        )
    )
    return {code: counts.get(code, 0) for code in PROPOSED}
