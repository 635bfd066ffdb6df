"""The inbox, the unread badge and the channel settings, as a signed-in person sees them."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.core.outbox import outbox_deliver_due
from opencity.core.tests.factories import MunicipalityFactory
from opencity.core.tests.pages import url
from opencity.notifications.models import Notification, NotificationPreference
from opencity.notifications.services import notify


@pytest.fixture
def city(db):
    return MunicipalityFactory(slug="notif", name="Notif City", code="NTF")


@pytest.fixture
def resident(city):
    return UserFactory(municipality=city, email="anna@example.org")


def badge(html: str) -> str:
    match = re.search(r'data-testid="notifications-count"[^>]*>(\d*)', html)
    return match.group(1) if match else "missing"


def note(user, title, *, minutes_ago=0, read=False):
    notification = notify(user=user, kind="status", title=title, dedupe_key=f"t:{title}")
    created = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=created, read_at=created if read else None
    )
    return notification


@pytest.mark.django_db
def test_inbox_lists_unread_first_and_the_header_counts_them(client, city, resident):
    note(resident, "Old and read", minutes_ago=1, read=True)
    note(resident, "Older unread", minutes_ago=30)
    note(resident, "Newest unread", minutes_ago=5)
    stranger = UserFactory(municipality=city)
    note(stranger, "Not yours")
    client.force_login(resident)

    html = client.get(url(city, "notifications:inbox")).content.decode()

    titles = re.findall(r'data-testid="notification-title">\s*(.*?)\s*<', html)
    assert titles == ["Newest unread", "Older unread", "Old and read"]
    assert html.count('data-testid="notification-unread"') == 2
    assert badge(html) == "2"
    assert "Not yours" not in html
    # the badge is in the header of every page
    home = client.get(f"/m/{city.slug}/").content.decode()
    assert 'data-testid="nav-notifications"' in home
    assert badge(home) == "2"


@pytest.mark.django_db
def test_mark_one_read_with_htmx_updates_the_item_and_the_badge(client, city, resident):
    first = note(resident, "First")
    note(resident, "Second")
    client.force_login(resident)

    response = client.post(url(city, "notifications:mark_read", first.pk), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in html
    assert 'data-testid="notification-mark-read"' not in html
    assert 'hx-swap-oob="true"' in html and badge(html) == "1"
    first.refresh_from_db()
    assert first.read_at is not None


@pytest.mark.django_db
def test_mark_read_without_javascript_and_all_read(client, city, resident):
    first = note(resident, "First")
    note(resident, "Second")
    note(resident, "Third")
    client.force_login(resident)

    response = client.post(url(city, "notifications:mark_read", first.pk))
    assert response.status_code == 302
    assert badge(client.get(url(city, "notifications:inbox")).content.decode()) == "2"

    response = client.post(url(city, "notifications:mark_all_read"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="notification-unread"' not in html
    assert 'data-testid="notifications-mark-all-read"' not in html
    assert badge(html) == ""
    assert not Notification.objects.filter(user=resident, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_nobody_marks_anothers_notification_and_get_is_refused(client, city, resident):
    other = note(UserFactory(municipality=city), "Someone else's")
    client.force_login(resident)
    assert client.post(url(city, "notifications:mark_read", other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    assert client.get(url(city, "notifications:mark_all_read")).status_code == 405


@pytest.mark.django_db
def test_pages_need_a_signed_in_user(client, city):
    for name in ("notifications:inbox", "notifications:settings"):
        response = client.get(url(city, name))
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert 'data-testid="nav-notifications"' not in client.get(f"/m/{city.slug}/").content.decode()


@pytest.mark.django_db
def test_empty_inbox(client, city, resident):
    client.force_login(resident)
    html = client.get(url(city, "notifications:inbox")).content.decode()
    assert 'data-testid="notifications-empty"' in html
    assert badge(html) == ""


@pytest.mark.django_db
def test_settings_choose_the_channels_that_notify_sends_to(client, city, resident):
    resident.phone, resident.phone_confirmed = "+79171234567", True
    resident.save()
    client.force_login(resident)

    page = client.get(url(city, "notifications:settings")).content.decode()
    assert re.search(r'<input[^>]*data-testid="pref-email"[^>]*checked', page)
    assert re.search(r'<input[^>]*data-testid="pref-telegram"[^>]*disabled', page)
    assert '<label for="id_email">' in page

    response = client.post(url(city, "notifications:settings"), {"sms": "on"})
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=resident)
    assert (pref.email, pref.sms, pref.telegram) == (False, True, False)
    page = client.get(response["Location"]).content.decode()
    assert not re.search(r'<input[^>]*data-testid="pref-email"[^>]*checked', page)
    assert re.search(r'<input[^>]*data-testid="pref-sms"[^>]*checked', page)

    notify(user=resident, kind="status", title="Quiet by e-mail", dedupe_key="quiet")
    outbox_deliver_due()
    assert mail.outbox == []


@pytest.mark.django_db
def test_settings_refuse_sms_without_a_confirmed_phone(client, city, resident):
    client.force_login(resident)
    response = client.post(url(city, "notifications:settings"), {"email": "on", "sms": "on"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'class="field-error"' in html
    assert re.search(r'<input[^>]*data-testid="pref-sms"[^>]*checked', html)  # input kept
    assert not NotificationPreference.objects.filter(user=resident).exists()
