"""Write the demo city into the database, or remove it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from opencity.accounts.models import Role, User
from opencity.buildings.models import Apartment, Building, Entrance, PersonalAccount
from opencity.core.errors import Conflict
from opencity.core.models import District, Municipality, MunicipalModel
from opencity.core.refcache import refcache_changed
from opencity.demo.appeals import (
    demo_appeal_rules_seed,
    demo_appeals_delete,
    demo_appeals_generate,
)
from opencity.demo.appeals.generator import AppealsReport
from opencity.demo.generator.city import CityGenerator, CityPlan
from opencity.demo.inserts import rows_insert
from opencity.demo.inspections import demo_inspections_generate
from opencity.demo.logins import DEMO_PASSWORD, SUPERUSER_USERNAME
from opencity.demo.models import DemoHistory
from opencity.demo.spec import CitySpec
from opencity.demo.utilities import demo_utilities_generate
from opencity.organisations.models import (
    ManagementContract,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationContact,
    ServiceArea,
)

# A fixed "today" keeps the demo identical from run to run; --today overrides it.
DEFAULT_TODAY = dt.date(2025, 6, 1)
DEFAULT_SEED = 2025
# Days of demo appeals the command writes (~1,000 a day in Kazan): see README for timings.
DEFAULT_APPEAL_DAYS = 365  # a year, so the seasons and the ratings look alive
# Months of meter readings in the first apartment buildings (a few seconds for Kazan).
DEFAULT_METER_MONTHS = 6
BATCH_SIZE = 1000

# Leaves first, so each delete finds nothing left that points at its rows.
_DELETE_ORDER = (
    PersonalAccount,
    Apartment,
    Entrance,
    ManagementContract,
    Membership,
    OrganisationContact,
    ServiceArea,
    Building,
    Organisation,
    User,
    District,
)

Progress = Callable[[str], None]


@dataclass
class CityReport:
    slug: str
    status: str  # "created", "skipped"
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _quiet(_: str) -> None:
    pass


def demo_city_delete(*, slug: str, progress: Progress = _quiet) -> bool:
    """Delete a municipality and every row it owns; return False if there was none."""
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        return False
    # Hundreds of thousands of appeals and events: set-based, before the generic pass.
    demo_appeals_delete(municipality=municipality)
    known = set(_DELETE_ORDER)
    # Rows of apps written later (appeals, outages ...) go first: they point at ours.
    others = [
        m
        for m in apps.get_models()
        if issubclass(m, MunicipalModel) and m not in known and not m._meta.proxy
    ]
    others.sort(key=lambda m: m._meta.label)
    remaining = [*others, *_DELETE_ORDER]
    with transaction.atomic():
        while remaining:
            deleted_some = False
            for model in list(remaining):
                try:
                    with transaction.atomic():
                        model._base_manager.filter(municipality=municipality).delete()
                except (ProtectedError, RestrictedError):
                    continue  # something still points at these rows: try again next pass
                remaining.remove(model)
                deleted_some = True
            if not deleted_some:
                labels = ", ".join(m._meta.label for m in remaining)
                raise Conflict(
                    _("Cannot delete the rows of %(slug)s: %(labels)s are still referenced.")
                    % {"slug": slug, "labels": labels}
                )
        municipality.delete()
    progress(f"{slug}: deleted")
    return True


def demo_city_create(
    *,
    spec: CitySpec,
    seed: int = DEFAULT_SEED,
    buildings: int | None = None,
    today: dt.date = DEFAULT_TODAY,
    apartment_buildings: int = 300,
    password_hash: str | None = None,
    appeal_days: int = 0,
    appeals_until: dt.datetime | None = None,
    meter_months: int = 0,
    outages: bool = False,
    defer_history: bool = False,
    progress: Progress = _quiet,
) -> CityReport:
    """Generate one demo municipality with its districts, organisations, buildings and users.

    With appeal_days > 0 it also seeds the categories and writes that many days of appeals
    ending at appeals_until (default: the end of the reference day `today`). With
    meter_months > 0 the first apartment buildings get meters and that many months of
    readings; with outages, outages on now, coming and past (around appeals_until).
    With defer_history the appeals are only planned (a DemoHistory row): demo_history_load
    writes them later, e.g. in the background while the site already serves.
    """
    started = time.monotonic()
    count = spec.default_buildings if buildings is None else buildings
    plan = CityGenerator(
        spec, seed=seed, buildings=count, today=today, apartment_buildings=apartment_buildings
    ).plan()
    progress(
        f"{spec.slug}: planned {len(plan.buildings)} buildings, "
        f"{len(plan.organisations.organisations)} organisations "
        f"in {time.monotonic() - started:.1f} s"
    )
    with transaction.atomic():
        counts = _save(plan, progress)
        users = _create_users(
            spec=spec,
            municipality=plan.municipality,
            organisations=plan.organisations.by_short_name,
            password_hash=password_hash or make_password(DEMO_PASSWORD),
        )
        counts["users"] = users
        now = appeals_until or _end_of_day(today, plan.municipality.time_zone)
        # The inspector's company now (their "today" list); the others with the history.
        deferred = defer_history and appeal_days > 0
        counts.update(
            demo_inspections_generate(
                municipality=plan.municipality,
                seed=seed,
                now=now,
                organisations=_inspector_companies(spec, plan) if deferred else None,
                progress=progress,
            )
        )
        if meter_months > 0 or outages:
            # Before the appeals: the two draw from their own random streams and tables.
            counts.update(
                demo_utilities_generate(
                    municipality=plan.municipality,
                    seed=seed,
                    now=now,
                    meter_months=meter_months,
                    outages=outages,
                    progress=progress,
                )
            )
        if appeal_days > 0:
            demo_appeal_rules_seed(municipality=plan.municipality, progress=progress)
            history = DemoHistory.objects.create(
                municipality=plan.municipality, seed=seed, until=now, days=appeal_days
            )
            if not defer_history:
                appeals = demo_history_load(history=history, progress=progress)
                counts["appeals"] = appeals.appeals
                counts["appeal events"] = appeals.events
    seconds = time.monotonic() - started
    progress(f"{spec.slug}: done in {seconds:.1f} s")
    return CityReport(spec.slug, "created", counts, seconds)


def _inspector_companies(spec: CitySpec, plan: CityPlan) -> list[int]:
    by_name = plan.organisations.by_short_name
    return [
        by_name[user.organisation].pk
        for user in spec.users
        if user.role == Role.INSPECTOR and user.organisation
    ]


def _end_of_day(day: dt.date, time_zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=ZoneInfo(time_zone))


def _save(plan: CityPlan, progress: Progress) -> dict[str, int]:
    plan.municipality.save()
    steps = (
        ("districts", District, plan.districts),
        ("organisations", Organisation, plan.organisations.organisations),
        ("contacts", OrganisationContact, plan.organisations.contacts),
        ("service areas", ServiceArea, plan.organisations.service_areas),
        ("buildings", Building, plan.buildings),
        ("management contracts", ManagementContract, plan.contracts),
        ("entrances", Entrance, plan.entrances),
        ("apartments", Apartment, plan.apartments),
        ("personal accounts", PersonalAccount, plan.accounts),
    )
    counts = {}
    for label, model, rows in steps:
        started = time.monotonic()
        rows_insert(model, rows)
        counts[label] = len(rows)
        progress(
            f"{plan.municipality.slug}: {len(rows):>6} {label} ({time.monotonic() - started:.1f} s)"
        )
    refcache_changed()  # bulk_create sends no signals: districts and areas are new
    return counts


def _create_users(*, spec: CitySpec, municipality, organisations, password_hash: str) -> int:
    users, memberships = [], []
    for item in spec.users:
        by_phone = item.login.startswith("+")
        user = User(
            username=f"{spec.slug}:{item.login}",
            municipality=municipality,
            email="" if by_phone else item.login,
            phone=item.login if by_phone else "",
            email_confirmed=not by_phone,
            phone_confirmed=by_phone,
            full_name=item.full_name,
            role=item.role,
            is_staff=item.role == Role.MUNICIPAL_ADMIN,
            password=password_hash,
        )
        users.append(user)
        if item.organisation:
            memberships.append(
                Membership(
                    municipality=municipality,
                    organisation=organisations[item.organisation],
                    user=user,
                    role=(
                        MembershipRole.MANAGER
                        if item.role == Role.ORG_MANAGER
                        else MembershipRole.EXECUTOR
                    ),
                    position=item.position,
                )
            )
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(memberships)
    refcache_changed()  # bulk_create sends no signals: the organisations' managers are new
    return len(users)


def demo_superuser_ensure(*, password_hash: str | None = None) -> bool:
    """Create the demo superuser unless a user with that name exists; return True if created."""
    if User.objects.filter(username=SUPERUSER_USERNAME).exists():
        return False
    User.objects.create(
        username=SUPERUSER_USERNAME,
        full_name="Администратор",
        role=Role.MUNICIPAL_ADMIN,
        is_staff=True,
        is_superuser=True,
        password=password_hash or make_password(DEMO_PASSWORD),
    )
    return True


def demo_load(
    *,
    cities: Sequence[CitySpec],
    seed: int = DEFAULT_SEED,
    buildings: dict[str, int] | None = None,
    today: dt.date = DEFAULT_TODAY,
    apartment_buildings: int = 300,
    appeal_days: int = 0,
    appeals_until: dt.datetime | None = None,
    meter_months: int = 0,
    outages: bool = False,
    reset: bool = False,
    if_empty: bool = False,
    defer_history: bool = False,
    progress: Progress = _quiet,
) -> list[CityReport]:
    """Load the demo cities in one transaction: reset, skip or refuse those already present."""
    buildings = buildings or {}
    reports = []
    hashes: list[str] = []

    def password_hash() -> str:
        # One hash for every demo user, made only when needed: the hasher is slow on purpose.
        if not hashes:
            hashes.append(make_password(DEMO_PASSWORD))
        return hashes[0]

    with transaction.atomic():
        for spec in cities:
            exists = Municipality.objects.filter(slug=spec.slug).exists()
            if exists and reset:
                demo_city_delete(slug=spec.slug, progress=progress)
            elif exists and if_empty:
                progress(f"{spec.slug}: already there, left as it is")
                reports.append(CityReport(spec.slug, "skipped"))
                continue
            elif exists:
                raise Conflict(
                    _(
                        "The municipality %(slug)s already exists: "
                        "use --reset to replace it or --if-empty to keep it."
                    )
                    % {"slug": spec.slug}
                )
            reports.append(
                demo_city_create(
                    spec=spec,
                    seed=seed,
                    buildings=buildings.get(spec.slug),
                    today=today,
                    apartment_buildings=apartment_buildings,
                    password_hash=password_hash(),
                    appeal_days=appeal_days,
                    appeals_until=appeals_until,
                    meter_months=meter_months,
                    outages=outages,
                    defer_history=defer_history,
                    progress=progress,
                )
            )
        if not User.objects.filter(username=SUPERUSER_USERNAME).exists():
            demo_superuser_ensure(password_hash=password_hash())
            progress(f"superuser {SUPERUSER_USERNAME!r} created")
        else:
            progress(f"superuser {SUPERUSER_USERNAME!r} already exists, password left unchanged")
    if any(report.status == "created" for report in reports):
        _statistics_refresh(progress=progress)
    return reports


def demo_history_load(*, history: DemoHistory, progress: Progress = _quiet) -> AppealsReport:
    """Write (or go on writing) a demo municipality's appeals, one day per transaction.

    Short transactions let the site answer and take appeals while the history loads; the
    result is the same as that of one uninterrupted run of the generator.
    """
    if history.is_finished:
        return AppealsReport(
            appeals=history.appeals, events=history.events, open=history.open_appeals
        )
    report = demo_appeals_generate(
        municipality=history.municipality,
        seed=history.seed,
        until=history.until,
        days=history.days,
        history=history,
        chunk_days=1,
        progress=progress,
    )
    # The other companies' inspections (one transaction each; those written already are kept).
    demo_inspections_generate(
        municipality=history.municipality, seed=history.seed, now=history.until, progress=progress
    )
    return report


def demo_histories_load(*, progress: Progress = _quiet) -> int:
    """Finish every demo history still loading, in order; return how many were loaded."""
    pending = list(
        DemoHistory.objects.filter(finished_at__isnull=True)
        .select_related("municipality")
        .order_by("id")
    )
    for history in pending:
        progress(
            f"{history.municipality.slug}: loading the history, "
            f"{history.days_done} of {history.days} days already there"
        )
        demo_history_load(history=history, progress=progress)
    if pending:
        _statistics_refresh(progress=progress)
    return len(pending)


def _statistics_refresh(*, progress: Progress) -> None:
    """ANALYZE after a bulk load: without statistics SQLite's planner reads a year of a
    city's appeals to find one resident's ten (0.6 s for "my appeals" instead of 10 ms)."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    progress(f"statistics refreshed ({time.monotonic() - started:.1f} s)")
