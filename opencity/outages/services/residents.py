"""Residents and outages: subscriptions to a building, joining an outage instead of an appeal,
and telling them (once each) of every announcement, change, restoration and cancellation.

See docs/subsystems/outbox-and-notifications.md.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opencity.buildings.models import Building
from opencity.core.errors import Conflict, Invalid, NotFound
from opencity.notifications.services import notify
from opencity.outages.models import (
    Outage,
    OutageBuilding,
    OutageEvent,
    OutageEventKind,
    OutageKind,
    OutageReport,
    OutageStatus,
    OutageSubscription,
)


def _require_resident(user, municipality_id: int) -> None:
    if not user.is_authenticated or user.municipality_id != municipality_id:
        raise NotFound(_("There is no such building."))


def outage_subscribe(*, user, building: Building) -> OutageSubscription:
    """Follow the outages of a building (idempotent)."""
    _require_resident(user, building.municipality_id)
    subscription, _created = OutageSubscription.objects.get_or_create(
        user=user, building=building, defaults={"municipality_id": building.municipality_id}
    )
    return subscription


def outage_unsubscribe(*, user, building: Building) -> bool:
    """Stop following a building's outages; return whether there was a subscription."""
    deleted, _rows = OutageSubscription.objects.filter(
        user=user, building=building, municipality_id=user.municipality_id
    ).delete()
    return bool(deleted)


@transaction.atomic
def outage_report_join(*, user, outage: Outage, building: Building | None = None) -> OutageReport:
    """Join an active outage instead of filing an appeal about it: counted, and told of its news."""
    _require_resident(user, outage.municipality_id)
    now = timezone.now()
    if outage.status_at(now) not in (OutageStatus.ACTIVE, OutageStatus.UPCOMING):
        raise Conflict(_("This outage is over."))
    if (
        building is not None
        and not OutageBuilding.objects.filter(outage=outage, building=building).exists()
    ):
        raise Invalid(_("This outage does not affect that building."))
    report, _created = OutageReport.objects.get_or_create(
        outage=outage,
        user=user,
        defaults={"municipality_id": outage.municipality_id, "building": building},
    )
    return report


# ---------------------------------------------------------------------------------------------
# Telling residents
# ---------------------------------------------------------------------------------------------


def _when(outage: Outage, value) -> str:
    local = timezone.localtime(value, ZoneInfo(outage.municipality.time_zone))
    return date_format(local, "DATETIME_FORMAT")


def _field_label(name: str) -> str:
    return {
        "kind": _("Kind"),
        "reason": _("Reason"),
        "description": _("Details"),
        "start_at": _("Start"),
        "planned_end_at": _("Planned end"),
        "actual_end_at": _("Restored at"),
        "area": _("Area"),
    }.get(name, name)


def outage_message(*, event: OutageEvent, building: Building | None) -> tuple[str, str]:
    """Return the title and text that tell a resident of an outage event."""
    outage = event.outage
    what = outage.get_resource_display()
    where = str(building) if building is not None else outage.area_label
    params = {"what": what, "where": where}
    if event.kind == OutageEventKind.ANNOUNCED:
        title = (
            _("Emergency outage: %(what)s off at %(where)s")
            if outage.kind == OutageKind.EMERGENCY
            else _("Planned outage: %(what)s off at %(where)s")
        ) % params
    elif event.kind == OutageEventKind.CHANGED:
        title = _("Outage changed: %(what)s at %(where)s") % params
    elif event.kind == OutageEventKind.RESTORED:
        title = _("%(what)s is back at %(where)s") % params
    else:
        title = _("Outage cancelled: %(what)s at %(where)s") % params
    lines = [
        _("From %(start)s to %(end)s (planned).")
        % {"start": _when(outage, outage.start_at), "end": _when(outage, outage.planned_end_at)},
        _("Reason: %(reason)s") % {"reason": outage.reason},
        _("Responsible: %(organisation)s") % {"organisation": outage.organisation},
    ]
    if event.kind == OutageEventKind.RESTORED and outage.actual_end_at:
        lines.insert(0, _("Restored at %(when)s.") % {"when": _when(outage, outage.actual_end_at)})
    for name, (before, after) in (event.changes or {}).items():
        if event.kind == OutageEventKind.CHANGED:
            lines.append(f"{_field_label(name)}: {before or '—'} → {after or '—'}")
    if event.comment:
        lines.append(event.comment)
    return title, "\n".join(lines) + "\n\n" + _outage_todo(event)


def _outage_todo(event: OutageEvent) -> str:
    """Return what a resident does about the news: plan ahead, check the times, or tell us."""
    if event.kind == OutageEventKind.ANNOUNCED:
        return _(
            "Plan for the time without it. If it is still off after the planned end, file an "
            "appeal about it."
        )
    if event.kind == OutageEventKind.CHANGED:
        return _("Check the new details above; the outage's page always shows the latest.")
    if event.kind == OutageEventKind.RESTORED:
        return _("If it is still off at your address, file an appeal about it.")
    return _("The outage will not happen: nothing is needed from you.")


def _recipients(event: OutageEvent) -> dict[int, tuple[object, Building | None]]:
    """Return the subscribers of the affected (and just removed) buildings and those who joined."""
    outage = event.outage
    building_ids = list(
        OutageBuilding.objects.filter(outage=outage).values_list("building_id", flat=True)
    ) + list(event.params.get("removed_buildings", []))
    people: dict[int, tuple[object, Building | None]] = {}
    subscriptions = (
        OutageSubscription.objects.filter(
            municipality_id=outage.municipality_id, building_id__in=building_ids
        )
        .select_related("user", "building")
        .order_by("id")
    )
    for subscription in subscriptions:
        people.setdefault(subscription.user_id, (subscription.user, subscription.building))
    for report in OutageReport.objects.filter(outage=outage).select_related("user", "building"):
        people.setdefault(report.user_id, (report.user, report.building))
    return people


def outage_event_fanout(*, event_id: int) -> int:
    """Tell every follower of an outage event once (in the app and by e-mail); return how many."""
    event = (
        OutageEvent.objects.select_related("outage__municipality", "outage__organisation")
        .filter(pk=event_id, notified_at__isnull=True)
        .first()
    )
    if event is None:
        return 0
    url = reverse("outages:public_detail", args=[event.outage_id])
    told = 0
    for user, building in _recipients(event).values():
        title, body = outage_message(event=event, building=building)
        if notify(
            user=user,
            kind=f"outage_{event.kind}",
            title=title,
            body=body,
            url=url,
            dedupe_key=f"outage:{event.outage_id}:event:{event.pk}:{user.pk}",
        ):
            told += 1
    OutageEvent.objects.filter(pk=event.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    return told


def outage_events_fanout_due(*, limit: int = 200) -> int:
    """Tell residents of the events the after-commit task missed (the broker was down)."""
    ids = list(
        OutageEvent.objects.filter(notified_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for event_id in ids:
        outage_event_fanout(event_id=event_id)
    return len(ids)
