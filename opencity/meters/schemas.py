"""JSON shapes of the meters API and how a meter, a reading and an import read in them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from opencity.core.api_errors import Text
from opencity.meters.rules import MILLI

Id = Annotated[int, Field(ge=1, le=2**62)]
Month = Annotated[str, Field(pattern=r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$", examples=["2025-06"])]


# --- schemas ------------------------------------------------------------------------------------


class NamedOut(Schema):
    id: int
    name: str


class ReadingOut(Schema):
    """A month's reading: the values per tariff zone and the consumption since the previous one,
    as decimal strings with three decimals ("120.000")."""

    id: int
    period: dt.date = Field(description="The month the reading is for (its first day).")
    values: list[str]
    consumption: str | None
    source: str
    source_label: str
    submitted_at: dt.datetime
    rollover: bool
    implausible: bool
    verification_overdue: bool


class WindowOut(Schema):
    """When readings are taken: the window now open, or the next one."""

    is_open: bool
    period: dt.date = Field(description="The month whose readings the window takes.")
    opens_at: dt.datetime
    closes_on: dt.date = Field(description="The window's last day (local).")


class MeterOut(Schema):
    id: int
    kind: str
    kind_label: str
    zones: int
    zone_labels: list[str]
    serial_number: str
    model: str
    install_date: dt.date | None
    verified_on: dt.date | None
    verification_due: dt.date | None
    verification_overdue: bool


class MeterCardOut(MeterOut):
    last_reading: ReadingOut | None
    window: WindowOut
    this_period_reading: ReadingOut | None = Field(
        description="The reading of the window's month, if one is recorded already."
    )


class ApartmentOut(Schema):
    apartment_id: int
    building_id: int
    address: str
    apartment_number: str
    accounts: list[str]
    meters: list[MeterCardOut]


class MeterDetailOut(MeterOut):
    building_id: int
    address: str
    apartment_number: str | None
    provider: NamedOut | None
    is_active: bool


class HistoryOut(Schema):
    meter: MeterDetailOut
    readings: list[ReadingOut] = Field(description="Newest first, the last 36 months.")


class ReadingIn(Schema):
    values: Annotated[
        list[Annotated[Text, Field(max_length=20)]], Field(min_length=1, max_length=3)
    ] = Field(description='A value per tariff zone (T1, T2, T3) as text: "123.45" or "123,45".')
    rollover: bool = Field(False, description="The counter passed its last digits back to zero.")
    confirm: bool = Field(
        False, description="Record a reading far above the usual (answered `needs_confirmation`)."
    )


class ImportIssueOut(Schema):
    row: int
    column: str
    value: str
    reason: str
    warning: bool


class ImportOut(Schema):
    id: int
    filename: str
    provider: NamedOut | None
    total: int
    accepted: int
    unchanged: int
    failed: int
    flagged: int
    issues: list[ImportIssueOut] = Field(description="The first issues (the report has them all).")
    created_at: dt.datetime


class ExportParams(Schema):
    provider_id: Id
    period: Month | None = Field(None, description="YYYY-MM; the latest opened month if left out.")
    format: Literal["csv", "xlsx"] = "csv"


# --- presentation ---------------------------------------------------------------------------


def _number(value: Decimal | None) -> str | None:
    """Return a decimal as text with the three decimals it is stored with ("120.000")."""
    return None if value is None else format(Decimal(value).quantize(MILLI), "f")


def reading_out(reading) -> dict | None:
    if reading is None:
        return None
    return {
        "id": reading.pk,
        "period": reading.period,
        "values": [_number(v) for v in reading.values],
        "consumption": _number(reading.consumption),
        "source": reading.source,
        "source_label": str(reading.get_source_display()),
        "submitted_at": reading.taken_at,
        "rollover": reading.rollover,
        "implausible": reading.implausible,
        "verification_overdue": reading.verification_overdue,
    }


def meter_out(meter, *, due: dt.date | None, overdue: bool) -> dict:
    return {
        "id": meter.pk,
        "kind": meter.kind,
        "kind_label": str(meter.get_kind_display()),
        "zones": meter.zones,
        "zone_labels": [str(label) for label in meter.zone_labels],
        "serial_number": meter.serial_number,
        "model": meter.model,
        "install_date": meter.install_date,
        "verified_on": meter.verified_on,
        "verification_due": due,
        "verification_overdue": overdue,
    }


def card_out(card) -> dict:
    window = card.window
    return {
        **meter_out(card.meter, due=card.verification_due, overdue=card.overdue),
        "last_reading": reading_out(card.last),
        "window": {
            "is_open": window.is_open,
            "period": window.period,
            "opens_at": window.opens_at,
            "closes_on": window.closes_on,
        },
        "this_period_reading": reading_out(card.this_period),
    }


def import_out(batch) -> dict:
    provider = batch.provider
    return {
        "id": batch.pk,
        "filename": batch.filename,
        "provider": {"id": provider.pk, "name": str(provider)} if provider else None,
        "total": batch.total,
        "accepted": batch.accepted,
        "unchanged": batch.unchanged,
        "failed": batch.failed,
        "flagged": batch.flagged,
        "issues": [
            {
                "row": int(issue.get("row") or 0),
                "column": str(issue.get("column", "")),
                "value": str(issue.get("value", "")),
                "reason": str(issue.get("reason", "")),
                "warning": bool(issue.get("warning")),
            }
            for issue in batch.issues or []
            if isinstance(issue, dict)
        ],
        "created_at": batch.created_at,
    }
