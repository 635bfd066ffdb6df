"""Followers hear of an outage's announcement, change, restoration and cancellation once each."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.core.models import OutboxMessage
from opencity.core.outbox import outbox_deliver_due
from opencity.notifications.models import Notification
from opencity.outages import services, tasks
from opencity.outages.models import AreaKind, OutageEvent
from opencity.outages.selectors import AreaChoice
from opencity.outages.tasks import outage_event_notify, outage_events_sweep
from opencity.outages.tests.factories import OutageSubscriptionFactory, provider_staff

pytestmark = pytest.mark.django_db


def _start(hours_from_now):
    return timezone.now() + dt.timedelta(hours=hours_from_now)


def _announce(w, staff, building_ids, **kw):
    start = kw.pop("start_at", _start(24 * 30))
    return services.outage_announce(
        municipality=w.city,
        actor=staff,
        organisation=w.water,
        resource="cold_water",
        kind=kw.pop("kind", "planned"),
        reason="Замена задвижки",
        start_at=start,
        planned_end_at=start + dt.timedelta(hours=3),
        area=AreaChoice(kind=AreaKind.BUILDINGS, building_ids=building_ids),
    )


@pytest.fixture
def follower(w):
    user = UserFactory(municipality=w.city, email="alsu@example.org")
    OutageSubscriptionFactory(user=user, building=w.baumana_12)
    return user


def test_each_event_reaches_each_follower_once_in_the_app_and_by_email(
    w, follower, django_capture_on_commit_callbacks
):
    staff = provider_staff(w.water)

    with django_capture_on_commit_callbacks(execute=True):
        outage = _announce(w, staff, [w.baumana_12.pk], kind="emergency", start_at=_start(-1))
    with django_capture_on_commit_callbacks(execute=True):
        services.outage_update(outage=outage, actor=staff, reason="Порыв трубы на вводе")
    with django_capture_on_commit_callbacks(execute=True):
        services.outage_restore(outage=outage, actor=staff)
    # the sweep and a repeated task find nothing left to tell
    for event in OutageEvent.objects.all():
        outage_event_notify(event.pk)
    outage_events_sweep()
    outbox_deliver_due()

    titles = list(
        Notification.objects.filter(user=follower).order_by("id").values_list("title", flat=True)
    )
    assert titles == [
        "Emergency outage: Cold water off at ул. Баумана, 12",
        "Outage changed: Cold water at ул. Баумана, 12",
        "Cold water is back at ул. Баумана, 12",
    ]
    assert [m.to for m in mail.outbox] == [["alsu@example.org"]] * 3
    assert "Порыв трубы на вводе" in mail.outbox[1].body
    assert not OutageEvent.objects.filter(notified_at__isnull=True).exists()


def test_a_follower_of_two_affected_buildings_is_told_once(w, follower):
    OutageSubscriptionFactory(user=follower, building=w.baumana_14)
    outage = _announce(w, provider_staff(w.water), [w.baumana_12.pk, w.baumana_14.pk])

    told = services.outage_event_fanout(event_id=outage.events.get().pk)

    assert told == 1
    assert Notification.objects.filter(user=follower).count() == 1
    assert OutboxMessage.objects.filter(recipient=follower, channel="email").count() == 1


def test_followers_of_other_buildings_and_cities_hear_nothing(w, follower):
    neighbour = UserFactory(municipality=w.city)
    OutageSubscriptionFactory(user=neighbour, building=w.pushkina_1)
    outage = _announce(w, provider_staff(w.water), [w.baumana_12.pk])

    services.outage_event_fanout(event_id=outage.events.get().pk)

    assert set(Notification.objects.values_list("user_id", flat=True)) == {follower.pk}


def test_the_followers_of_a_building_taken_off_the_outage_are_told_of_the_change(w, follower):
    staff = provider_staff(w.water)
    outage = _announce(w, staff, [w.baumana_12.pk, w.pushkina_1.pk])
    services.outage_event_fanout(event_id=outage.events.get().pk)

    services.outage_update(
        outage=outage,
        actor=staff,
        area=AreaChoice(kind=AreaKind.BUILDINGS, building_ids=[w.pushkina_1.pk]),
    )
    change = outage.events.order_by("-id").first()
    services.outage_event_fanout(event_id=change.pk)

    assert Notification.objects.filter(user=follower, kind="outage_changed").count() == 1


def test_a_resident_who_joined_instead_of_filing_hears_of_the_restoration(w):
    staff = provider_staff(w.water)
    outage = _announce(w, staff, [w.baumana_12.pk], kind="emergency", start_at=_start(-2))
    services.outage_events_fanout_due()
    resident = UserFactory(municipality=w.city)
    services.outage_report_join(user=resident, outage=outage, building=w.baumana_12)

    services.outage_restore(outage=outage, actor=staff)
    services.outage_events_fanout_due()

    assert list(Notification.objects.filter(user=resident).values_list("kind", flat=True)) == [
        "outage_restored"
    ]


def test_events_wait_for_the_sweep_when_the_broker_is_down(w, follower, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.outage_event_notify, "delay", broken)
    outage = _announce(w, provider_staff(w.water), [w.baumana_12.pk])
    assert not Notification.objects.exists()

    assert services.outage_events_fanout_due() == 1

    assert Notification.objects.filter(user=follower).count() == 1
    assert outage.events.get().notified_at is not None


def test_every_outage_message_links_to_the_city_absolutely_and_says_what_to_do(
    w, follower, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://opencity.example.org"
    base = f"https://opencity.example.org/m/{w.city.slug}/"
    w.city.hosts = ""
    w.city.save()
    staff = provider_staff(w.water)
    with django_capture_on_commit_callbacks(execute=True):
        outage = _announce(w, staff, [w.baumana_12.pk], start_at=_start(-1))
    with django_capture_on_commit_callbacks(execute=True):
        services.outage_update(outage=outage, actor=staff, reason="Порыв трубы на вводе")
    with django_capture_on_commit_callbacks(execute=True):
        services.outage_restore(outage=outage, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        later = _announce(w, staff, [w.baumana_12.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.outage_cancel(outage=later, actor=staff, reason="Работы перенесены")

    told = {n.kind: n for n in Notification.objects.filter(user=follower)}
    expected = {
        "outage_announced": "Plan for the time without it.",
        "outage_changed": "Check the new details above",
        "outage_restored": "If it is still off at your address, file an appeal about it.",
        "outage_cancelled": "The outage will not happen: nothing is needed from you.",
    }
    assert {kind: expected[kind] in n.body for kind, n in told.items()} == dict.fromkeys(
        expected, True
    )
    for n in told.values():
        assert n.url.startswith(base + "outages/"), n.url
    mails = OutboxMessage.objects.filter(channel="email", recipient=follower)
    assert mails.count() == Notification.objects.filter(user=follower).count() == 5
    for message in mails:
        assert f"Open the page: {base}outages/" in message.body
        assert f"{base}notifications/settings/" in message.body
