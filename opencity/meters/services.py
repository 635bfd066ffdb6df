"""Writes of meters: a resident's reading, a meter's replacement and verification, staff review,
and the reminders before a window closes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opencity.accounts.models import User
from opencity.buildings.models import AccountHolder
from opencity.core.dates import month_in_text
from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.core.models import Municipality
from opencity.meters import rules
from opencity.meters.imports import readings_import
from opencity.meters.models import (
    Meter,
    MeterReading,
    ReadingImport,
    ReadingSource,
    SubmissionWindow,
)
from opencity.meters.permissions import (
    meter_provider_for_user,
    meter_require_holder,
    meter_require_staff,
    meter_scope,
    meter_user_is_city_wide,
)
from opencity.meters.selectors.common import (
    meter_facts,
    meter_limits,
    meter_rules_get,
    window_for,
    window_now,
)
from opencity.notifications.models import Notification
from opencity.notifications.services import notify


class ReadingNeedsConfirmation(Invalid):
    """The reading is far above the usual: the resident confirms it (then it is flagged)."""

    code = "needs_confirmation"


def _local(moment: dt.datetime, municipality: Municipality) -> str:
    return date_format(
        timezone.localtime(moment, ZoneInfo(municipality.time_zone)), "MONTH_DAY_FORMAT"
    )


def _window_closed(state: rules.WindowState, municipality: Municipality) -> Invalid:
    return Invalid(
        _("Readings for %(month)s are taken from %(opens)s to %(closes)s.")
        % {
            "month": month_in_text(state.period),
            "opens": _local(state.opens_at, municipality),
            "closes": date_format(state.closes_on, "MONTH_DAY_FORMAT"),
        },
        errors={"__all__": [_("The submission window is closed.")]},
    )


def _previous(meter: Meter, period: dt.date) -> rules.Previous | None:
    last = MeterReading.objects.filter(meter=meter, period__lt=period).order_by("-period").first()
    if last is None:
        return None
    return rules.Previous(
        (last.value1, last.value2, last.value3),
        last.period,
        last.avg_consumption,
        last.months_counted,
    )


@transaction.atomic
def reading_submit(
    *,
    meter: Meter,
    user,
    values: tuple[str, ...],
    rollover: bool = False,
    confirmed: bool = False,
    now: dt.datetime | None = None,
) -> MeterReading:
    """Record a resident's reading for the month whose window is open (or correct it)."""
    meter_require_holder(user=user, meter=meter)
    meter = Meter.objects.select_for_update().select_related("municipality").get(pk=meter.pk)
    municipality = meter.municipality
    if not meter.is_active:
        raise Conflict(_("This meter is out of service."))
    now = now or timezone.now()
    state = window_now(
        window=window_for(municipality=municipality, provider_id=meter.provider_id),
        municipality=municipality,
        now=now,
    )
    if not state.is_open:
        raise _window_closed(state, municipality)
    period = state.period
    existing = MeterReading.objects.filter(meter=meter, period=period).first()
    if existing is not None and existing.source != ReadingSource.RESIDENT:
        raise Conflict(
            _("The provider has already recorded a reading for this month: %(value)s.")
            % {"value": " / ".join(format(v, "f") for v in existing.values)}
        )
    evaluation = rules.Evaluation()
    states = tuple(
        rules.zone_state(str(v or "").strip()) for v in (list(values) + ["", "", ""])[:3]
    )
    checked = rules.zones_check(states, zones=meter.zones, evaluation=evaluation)
    later = (
        MeterReading.objects.filter(meter=meter, period__gt=period)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if checked is not None:
        # The resident's own reading for the month is corrected, not compared with.
        evaluation = rules.reading_evaluate(
            meter=meter_facts(meter),
            period=period,
            values=checked,
            rollover=rollover,
            previous=_previous(meter, period),
            existing=None,
            later_period=later,
            limits=meter_limits(municipality=municipality),
            today=now.astimezone(ZoneInfo(municipality.time_zone)).date(),
            evaluation=evaluation,
        )
    if not evaluation.ok:
        reason = rules.reason_text(evaluation.error, evaluation.params)
        raise Invalid(reason, errors={evaluation.error_field or "__all__": [reason]})
    if evaluation.implausible and not confirmed:
        raise ReadingNeedsConfirmation(
            rules.reason_text("implausible", evaluation.warning_params)
            + " "
            + _("Check the reading and confirm it if it is right: it will be checked by staff."),
            errors={"confirm": [_("Confirm the reading or correct it.")]},
        )
    fields = {
        "municipality": municipality,
        "value1": checked[0],
        "value2": checked[1],
        "value3": checked[2],
        "consumption": evaluation.consumption,
        "avg_consumption": evaluation.avg,
        "months_counted": evaluation.months,
        "taken_at": now,
        "source": ReadingSource.RESIDENT,
        "submitted_by": user,
        "import_batch": None,
        "rollover": evaluation.rollover,
        "implausible": evaluation.implausible,
        "verification_overdue": evaluation.overdue,
        "reviewed_at": None,
    }
    reading, _created = MeterReading.objects.update_or_create(
        meter=meter, period=period, defaults=fields
    )
    return reading


def _require_staff(*, user, meter: Meter) -> None:
    allowed = Meter.objects.filter(
        meter_scope(user=user, municipality=meter.municipality), pk=meter.pk
    ).exists()
    if not allowed:
        raise PermissionDenied(_("You do not manage this meter."))


@transaction.atomic
def meter_replace(
    *,
    meter: Meter,
    actor,
    serial_number: str,
    install_date: dt.date,
    initial_values: tuple[Decimal, ...] = (Decimal(0),),
    model: str = "",
    verified_on: dt.date | None = None,
    verification_years: int | None = None,
) -> Meter:
    """Take a meter out of service and put its successor in, which counts from its own start."""
    _require_staff(user=actor, meter=meter)
    meter = Meter.objects.select_for_update().get(pk=meter.pk)
    if not meter.is_active:
        raise Conflict(_("This meter is already out of service."))
    serial_number = serial_number.strip()
    if not serial_number:
        raise Invalid(
            _("Give the new meter's serial number."), errors={"serial_number": [_("Required.")]}
        )
    if Meter.objects.filter(
        municipality_id=meter.municipality_id, serial_number=serial_number, is_active=True
    ).exists():
        raise Invalid(
            _("A meter with this serial number is already in service."),
            errors={"serial_number": [_("Already in service.")]},
        )
    if install_date > timezone.localdate():
        raise Invalid(
            _("The meter cannot be installed in the future."),
            errors={"install_date": [_("Check the date.")]},
        )
    initial = (list(initial_values) + [Decimal(0), Decimal(0), Decimal(0)])[:3]
    meter.is_active = False
    meter.removed_on = install_date
    meter.save(update_fields=["is_active", "removed_on"])
    return Meter.objects.create(
        municipality_id=meter.municipality_id,
        building_id=meter.building_id,
        apartment_id=meter.apartment_id,
        kind=meter.kind,
        zones=meter.zones,
        serial_number=serial_number,
        model=model or meter.model,
        install_date=install_date,
        verified_on=verified_on or install_date,
        verification_years=verification_years or meter.verification_years,
        digits=meter.digits,
        initial_value1=initial[0],
        initial_value2=initial[1],
        initial_value3=initial[2],
        provider_id=meter.provider_id,
        replaces=meter,
    )


def meter_verification_record(*, meter: Meter, actor, verified_on: dt.date) -> Meter:
    """Record a new verification of the meter (the next one is due an interval later)."""
    _require_staff(user=actor, meter=meter)
    if verified_on > timezone.localdate():
        raise Invalid(
            _("The verification cannot be in the future."),
            errors={"verified_on": [_("Check the date.")]},
        )
    meter.verified_on = verified_on
    meter.save(update_fields=["verified_on"])
    return meter


def reading_review(*, reading: MeterReading, actor) -> MeterReading:
    """Mark a flagged reading as checked by staff."""
    _require_staff(user=actor, meter=reading.meter)
    if reading.reviewed_at is None:
        reading.reviewed_at = timezone.now()
        reading.save(update_fields=["reviewed_at"])
    return reading


def readings_import_for_user(
    *, user, municipality: Municipality, data: bytes, filename: str, provider_id: int | None
) -> ReadingImport:
    """Import a file of readings as the staff page does."""
    # The user works with meters here and names one of their providers (city-wide staff may
    # leave it out). ImportFileError when the file cannot be read (nothing imported).
    meter_require_staff(user=user, municipality=municipality)
    provider = meter_provider_for_user(
        user=user,
        municipality=municipality,
        pk=provider_id,
        required=not meter_user_is_city_wide(user=user, municipality=municipality),
    )
    return readings_import(
        municipality=municipality, data=data, filename=filename, actor=user, provider=provider
    )


# ---------------------------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------------------------


def meters_remind(*, now: dt.datetime | None = None) -> int:
    """Remind the residents who have not submitted, once per window and month, before it closes."""
    now = now or timezone.now()
    told = 0
    for municipality in Municipality.objects.filter(is_active=True):
        settings = meter_rules_get(municipality=municipality)
        windows = list(SubmissionWindow.objects.filter(municipality=municipality))
        own = [w.organisation_id for w in windows if w.organisation_id is not None]
        for window in windows:
            state = window_now(window=window, municipality=municipality, now=now)
            if not state.is_open or state.closes_at - now > dt.timedelta(
                days=settings.remind_days_before
            ):
                continue
            told += _remind_window(municipality, window, state, own)
    return told


def _remind_window(municipality, window, state, providers_with_own_window) -> int:
    meters = Meter.objects.filter(
        municipality=municipality, is_active=True, apartment__isnull=False
    )
    if window.organisation_id is not None:
        meters = meters.filter(provider_id=window.organisation_id)
    else:
        meters = meters.exclude(provider_id__in=providers_with_own_window)
    missing = meters.exclude(
        Exists(MeterReading.objects.filter(meter=OuterRef("pk"), period=state.period))
    ).values("apartment_id")
    user_ids = set(
        AccountHolder.objects.filter(
            municipality=municipality, account__is_active=True, account__apartment_id__in=missing
        ).values_list("user_id", flat=True)
    )
    key = f"meters:remind:{window.pk}:{state.period:%Y-%m}:"
    done = set(
        Notification.objects.filter(
            municipality=municipality, dedupe_key__startswith=key
        ).values_list("user_id", flat=True)
    )
    title = _("Submit your meter readings by %(day)s") % {
        "day": date_format(state.closes_on, "MONTH_DAY_FORMAT")
    }
    body = _(
        "The readings for %(month)s are not in yet. The window closes at the end of %(day)s."
    ) % {
        "month": month_in_text(state.period),
        "day": date_format(state.closes_on, "MONTH_DAY_FORMAT"),
    }
    body = f"{body} {_('Submit them on your meters page before the window closes.')}"
    told = 0
    for user in User.objects.filter(pk__in=user_ids - done, is_active=True):
        if notify(
            user=user,
            kind="meters_reminder",
            title=title,
            body=body,
            url=reverse("meters:mine"),
            dedupe_key=f"{key}{user.pk}",
        ):
            told += 1
    return told
