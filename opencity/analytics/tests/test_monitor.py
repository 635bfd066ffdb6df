"""The monitoring centre's wall screen: what it shows now, and who may watch it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opencity.analytics.services import rollups_rebuild
from opencity.appeals.models import Priority, Status
from opencity.appeals.tests.city import City
from opencity.appeals.tests.lifecycle import world

__all__ = ["world"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("dispatcher", 200), ("analyst", 200), ("admin", 200), ("manager", 403), ("resident", 403)],
)
def test_who_watches_the_screen(client, world: City, who, status):
    client.force_login(world.users[who])
    assert client.get(reverse("analytics:monitor")).status_code == status


def test_the_screen_shows_emergencies_overdue_intake_and_an_alert(client, world: City):
    # given: a usual day of one leak a week in the north, then four today, one an emergency
    now = timezone.now()
    for days in (7, 14, 21):
        world.appeal(Status.CLOSED, district=world.north, created_at=now - dt.timedelta(days=days))
    rollups_rebuild(municipality=world.municipality)
    emergency = world.appeal(
        Status.ACCEPTED,
        district=world.north,
        priority=Priority.EMERGENCY,
        deadline_at=now + dt.timedelta(hours=2),
        created_at=now,
    )
    for _ in range(3):
        world.appeal(Status.REGISTERED, district=world.north, created_at=now)
    world.appeal(Status.ACCEPTED, district=world.south, overdue_at=now, was_overdue=True)
    # when
    client.force_login(world.users["dispatcher"])
    body = client.get(reverse("analytics:monitor_panel")).content.decode()
    # then
    assert emergency.number in body
    assert 'data-testid="monitor-overdue-total">1<' in body
    assert 'data-testid="monitor-alert"' in body and world.north.name in body
