"""A building's outages as an iCalendar (for calendars) and as RSS (for feed readers)."""

from __future__ import annotations

from collections.abc import Callable

import icalendar
from django.db.models import Count
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from opencity.buildings.models import Building
from opencity.outages.models import Outage, OutageEvent
from opencity.outages.services.residents import outage_message

UrlFor = Callable[[str], str]


def _uid(outage: Outage) -> str:
    return f"outage-{outage.pk}-{outage.municipality_id}@opencity"


def building_calendar(*, building: Building, outages: list[Outage], url_for: UrlFor) -> bytes:
    """Return an iCalendar with one event per outage (cancelled ones marked CANCELLED)."""
    sequences = _event_counts(outages)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//opencity//outages//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Outages: %(address)s") % {"address": building})
    for outage in outages:
        event = icalendar.Event()
        event.add("uid", _uid(outage))
        event.add("dtstamp", outage.updated_at)
        event.add("last-modified", outage.updated_at)
        event.add("sequence", max(sequences.get(outage.pk, 1) - 1, 0))
        event.add("dtstart", outage.start_at)
        event.add("dtend", outage.actual_end_at or outage.planned_end_at)
        event.add(
            "summary",
            _("%(resource)s off (%(kind)s)")
            % {
                "resource": outage.get_resource_display(),
                "kind": outage.get_kind_display().lower(),
            },
        )
        details = [outage.reason, outage.description, str(outage.organisation)]
        event.add("description", "\n".join(line for line in details if line))
        event.add("location", building.address)
        event.add("status", "CANCELLED" if outage.cancelled_at else "CONFIRMED")
        event.add("url", url_for(outage.get_absolute_url()))
        calendar.add_component(event)
    return calendar.to_ical()


def _event_counts(outages: list[Outage]) -> dict[int, int]:
    return dict(
        OutageEvent.objects.filter(outage__in=[o.pk for o in outages])
        .values("outage_id")
        .annotate(n=Count("id"))
        .values_list("outage_id", "n")
    )


def building_rss(*, building: Building, outages: list[Outage], url_for: UrlFor) -> bytes:
    """Return an RSS 2.0 feed with one item per announcement, change, restoration, cancellation."""
    feed = Rss201rev2Feed(
        title=_("Outages: %(address)s") % {"address": building},
        link=url_for(building.get_absolute_url()),
        description=_("Planned and emergency outages at %(address)s.") % {"address": building},
        language="ru",
    )
    by_pk = {o.pk: o for o in outages}
    events = (
        OutageEvent.objects.filter(outage__in=list(by_pk))
        .order_by("-created_at", "-id")
        .select_related("outage__organisation", "outage__municipality")
    )
    for event in events:
        title, body = outage_message(event=event, building=building)
        link = url_for(event.outage.get_absolute_url())
        feed.add_item(
            title=title,
            link=f"{link}#event-{event.pk}",
            description=body.replace("\n", "<br>"),
            unique_id=f"{_uid(event.outage)}/event-{event.pk}",
            unique_id_is_permalink=False,
            pubdate=event.created_at,
            updateddate=event.created_at,
        )
    return feed.writeString("utf-8").encode("utf-8")
