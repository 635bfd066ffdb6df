"""Announce an outage, change it, report the restoration or cancel it; each writes one event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opencity.core.errors import Conflict, Invalid
from opencity.core.models import Municipality
from opencity.core.oncommit import task_after_commit
from opencity.organisations.models import Organisation, OrganisationKind, Resource
from opencity.outages.events import outage_event_record
from opencity.outages.hooks import outage_announced_notify
from opencity.outages.models import (
    Outage,
    OutageBuilding,
    OutageEvent,
    OutageEventKind,
    OutageKind,
)
from opencity.outages.permissions import outage_require_announcer
from opencity.outages.selectors.areas import AreaChoice, area_buildings
from opencity.outages.services.flags import outage_flags_refresh

MAX_DURATION = dt.timedelta(days=90)  # longer is a typo (a year for a day), not an outage
CLOCK_SKEW = dt.timedelta(minutes=5)
EDITABLE = ("kind", "reason", "description", "start_at", "planned_end_at")


def _check_times(*, start_at: dt.datetime, planned_end_at: dt.datetime) -> None:
    if planned_end_at <= start_at:
        raise Invalid(
            _("The planned end must come after the start."),
            errors={"planned_end_at": [_("Must be after the start.")]},
        )
    if planned_end_at - start_at > MAX_DURATION:
        raise Invalid(
            _("An outage cannot be planned for longer than %(days)d days.")
            % {"days": MAX_DURATION.days},
            errors={"planned_end_at": [_("Check the date.")]},
        )


def _check_supplier(*, organisation: Organisation, resource: str) -> None:
    if resource not in Resource.values:
        raise Invalid(_("Unknown resource."), errors={"resource": [_("Choose a resource.")]})
    supplies = organisation.resources or []
    if organisation.kind == OrganisationKind.UTILITY and supplies and resource not in supplies:
        raise Invalid(
            _("%(organisation)s does not supply %(resource)s.")
            % {"organisation": organisation, "resource": Resource(resource).label.lower()},
            errors={"resource": [_("Not supplied by this organisation.")]},
        )


def _resolve_area(*, municipality, organisation, area: AreaChoice):
    found = area_buildings(municipality=municipality, organisation=organisation, area=area)
    if not found.building_ids:
        if organisation.kind in (
            OrganisationKind.MANAGEMENT_COMPANY,
            OrganisationKind.HOMEOWNERS_ASSOCIATION,
        ):
            message = _("None of the buildings %(organisation)s manages is in this area.") % {
                "organisation": organisation
            }
        else:
            message = _("There are no buildings in this area.")
        raise Invalid(message, errors={"area_kind": [message]})
    return found


def _schedule_fanout(event: OutageEvent) -> None:
    """Tell residents after commit, in the worker (one outage may concern thousands)."""
    # If the broker is down, the outage events sweep will.
    task_after_commit("opencity.outages.tasks.outage_event_notify", event.pk)


def _record(
    outage: Outage, *, kind: str, actor, changes=None, params=None, comment=""
) -> OutageEvent:
    event = outage_event_record(
        outage=outage, kind=kind, actor=actor, changes=changes, params=params, comment=comment
    )
    _schedule_fanout(event)
    return event


def _shown(outage: Outage, name: str, value) -> str:
    """Return a value as the history shows it: local time, label."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value, ZoneInfo(outage.municipality.time_zone))
        return date_format(local, "DATETIME_FORMAT")
    if name == "kind":
        return str(OutageKind(value).label)
    return str(value)


@dataclass(frozen=True)
class OutagePreview:
    """What announcing would do: how many buildings, and the flags the outage would carry."""

    buildings_count: int
    area_label: str
    late_notice: bool
    over_limit: bool


def _check_announcement(
    *, municipality, actor, organisation, resource, kind, reason, start_at, planned_end_at, area
):
    """Check an announcement and return the area's buildings (Invalid, PermissionDenied)."""
    if organisation.municipality_id != municipality.pk:
        raise Invalid(_("The organisation belongs to another municipality."))
    outage_require_announcer(user=actor, organisation=organisation)
    if kind not in OutageKind.values:
        raise Invalid(_("Choose planned or emergency."), errors={"kind": [_("Required.")]})
    if not reason.strip():
        raise Invalid(_("Give the reason."), errors={"reason": [_("Required.")]})
    _check_supplier(organisation=organisation, resource=resource)
    _check_times(start_at=start_at, planned_end_at=planned_end_at)
    return _resolve_area(municipality=municipality, organisation=organisation, area=area)


def outage_preview(
    *,
    municipality: Municipality,
    actor,
    organisation: Organisation,
    resource: str,
    kind: str,
    reason: str,
    start_at: dt.datetime,
    planned_end_at: dt.datetime,
    area: AreaChoice,
    description: str = "",
) -> OutagePreview:
    """Tell what announcing this outage now would do, without announcing it (same checks)."""
    found = _check_announcement(
        municipality=municipality,
        actor=actor,
        organisation=organisation,
        resource=resource,
        kind=kind,
        reason=reason,
        start_at=start_at,
        planned_end_at=planned_end_at,
        area=area,
    )
    draft = Outage(
        municipality=municipality,
        resource=resource,
        kind=kind,
        organisation=organisation,
        start_at=start_at,
        planned_end_at=planned_end_at,
        created_at=timezone.now(),
    )
    outage_flags_refresh(draft, found.building_ids)
    return OutagePreview(
        buildings_count=len(found.building_ids),
        area_label=found.label,
        late_notice=draft.late_notice,
        over_limit=draft.over_limit,
    )


@transaction.atomic
def outage_announce(
    *,
    municipality: Municipality,
    actor,
    organisation: Organisation,
    resource: str,
    kind: str,
    reason: str,
    start_at: dt.datetime,
    planned_end_at: dt.datetime,
    area: AreaChoice,
    description: str = "",
) -> Outage:
    """Announce an outage for the buildings of an area; flag it if over the limit or late."""
    found = _check_announcement(
        municipality=municipality,
        actor=actor,
        organisation=organisation,
        resource=resource,
        kind=kind,
        reason=reason,
        start_at=start_at,
        planned_end_at=planned_end_at,
        area=area,
    )
    now = timezone.now()
    outage = Outage.objects.create(
        municipality=municipality,
        resource=resource,
        kind=kind,
        reason=reason.strip()[:300],
        description=description.strip(),
        organisation=organisation,
        announced_by=actor if actor.is_authenticated else None,
        start_at=start_at,
        planned_end_at=planned_end_at,
        area_kind=area.kind,
        area_label=found.label,
        area_geojson=found.geojson,
        buildings_count=len(found.building_ids),
        created_at=now,
        updated_at=now,
    )
    OutageBuilding.objects.bulk_create(
        [
            OutageBuilding(municipality=municipality, outage=outage, building_id=pk)
            for pk in found.building_ids
        ],
        batch_size=1000,
    )
    outage_flags_refresh(outage, found.building_ids)
    outage.save(update_fields=["late_notice", "over_limit"])
    _record(outage, kind=OutageEventKind.ANNOUNCED, actor=actor)
    outage_announced_notify(outage=outage)
    return outage


def _lock(outage: Outage) -> Outage:
    return (
        Outage.objects.select_for_update()
        .select_related("municipality", "organisation")
        .get(pk=outage.pk)
    )


@transaction.atomic
def outage_update(
    *, outage: Outage, actor, area: AreaChoice | None = None, comment: str = "", **fields
) -> Outage:
    """Change an outage's times, kind, reason or area; residents are told what changed."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise Invalid(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    outage = _lock(outage)
    outage_require_announcer(user=actor, organisation=outage.organisation)
    now = timezone.now()
    if outage.cancelled_at is not None:
        raise Conflict(_("The outage is cancelled."))
    if outage.actual_end_at is not None:
        raise Conflict(_("The outage is over: the supply was restored."))
    if "reason" in fields and not fields["reason"].strip():
        raise Invalid(_("Give the reason."), errors={"reason": [_("Required.")]})
    if "kind" in fields and fields["kind"] not in OutageKind.values:
        raise Invalid(_("Choose planned or emergency."), errors={"kind": [_("Required.")]})
    _check_times(
        start_at=fields.get("start_at", outage.start_at),
        planned_end_at=fields.get("planned_end_at", outage.planned_end_at),
    )
    changes = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        before = getattr(outage, name)
        if before != value:
            changes[name] = [_shown(outage, name, before), _shown(outage, name, value)]
            setattr(outage, name, value)
    params = {}
    building_ids = list(outage.affected.values_list("building_id", flat=True))
    if area is not None:
        found = _resolve_area(
            municipality=outage.municipality, organisation=outage.organisation, area=area
        )
        if set(found.building_ids) != set(building_ids) or outage.area_label != found.label:
            removed = sorted(set(building_ids) - set(found.building_ids))
            added = sorted(set(found.building_ids) - set(building_ids))
            OutageBuilding.objects.filter(outage=outage, building_id__in=removed).delete()
            OutageBuilding.objects.bulk_create(
                [
                    OutageBuilding(
                        municipality_id=outage.municipality_id, outage=outage, building_id=pk
                    )
                    for pk in added
                ],
                batch_size=1000,
            )
            changes["area"] = [
                f"{outage.area_label} ({len(building_ids)})",
                f"{found.label} ({len(found.building_ids)})",
            ]
            params["removed_buildings"] = removed
            outage.area_kind, outage.area_label = area.kind, found.label
            outage.area_geojson = found.geojson
            outage.buildings_count = len(found.building_ids)
            building_ids = found.building_ids
    if not changes and not comment.strip():
        return outage
    outage.updated_at = now
    outage_flags_refresh(outage, building_ids)
    outage.save()
    _record(
        outage,
        kind=OutageEventKind.CHANGED,
        actor=actor,
        changes=changes,
        params=params,
        comment=comment.strip(),
    )
    return outage


@transaction.atomic
def outage_restore(
    *, outage: Outage, actor, actual_end_at: dt.datetime | None = None, comment: str = ""
) -> Outage:
    """Report that the supply is back (now, or at the moment given)."""
    outage = _lock(outage)
    outage_require_announcer(user=actor, organisation=outage.organisation)
    now = timezone.now()
    if outage.cancelled_at is not None:
        raise Conflict(_("The outage is cancelled."))
    if outage.actual_end_at is not None:
        raise Conflict(_("The supply was already reported restored."))
    actual_end_at = actual_end_at or now
    if outage.start_at > now:
        raise Conflict(_("The outage has not started yet: cancel it instead."))
    if actual_end_at > now + CLOCK_SKEW:
        raise Invalid(
            _("The restoration cannot be in the future."),
            errors={"actual_end_at": [_("Report it when the supply is back.")]},
        )
    if actual_end_at <= outage.start_at:
        raise Invalid(
            _("The restoration must come after the start."),
            errors={"actual_end_at": [_("Must be after the start.")]},
        )
    outage.actual_end_at = min(actual_end_at, now)
    outage.updated_at = now
    outage_flags_refresh(outage, list(outage.affected.values_list("building_id", flat=True)))
    outage.save()
    _record(
        outage,
        kind=OutageEventKind.RESTORED,
        actor=actor,
        changes={"actual_end_at": ["", _shown(outage, "actual_end_at", outage.actual_end_at)]},
        comment=comment.strip(),
    )
    return outage


@transaction.atomic
def outage_cancel(*, outage: Outage, actor, reason: str) -> Outage:
    """Cancel an outage that will not happen (or was announced by mistake)."""
    outage = _lock(outage)
    outage_require_announcer(user=actor, organisation=outage.organisation)
    if not reason.strip():
        raise Invalid(_("Say why it is cancelled."), errors={"reason": [_("Required.")]})
    if outage.cancelled_at is not None:
        raise Conflict(_("The outage is already cancelled."))
    if outage.actual_end_at is not None:
        raise Conflict(_("The outage is over: the supply was restored."))
    now = timezone.now()
    outage.cancelled_at = now
    outage.updated_at = now
    outage.over_limit = outage.late_notice = False
    outage.save()
    _record(outage, kind=OutageEventKind.CANCELLED, actor=actor, comment=reason.strip())
    return outage
