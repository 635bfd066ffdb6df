"""Linking a Telegram chat to an account by a one-time deep link, and the settings' toggle."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.chatbot.models import ChatIdentity, TelegramLinkToken
from opencity.chatbot.testing import updates
from opencity.chatbot.tests.conftest import SECRET
from opencity.core.tests.pages import url
from opencity.notifications.models import NotificationPreference

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("echo_engine")]


def start(client, chat_id: int, token: str):
    response = client.post(
        reverse("chatbot_telegram:webhook", kwargs={"slug": "tgcity"}),
        data=json.dumps(updates.text_update(chat_id, f"/start {token}")),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 200


def deep_link(client, city) -> str:
    """Ask the profile's Telegram page for a link, as the resident does; return its token."""
    page = client.post(url(city, "chatbot_telegram:link")).content.decode()
    match = re.search(r'href="https://t\.me/city_test_bot\?start=([A-Za-z0-9_-]+)"', page)
    assert match, page
    return match.group(1)


def test_a_resident_links_their_chat_by_the_deep_link_once(client, telegram_bot, fake_telegram):
    city = telegram_bot.municipality
    resident = UserFactory(municipality=city)
    client.force_login(resident)
    profile = client.get(url(city, "accounts:profile")).content.decode()
    assert 'data-testid="profile-telegram-link"' in profile
    token = deep_link(client, city)

    start(client, 801, token)

    assert ChatIdentity.objects.get(external_id="801").user == resident
    [answer] = fake_telegram.sent(chat_id=801)[:1]
    assert "now linked to your account" in answer.params["text"]
    assert (
        'data-testid="profile-telegram-linked"'
        in client.get(url(city, "accounts:profile")).content.decode()
    )

    # The same link again, from another chat: it worked once and works no more.
    start(client, 802, token)
    assert ChatIdentity.objects.get(external_id="802").user is None
    assert "no longer valid" in fake_telegram.sent(chat_id=802)[0].params["text"]
    assert not TelegramLinkToken.objects.filter(token_hash=token).exists()  # only its hash is kept


def test_an_expired_or_made_up_link_links_nothing(client, telegram_bot, fake_telegram):
    city = telegram_bot.municipality
    client.force_login(UserFactory(municipality=city))
    token = deep_link(client, city)
    TelegramLinkToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    start(client, 803, token)
    start(client, 804, "made-up-token")

    assert not ChatIdentity.objects.filter(user__isnull=False).exists()
    assert all("no longer valid" in c.params["text"] for c in fake_telegram.sent()[::2])


def test_the_settings_toggle_is_offered_once_the_chat_is_linked(
    client, telegram_bot, fake_telegram
):
    city = telegram_bot.municipality
    resident = UserFactory(municipality=city)
    client.force_login(resident)
    settings_url = url(city, "notifications:settings")

    before = client.get(settings_url).content.decode()
    assert re.search(r'<input[^>]*data-testid="pref-telegram"[^>]*disabled', before)
    assert 'data-testid="telegram-link-page"' in before
    client.post(settings_url, {"email": "on", "telegram": "on"})
    assert not NotificationPreference.objects.get(user=resident).telegram  # not linked: ignored

    start(client, 805, deep_link(client, city))
    after = client.get(settings_url).content.decode()
    assert not re.search(r'<input[^>]*data-testid="pref-telegram"[^>]*disabled', after)
    response = client.post(settings_url, {"email": "on", "telegram": "on"})

    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=resident).telegram


def test_without_a_bot_there_is_no_telegram_section_and_the_toggle_stays_off(client, db):
    resident = UserFactory()
    client.force_login(resident)

    profile = client.get(url(resident.municipality, "accounts:profile")).content.decode()
    settings_page = client.get(
        url(resident.municipality, "notifications:settings")
    ).content.decode()

    assert 'data-testid="profile-telegram"' not in profile
    assert re.search(r'<input[^>]*data-testid="pref-telegram"[^>]*disabled', settings_page)
    assert 'data-testid="telegram-link-page"' not in settings_page


def test_the_admin_lists_the_bot_and_never_shows_its_token(client, telegram_bot):
    admin = UserFactory(municipality=telegram_bot.municipality, is_staff=True, is_superuser=True)
    client.force_login(admin)

    page = client.get(reverse("admin:chatbot_telegrambot_change", args=[telegram_bot.pk]))
    chats = client.get(reverse("admin:chatbot_chatidentity_changelist"))

    assert page.status_code == 200 and chats.status_code == 200
    assert telegram_bot.token not in page.content.decode()
