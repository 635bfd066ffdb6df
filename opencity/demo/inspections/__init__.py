"""The demo city's inspections: two years of spring and autumn inspections of every managed
building with signed acts (element wear from inspections/calculation.py), their defects, the
works that followed and the next act's check of them, the passport's wear from the latest act,
and the inspector's list of inspections due now.

Set-based: rows are built in memory and written with demo/inserts.py's rows_insert, one
management company per call, deterministic per building (its own random stream).
See docs/subsystems/inspections.md, "Demo".
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from opencity.accounts.models import Role, User
from opencity.buildings.models import Building
from opencity.core.calendar import deadline_compute
from opencity.core.models import Municipality
from opencity.demo.inspections import rows
from opencity.demo.inspections.story import House
from opencity.inspections.models import (
    Act,
    Inspection,
    InspectionDeadline,
    InspectionKind,
    InspectionSeason,
    InspectionStatus,
)
from opencity.inspections.seeds import methodology_seed, seasons_seed
from opencity.inspections.selectors import (
    methodology_get,
    methodology_snapshot,
    shares_snapshot,
)
from opencity.organisations.models import (
    BUILDING_MANAGER_KINDS,
    Membership,
    MembershipRole,
    Organisation,
)

Progress = Callable[[str], None]
PAST_SEASONS = 4  # two years of spring and autumn
OVERDUE_SHARE = 0.03  # the last season's inspections a company has not done yet
INSPECTOR_OVERDUE = 6  # … and those of the demo inspector, for their "today"


def _quiet(_: str) -> None:
    pass


def demo_inspections_seed(*, municipality: Municipality) -> None:
    """The methodology version 1 and the seasons, as a municipal admin would seed them."""
    methodology_seed(municipality=municipality)
    seasons_seed(municipality=municipality)


def _seasons(municipality: Municipality, today: dt.date):
    """The last PAST_SEASONS seasons ended before today, oldest first, and the next one."""
    seasons = list(InspectionSeason.objects.filter(municipality=municipality))
    windows = sorted(
        (season.window(year), season, year)
        for season in seasons
        for year in range(today.year - 3, today.year + 2)
    )
    past = [w for w in windows if w[0][1] < today][-PAST_SEASONS:]
    upcoming = [w for w in windows if w[0][1] >= today]
    return past, upcoming[0] if upcoming else None


def _houses(organisation: Organisation) -> list[House]:
    values = Building.objects.filter(management_company=organisation).order_by("pk")
    return [
        House(
            pk,
            external_id or str(pk),
            year,
            walls or "other",
            series or "",
            storeys or 5,
            entrances or 1,
            float(wear) if wear is not None else 30.0,
            bool(chute),
            heating == "stove",
        )
        for pk, external_id, year, walls, series, storeys, entrances, wear, chute, heating in values.values_list(
            "pk",
            "external_id",
            "year_built",
            "wall_material",
            "series",
            "floors_max",
            "entrances_count",
            "wear_percent",
            "has_garbage_chute",
            "heating_system",
        )
    ]


def _chair(organisation: Organisation, password_hash: str) -> User:
    """The company's inspector who chairs its commissions: a demo login's, or its own engineer."""
    member = (
        Membership.objects.filter(
            organisation=organisation, user__role=Role.INSPECTOR, is_active=True
        )
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if member is not None:
        return member.user
    user = User.objects.create(
        # By the company's tax id (stable from run to run; primary keys are not).
        username=f"{organisation.municipality.slug}:engineer-{organisation.inn or organisation.pk}",
        municipality=organisation.municipality,
        full_name=f"Инженер {organisation}",
        role=Role.INSPECTOR,
        password=password_hash,
    )
    Membership.objects.create(
        municipality=organisation.municipality,
        organisation=organisation,
        user=user,
        role=MembershipRole.EXECUTOR,
        position="Инженер по техническому надзору",
    )
    return user


def demo_inspections_generate(
    *,
    municipality: Municipality,
    seed: int,
    now: dt.datetime,
    organisations: Iterable[int] | None = None,
    progress: Progress = _quiet,
) -> dict[str, int]:
    """Write the inspections of the companies given (all managing ones by default) that have
    no act yet; return the rows written by kind."""
    demo_inspections_seed(municipality=municipality)
    today = now.astimezone(ZoneInfo(municipality.time_zone)).date()
    past, upcoming = _seasons(municipality, today)
    methodology = methodology_get(municipality=municipality)
    snapshot = methodology_snapshot(methodology=methodology)
    types = {t.wall_material: t for t in methodology.building_types.all()}
    shares = {wall: shares_snapshot(building_type=t) for wall, t in types.items()}
    companies = Organisation.objects.filter(
        municipality=municipality, kind__in=BUILDING_MANAGER_KINDS, managed_buildings__isnull=False
    ).distinct()
    if organisations is not None:
        companies = companies.filter(pk__in=list(organisations))
    done = set(
        Act.objects.filter(municipality=municipality).values_list("organisation_id", flat=True)
    )
    password_hash = make_password(None)
    totals: dict[str, int] = {}
    for company in companies.order_by("pk"):
        if company.pk in done:
            continue
        with transaction.atomic():
            chair = _chair(company, password_hash)
            batch = rows.Batch(
                municipality=municipality,
                methodology=methodology,
                snapshot=snapshot,
                types=types,
                shares=shares,
                organisation=company,
                chair=chair,
                today=today,
                seed=seed,
            )
            houses = _houses(company)
            is_demo_login = not chair.username.split(":", 1)[1].startswith("engineer-")
            overdue_left = INSPECTOR_OVERDUE if is_demo_login else 0
            for house in houses:
                # The building's own stream, by its stable key (primary keys differ from run to run).
                rng = random.Random(f"{seed}:inspections:{house.key}")
                skip_last = overdue_left > 0 or rng.random() < OVERDUE_SHARE
                if overdue_left > 0:
                    overdue_left -= 1
                batch.house_history(house=house, rng=rng, past=past, skip_last=skip_last)
                if upcoming is not None:
                    batch.house_upcoming(house=house, rng=rng, upcoming=upcoming)
            if is_demo_login and houses:
                _extraordinary(batch, houses[-1], now)
            counts = batch.write()
            _passports_update(batch.passports)
        for label, count in counts.items():
            totals[label] = totals.get(label, 0) + count
        progress(f"{municipality.slug}: inspections of {company}: {counts.get('acts', 0)} acts")
    return totals


def _extraordinary(batch: rows.Batch, house: House, now: dt.datetime) -> None:
    """An inspection after a roof leak, due by the city's rule (one working day)."""
    rule = InspectionDeadline.objects.filter(
        municipality=batch.municipality, kind=InspectionKind.EXTRAORDINARY
    ).first()
    due_at = (
        deadline_compute(
            municipality=batch.municipality, start=now, amount=rule.amount, unit=rule.unit
        )
        if rule
        else now
    )
    tz = ZoneInfo(batch.municipality.time_zone)
    batch.inspections.append(
        Inspection(
            municipality=batch.municipality,
            building_id=house.pk,
            organisation=batch.organisation,
            kind=InspectionKind.EXTRAORDINARY,
            due_date=due_at.astimezone(tz).date(),
            due_at=due_at,
            status=InspectionStatus.ASSIGNED,
            inspector=batch.chair,
            reason="Протечка кровли после ливня: осмотр кровли и верхних этажей",
        )
    )


def _passports_update(passports: dict[int, tuple]) -> None:
    """The passport's wear, condition, class and technical state from each latest act."""
    table = connection.ops.quote_name(Building._meta.db_table)
    sql = (
        f"UPDATE {table} SET wear_percent = %s, condition = %s, repair_class = %s, "
        "technical_state = %s, wear_assessed_on = %s WHERE id = %s"
    )
    params = [
        (str(wear), condition, repair_class, state, day, pk)
        for pk, (wear, condition, repair_class, state, day) in passports.items()
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
