"""Reads for the resident: their apartments with the meters in service, and one meter of theirs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.models import AccountHolder
from opencity.core.errors import NotFound
from opencity.meters import rules
from opencity.meters.models import Meter, MeterReading, SubmissionWindow
from opencity.meters.permissions import meter_require_holder
from opencity.meters.selectors.common import (
    meter_verification_due,
    reading_latest,
    window_for,
    window_now,
)


@dataclass
class MeterCard:
    """A meter as the resident sees it: its last reading, its window and its verification."""

    meter: Meter
    last: MeterReading | None
    window: rules.WindowState
    this_period: MeterReading | None
    verification_due: dt.date | None
    overdue: bool


@dataclass
class ApartmentMeters:
    holder: AccountHolder
    cards: list[MeterCard]
    # The numbers of the resident's accounts of the apartment (one per provider, often).
    accounts: list[str] = field(default_factory=list)


def resident_meters(*, user, now: dt.datetime | None = None) -> list[ApartmentMeters]:
    """Return the resident's apartments (linked accounts) with their meters in service."""
    if not user.is_authenticated or user.municipality_id is None:
        return []
    now = now or timezone.now()
    holders = list(
        AccountHolder.objects.filter(
            user=user, municipality_id=user.municipality_id, account__is_active=True
        ).select_related("account__apartment__building", "municipality", "account__provider")
    )
    if not holders:
        return []
    municipality = holders[0].municipality
    apartment_ids = {h.account.apartment_id for h in holders}
    meters = list(
        Meter.objects.filter(
            municipality=municipality, apartment_id__in=apartment_ids, is_active=True
        ).order_by("kind", "serial_number")
    )
    latest = reading_latest(meter_ids=[m.pk for m in meters])
    windows = list(SubmissionWindow.objects.filter(municipality=municipality))
    today = now.astimezone(ZoneInfo(municipality.time_zone)).date()
    result, seen = [], set()
    for holder in holders:
        apartment_id = holder.account.apartment_id
        if apartment_id in seen:
            continue
        seen.add(apartment_id)
        cards = []
        for meter in (m for m in meters if m.apartment_id == apartment_id):
            state = window_now(
                window=window_for(
                    municipality=municipality, provider_id=meter.provider_id, windows=windows
                ),
                municipality=municipality,
                now=now,
            )
            last = latest.get(meter.pk)
            due = meter_verification_due(meter)
            cards.append(
                MeterCard(
                    meter=meter,
                    last=last,
                    window=state,
                    this_period=last if last and last.period == state.period else None,
                    verification_due=due,
                    overdue=due is not None and due < today,
                )
            )
        accounts = sorted(
            {h.account.number for h in holders if h.account.apartment_id == apartment_id}
        )
        result.append(ApartmentMeters(holder=holder, cards=cards, accounts=accounts))
    return result


def meter_get_for_resident(*, user, pk: int) -> Meter:
    meter = (
        Meter.objects.filter(pk=pk, municipality_id=user.municipality_id)
        .select_related("apartment__building", "provider", "replaces")
        .first()
    )
    if meter is None:
        raise NotFound(_("There is no such meter among yours."))
    meter_require_holder(user=user, meter=meter)
    return meter
