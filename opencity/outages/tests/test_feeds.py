"""A building's outages read back from its iCalendar and RSS feeds by independent parsers."""

import datetime as dt

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from opencity.core.tests.factories import MunicipalityFactory
from opencity.outages import services
from opencity.outages.models import AreaKind
from opencity.outages.selectors import AreaChoice
from opencity.outages.tests.factories import provider_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def outages(w):
    staff = provider_staff(w.water)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=20)
    area = AreaChoice(kind=AreaKind.BUILDINGS, building_ids=[w.baumana_12.pk])
    common = dict(municipality=w.city, actor=staff, organisation=w.water, area=area)
    planned = services.outage_announce(
        resource="cold_water",
        kind="planned",
        reason="Промывка сетей",
        start_at=start,
        planned_end_at=start + dt.timedelta(hours=3),
        **common,
    )
    cancelled = services.outage_announce(
        resource="sewage",
        kind="planned",
        reason="Прочистка",
        start_at=start + dt.timedelta(days=1),
        planned_end_at=start + dt.timedelta(days=1, hours=2),
        **common,
    )
    services.outage_cancel(outage=cancelled, actor=staff, reason="Перенесено")
    services.outage_announce(
        resource="cold_water",
        kind="planned",
        reason="Elsewhere",
        start_at=start,
        planned_end_at=start + dt.timedelta(hours=1),
        **{**common, "area": AreaChoice(kind=AreaKind.BUILDINGS, building_ids=[w.pushkina_1.pk])},
    )
    return planned, cancelled


def test_the_calendar_holds_the_buildings_outages_as_events(client, w, outages):
    planned, cancelled = outages

    response = client.get("/m/kazan" + reverse("outages:building_ics", args=[w.baumana_12.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Cold water off (planned)", "Sewage off (planned)"}
    water = events["Cold water off (planned)"]
    assert water.decoded("dtstart") == planned.start_at
    assert water.decoded("dtend") == planned.planned_end_at
    assert str(water["status"]) == "CONFIRMED"
    assert "Промывка сетей" in str(water["description"])
    assert str(events["Sewage off (planned)"]["status"]) == "CANCELLED"
    assert len({str(e["uid"]) for e in events.values()}) == 2
    assert str(water["url"]).endswith(reverse("outages:public_detail", args=[planned.pk]))


def test_the_rss_feed_has_an_item_per_announcement_and_cancellation(client, w, outages):
    response = client.get("/m/kazan" + reverse("outages:building_feed", args=[w.baumana_12.pk]))

    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Outages: ул. Баумана, 12"
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Outage cancelled: Sewage at ул. Баумана, 12",
        "Planned outage: Sewage off at ул. Баумана, 12",
        "Planned outage: Cold water off at ул. Баумана, 12",
    ]
    assert len({entry.id for entry in feed.entries}) == 3
    assert all(entry.published_parsed for entry in feed.entries)


def test_feeds_of_a_building_of_another_municipality_are_not_found(client, w, outages):
    MunicipalityFactory(slug="yelabuga")
    path = reverse("outages:building_feed", args=[w.baumana_12.pk])

    assert client.get("/m/kazan" + path).status_code == 200
    assert client.get("/m/yelabuga" + path).status_code == 404
