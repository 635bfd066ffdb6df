"""The resident's whole journey in Telegram, against the fake Bot API server and the real engine:
an appeal filed with a location and a photo reaches the dispatcher console; its resolution is
told in the chat; the resident confirms it there with a rating."""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from opencity.appeals.actions import action_run
from opencity.appeals.models import Appeal, Channel, Status
from opencity.appeals.tests.city import city_create
from opencity.chatbot.models import ChatIdentity, TelegramBot
from opencity.chatbot.testing import updates
from opencity.chatbot.tests.chat import jpeg_bytes
from opencity.chatbot.tests.conftest import SECRET
from opencity.core.models import OutboxMessage, OutboxStatus
from opencity.core.outbox import outbox_deliver_due
from opencity.core.tests.pages import url
from opencity.notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db

CHAT = 7001


@pytest.fixture
def city(fake_telegram):
    city = city_create(code="KZN")
    TelegramBot.objects.create(
        municipality=city.municipality,
        token="123:TEST",
        username="city_test_bot",
        mode=TelegramBot.Mode.WEBHOOK,
        webhook_secret=SECRET,
        api_base=fake_telegram.url,
    )
    resident = city.users["resident"]
    # The resident linked this chat from their profile and asked for news in Telegram.
    NotificationPreference.objects.create(
        user=resident, municipality=city.municipality, email=False, telegram=True
    )
    ChatIdentity.objects.create(
        municipality=city.municipality,
        channel="telegram",
        external_id=str(CHAT),
        user=resident,
        locale="en",
    )
    return city


class Telegram:
    """What the resident does in the Telegram app, as Telegram delivers it to the webhook."""

    def __init__(self, city, fake):
        self.city, self.fake, self.client = city, fake, Client()

    def _post(self, update):
        response = self.client.post(
            reverse("chatbot_telegram:webhook", kwargs={"slug": self.city.municipality.slug}),
            data=json.dumps(update),
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200

    def say(self, text):
        self._post(updates.text_update(CHAT, text))

    def press(self, data):
        self._post(updates.callback_update(CHAT, data))

    def locate(self, lat, lon):
        self._post(updates.location_update(CHAT, lat, lon))

    def photo(self, content):
        self.fake.add_file("photo-1", content, path="photos/photo-1.jpg")
        self._post(updates.photo_update(CHAT, "photo-1", size=len(content)))

    def last(self) -> str:
        return self.fake.sent(chat_id=CHAT)[-1].params["text"]

    def buttons(self) -> list[str]:
        markup = self.fake.sent(chat_id=CHAT)[-1].params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [b.get("callback_data") for row in markup.get("inline_keyboard", []) for b in row]


def test_a_resident_files_in_telegram_the_dispatcher_sees_it_and_the_resident_confirms(
    city, fake_telegram, django_capture_on_commit_callbacks
):
    tg = Telegram(city, fake_telegram)
    # when the resident files a pothole in Telegram: buttons, a shared location, a photo
    tg.say("/start")
    tg.press("m:appeal")
    tg.press("g:-")
    tg.press("c:pothole")
    tg.locate(55.79, 49.12)
    tg.say("A deep pothole by the bus stop")
    tg.photo(jpeg_bytes())
    assert "Photos attached: 1" in tg.last()
    tg.press("done")
    tg.press("send")
    # then the appeal is filed through the same intake as the web, with its photo and place
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.author, appeal.category) == (
        Channel.CHATBOT,
        city.users["resident"],
        city.pothole,
    )
    assert (appeal.lat, appeal.lon) == (55.79, 49.12) and appeal.photos.count() == 1
    assert any(appeal.number in c.params["text"] for c in fake_telegram.sent(chat_id=CHAT))
    # and it waits in the dispatcher console, with the dialog on its staff page
    dispatcher = Client()
    dispatcher.force_login(city.users["dispatcher"])
    assert appeal.number in dispatcher.get(url(city.municipality, "appeals:queue")).content.decode()
    staff_page = dispatcher.get(url(city.municipality, "appeals:staff_detail", appeal.number))
    assert "A deep pothole by the bus stop" in staff_page.content.decode()
    # when the dispatcher sends it to the company, which accepts and resolves it (and the
    # commits' after-work runs: the notices are written, the outbox sends them)
    with django_capture_on_commit_callbacks(execute=True):
        _resolve(city, appeal)
    _deliver_paced()
    # then the resident is told in Telegram, once
    told = [c.params["text"] for c in fake_telegram.sent(chat_id=CHAT)]
    assert len([t for t in told if ": Accepted" in t]) == 1, told
    assert len([t for t in told if "resolved" in t.lower()]) == 1, told
    # when the resident confirms the result in the chat with a rating
    tg.say("/start")
    tg.press("m:mine")
    tg.press(f"a:{appeal.number}")
    assert {"x:confirm", "x:reject"} <= set(tg.buttons())
    tg.press("x:confirm")
    tg.press("r:5")
    # then the appeal is closed with the resident's rating
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating) == (Status.CLOSED, 5)


def _deliver_paced(seconds=5.0):
    """Run the outbox as the worker does until nothing waits: Telegram's one message a second
    per chat holds the second notice of the chat back a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        outbox_deliver_due()
        waiting = OutboxMessage.objects.filter(
            channel="telegram", status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]
        )
        if not waiting.exists():
            return
        time.sleep(0.2)
    raise AssertionError("the outbox still holds Telegram messages")


def _resolve(city, appeal):
    action_run(
        name="reroute",
        appeal=appeal,
        actor=city.users["dispatcher"],
        data={"organisation": city.org, "reason": "Their yard"},
    )
    action_run(name="accept", appeal=appeal, actor=city.users["manager"], data={})
    action_run(
        name="resolve",
        appeal=appeal,
        actor=city.users["manager"],
        data={"resolution": "The pothole is patched"},
    )
