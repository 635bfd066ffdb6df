"""Demo outages: some on now, some announced, two months of restored ones, a few cancelled.

Rows are what the services would have written (areas resolved by the same selector, flags by
the same functions, one event per change), dated in the past, with their residents already
told (the worker does not mail a demo's history).
"""

from __future__ import annotations

import datetime as dt
import random

from opencity.buildings.models import Building
from opencity.core.models import District, Municipality
from opencity.organisations.models import Organisation, OrganisationKind
from opencity.outages.accounting import Limits
from opencity.outages.models import (
    AreaKind,
    Outage,
    OutageBuilding,
    OutageEvent,
    OutageEventKind,
    OutageNorm,
)
from opencity.outages.selectors import AreaChoice, area_buildings
from opencity.outages.selectors.reports import norm_limits
from opencity.outages.services.flags import outage_late_notice, outage_over_limit

REASONS = {
    "cold_water": [
        "Замена задвижки на вводе",
        "Ремонт водопровода после порыва",
        "Промывка и дезинфекция сетей",
        "Подключение нового участка водопровода",
    ],
    "hot_water": [
        "Плановые гидравлические испытания",
        "Ремонт теплотрассы",
        "Замена участка трубопровода ГВС",
    ],
    "heating": [
        "Порыв на тепловой сети",
        "Замена запорной арматуры на тепловом пункте",
        "Ремонт участка теплотрассы",
    ],
    "electricity": [
        "Замена кабельной линии",
        "Ремонт трансформаторной подстанции",
        "Авария на линии 10 кВ",
    ],
    "gas": ["Техническое обслуживание газопровода", "Замена газового крана на стояке"],
    "sewage": ["Прочистка канализационного коллектора", "Замена участка канализации"],
}


def _h(hours: float) -> dt.timedelta:
    return dt.timedelta(hours=hours)


def demo_outages_generate(
    *, municipality: Municipality, seed: int, now: dt.datetime, home_building_id: int | None
) -> int:
    """Write the demo outages around `now`; the home building (the demo resident's) has one."""
    rng = random.Random(f"{seed}:{municipality.slug}:outages")
    now = now.replace(second=0, microsecond=0)
    utilities = list(
        Organisation.objects.filter(
            municipality=municipality, kind=OrganisationKind.UTILITY
        ).order_by("id")
    )
    if not utilities or not OutageNorm.objects.filter(municipality=municipality).exists():
        return 0
    supplier = {}
    for org in utilities:
        for resource in org.resources or []:
            supplier.setdefault(resource, org)
    districts = list(
        District.objects.filter(municipality=municipality).order_by("id").defer("boundary")
    )
    buildings = list(
        Building.objects.filter(municipality=municipality, lat__isnull=False)
        .order_by("id")
        .values("id", "street", "lat", "lon", "management_company_id")
    )
    if not buildings:
        return 0
    home = next((b for b in buildings if b["id"] == home_building_id), buildings[0])

    def chosen(count):
        return AreaChoice(
            kind=AreaKind.BUILDINGS,
            building_ids=[b["id"] for b in rng.sample(buildings, min(count, len(buildings)))],
        )

    def street_of(building):
        return AreaChoice(kind=AreaKind.STREET, street=building["street"])

    def square_around(building, size=0.004):
        lat, lon = building["lat"], building["lon"]
        ring = [
            [lon - size, lat - size],
            [lon + size, lat - size],
            [lon + size, lat + size],
            [lon - size, lat + size],
            [lon - size, lat - size],
        ]
        return AreaChoice(kind=AreaKind.POLYGON, polygon={"type": "Polygon", "coordinates": [ring]})

    plans = [
        # resource, kind, start (from now), length h, announced (before start), area, restored
        ("cold_water", "emergency", -3, 6, 0, street_of(home), None),
        ("electricity", "planned", -1, 2.5, 24 * 14, chosen(6), None),
        ("heating", "emergency", -8, 18, 0, square_around(rng.choice(buildings)), None),
        (
            "cold_water",
            "planned",
            24 * 5 + 3,
            6,
            24 * 2,
            AreaChoice(kind=AreaKind.DISTRICT, district_id=districts[0].pk)
            if districts
            else chosen(30),
            None,
        ),
        ("gas", "planned", 24 * 15 + 5, 2, 24 * 20, chosen(4), None),
        ("hot_water", "planned", 24 * 12 + 4, 8, 24 * 16, street_of(rng.choice(buildings)), None),
        ("electricity", "planned", 24 * 3 + 6, 3, 24 * 16, chosen(12), None),
    ]
    for day in range(2, 62, 4):
        resource = rng.choice(
            ["cold_water", "cold_water", "hot_water", "electricity", "heating", "sewage", "gas"]
        )
        kind = rng.choice(["planned", "emergency", "emergency"])
        length = rng.choice([2, 3, 4, 5, 6, 8, 12])
        late = rng.random() < 0.35
        area = rng.choice(
            [
                chosen(rng.randint(1, 25)),
                street_of(rng.choice(buildings)),
                square_around(rng.choice(buildings), 0.003),
            ]
        )
        start = -24 * day + rng.randint(8, 16)
        plans.append(
            (
                resource,
                kind,
                start,
                length,
                0 if kind == "emergency" else 24 * rng.randint(3, 20),
                area,
                length * (rng.uniform(1.2, 2.2) if late else rng.uniform(0.6, 1.0)),
            )
        )
    outages, links = [], []
    for index, (resource, kind, start_h, length, notice_h, area, restored_h) in enumerate(plans):
        organisation = supplier.get(resource) or utilities[0]
        found = area_buildings(municipality=municipality, organisation=organisation, area=area)
        if not found.building_ids:
            continue
        start = now + _h(start_h)
        created = (
            min(start - _h(notice_h), now - _h(0.5)) if notice_h else min(start, now) + _h(0.25)
        )
        outage = Outage(
            municipality=municipality,
            resource=resource,
            kind=kind,
            reason=rng.choice(REASONS[resource]),
            organisation=organisation,
            start_at=start,
            planned_end_at=start + _h(length),
            actual_end_at=start + _h(restored_h) if restored_h else None,
            cancelled_at=created + _h(24) if index in (9, 13) else None,
            area_kind=area.kind,
            area_label=found.label,
            area_geojson=found.geojson,
            buildings_count=len(found.building_ids),
            created_at=created,
            updated_at=created,
        )
        if outage.cancelled_at:
            outage.actual_end_at = None
        outages.append(outage)
        links.append(found.building_ids)
    Outage.objects.bulk_create(outages)
    OutageBuilding.objects.bulk_create(
        [
            OutageBuilding(municipality=municipality, outage=outage, building_id=pk)
            for outage, ids in zip(outages, links, strict=True)
            for pk in ids
        ],
        batch_size=2000,
    )
    norms = {n.resource: n for n in OutageNorm.objects.filter(municipality=municipality)}
    limits = norm_limits(municipality=municipality)
    events = []
    for outage, ids in zip(outages, links, strict=True):
        outage.late_notice = outage_late_notice(outage=outage, norm=norms.get(outage.resource))
        outage.over_limit = not outage.cancelled_at and outage_over_limit(
            outage=outage, limits=limits.get(outage.resource, Limits()), building_ids=ids
        )
        events.append(_event(outage, OutageEventKind.ANNOUNCED, outage.created_at))
        if outage.actual_end_at and outage.actual_end_at <= now:
            events.append(_event(outage, OutageEventKind.RESTORED, outage.actual_end_at))
            outage.updated_at = outage.actual_end_at
        elif outage.cancelled_at:
            events.append(
                _event(
                    outage,
                    OutageEventKind.CANCELLED,
                    outage.cancelled_at,
                    comment="Работы перенесены",
                )
            )
            outage.updated_at = outage.cancelled_at
    Outage.objects.bulk_update(outages, ["late_notice", "over_limit", "updated_at"])
    OutageEvent.objects.bulk_create(events)
    return len(outages)


def _event(outage, kind, at, comment=""):
    return OutageEvent(
        municipality_id=outage.municipality_id,
        outage=outage,
        kind=kind,
        comment=comment,
        created_at=at,
        notified_at=at,
    )
