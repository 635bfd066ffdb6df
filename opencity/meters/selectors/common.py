"""What the other reads and the services share: the municipality's reading rules and
submission windows, the month staff look at, a meter's facts and verification, and the
latest readings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from opencity.core.models import Municipality
from opencity.meters import rules
from opencity.meters.models import Meter, MeterReading, MeterRules, SubmissionWindow


def meter_rules_get(*, municipality: Municipality) -> MeterRules:
    """Return the municipality's reading rules (the defaults when none are stored)."""
    found = MeterRules.objects.filter(municipality=municipality).first()
    return found or MeterRules(municipality=municipality)


def meter_limits(*, municipality: Municipality) -> rules.Limits:
    settings = meter_rules_get(municipality=municipality)
    return rules.Limits(
        jump_factor=settings.jump_factor,
        average_months=settings.average_months,
        min_history_months=settings.min_history_months,
    )


def window_for(*, municipality: Municipality, provider_id: int | None, windows=None):
    """Return the provider's own submission window, else the municipality's default, else None."""
    if windows is None:
        windows = list(SubmissionWindow.objects.filter(municipality=municipality))
    by_provider = {w.organisation_id: w for w in windows}
    return by_provider.get(provider_id) or by_provider.get(None)


def window_now(*, window, municipality: Municipality, now: dt.datetime | None = None):
    """Return the window's state now; without any window readings are taken all month."""
    now = now or timezone.now()
    tz = ZoneInfo(municipality.time_zone)
    if window is None:
        return rules.window_state(opens_day=1, closes_day=31, now=now, tz=tz)
    return rules.window_state(
        opens_day=window.opens_day, closes_day=window.closes_day, now=now, tz=tz
    )


def period_latest(*, municipality: Municipality, now: dt.datetime | None = None) -> dt.date:
    """Return the latest month whose (default) window has opened: what staff look at and export."""
    now = now or timezone.now()
    state = window_now(
        window=window_for(municipality=municipality, provider_id=None),
        municipality=municipality,
        now=now,
    )
    return state.period if state.opens_at <= now else rules.add_months(state.period, -1)


def meter_facts(meter: Meter) -> rules.MeterFacts:
    return rules.MeterFacts(
        zones=meter.zones,
        digits=meter.digits,
        initial=(meter.initial_value1, meter.initial_value2, meter.initial_value3),
        install_date=meter.install_date,
        verified_on=meter.verified_on,
        verification_years=meter.verification_years,
    )


def meter_verification_due(meter: Meter) -> dt.date | None:
    return rules.verification_due(
        verified_on=meter.verified_on,
        install_date=meter.install_date,
        years=meter.verification_years,
    )


def meter_verification_overdue(
    *, meter: Meter, municipality: Municipality, now: dt.datetime | None = None
) -> bool:
    """Tell whether the meter's verification was due before today (the municipality's)."""
    due = meter_verification_due(meter)
    today = (now or timezone.now()).astimezone(ZoneInfo(municipality.time_zone)).date()
    return due is not None and due < today


def reading_latest(*, meter_ids) -> dict[int, MeterReading]:
    """Return each meter's latest reading."""
    latest: dict[int, MeterReading] = {}
    for reading in MeterReading.objects.filter(meter_id__in=list(meter_ids)).order_by(
        "meter_id", "-period"
    ):
        latest.setdefault(reading.meter_id, reading)
    return latest
