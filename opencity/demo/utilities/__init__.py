"""Demo meters, readings and outages: the rules a demo city needs, and the data on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from opencity.accounts.models import Role, User
from opencity.buildings.models import AccountHolder, PersonalAccount
from opencity.core.models import Municipality
from opencity.demo.utilities.meters import demo_meters_generate
from opencity.demo.utilities.outages import demo_outages_generate
from opencity.meters.models import Meter, SubmissionWindow
from opencity.meters.seeds import meter_rules_seed
from opencity.outages.models import OutageSubscription
from opencity.outages.seeds import outage_norms_seed

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def demo_utility_rules_seed(*, municipality: Municipality) -> None:
    """Seed the permitted interruptions and the meter rules (with the default window)."""
    outage_norms_seed(municipality=municipality)
    meter_rules_seed(municipality=municipality)


def demo_residents_link(*, municipality: Municipality, building_ids: list[int]) -> int | None:
    """Give each demo resident an apartment (a linked account) and follow its building's outages;
    return the first resident's building."""
    residents = list(
        User.objects.filter(municipality=municipality, role=Role.RESIDENT).order_by("id")
    )
    accounts = list(
        PersonalAccount.objects.filter(
            municipality=municipality, apartment__building_id__in=building_ids[:3]
        )
        .select_related("apartment")
        .order_by("apartment__building_id", "id")
    )
    home = None
    for index, user in enumerate(residents):
        if index * 7 >= len(accounts):
            break
        account = accounts[index * 7]
        AccountHolder.objects.create(municipality=municipality, account=account, user=user)
        OutageSubscription.objects.create(
            municipality=municipality, user=user, building_id=account.apartment.building_id
        )
        home = home or account.apartment.building_id
    return home


# The demo residents' providers take readings all month: whenever the demo is tried, the
# resident can send one (the city's default window stays 20th-25th for everyone else).
DEMO_PROVIDER_WINDOW = {"opens_day": 1, "closes_day": 31}


def demo_resident_windows_open(*, municipality: Municipality) -> int:
    """Give the providers of the demo residents' meters a window open every day of the month."""
    provider_ids = sorted(
        set(
            Meter.objects.filter(
                municipality=municipality,
                provider__isnull=False,
                apartment__accounts__holders__user__role=Role.RESIDENT,
            ).values_list("provider_id", flat=True)
        )
    )
    for provider_id in provider_ids:
        SubmissionWindow.objects.update_or_create(
            municipality=municipality, organisation_id=provider_id, defaults=DEMO_PROVIDER_WINDOW
        )
    return len(provider_ids)


def demo_utilities_generate(
    *,
    municipality: Municipality,
    seed: int,
    now: dt.datetime,
    meter_months: int,
    outages: bool = True,
    progress: Progress = _quiet,
) -> dict[str, int]:
    """Meters with `meter_months` months of readings, the demo residents' homes, and outages."""
    demo_utility_rules_seed(municipality=municipality)
    counts = {}
    building_ids = []
    if meter_months > 0:
        meters, readings = demo_meters_generate(
            municipality=municipality, seed=seed, now=now, months=meter_months
        )
        counts.update({"meters": meters, "meter readings": readings})
        building_ids = list(
            Meter.objects.filter(municipality=municipality)
            .order_by("building_id")
            .values_list("building_id", flat=True)
            .distinct()[:3]
        )
    home = demo_residents_link(municipality=municipality, building_ids=building_ids)
    demo_resident_windows_open(municipality=municipality)
    if outages:
        counts["outages"] = demo_outages_generate(
            municipality=municipality, seed=seed, now=now, home_building_id=home
        )
    progress(
        f"{municipality.slug}: "
        + ", ".join(f"{count:,} {label}" for label, count in counts.items())
    )
    return counts
