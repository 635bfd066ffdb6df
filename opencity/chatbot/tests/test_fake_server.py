"""The fake Bot API server speaks what python-telegram-bot sends: JSON, multipart, files."""

import pytest
from telegram.error import Forbidden, RetryAfter

from opencity.chatbot.models import TelegramBot
from opencity.chatbot.telegram.client import bot_for, retry_after_seconds, run


@pytest.fixture
def api(fake_telegram):
    return bot_for(TelegramBot(token="9:FAKE", api_base=fake_telegram.url))


def test_a_photo_upload_is_multipart_and_recorded_with_its_file(api, fake_telegram):
    run(api.send_photo(chat_id=5, photo=b"\xff\xd8jpeg-bytes", caption="a pothole"))

    [call] = fake_telegram.sent("sendPhoto")
    assert call.params["caption"] == "a pothole" and str(call.params["chat_id"]) == "5"
    assert call.files["photo"] == b"\xff\xd8jpeg-bytes"
    assert call.token == "9:FAKE"


def test_files_are_served_by_get_file_and_their_download_path(api, fake_telegram):
    fake_telegram.add_file("f1", b"content", path="photos/f1.jpg")

    telegram_file = run(api.get_file("f1"))

    assert telegram_file.file_path.endswith("photos/f1.jpg")
    assert bytes(run(telegram_file.download_as_bytearray())) == b"content"


def test_429_and_403_on_demand(api, fake_telegram):
    fake_telegram.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as flood:
        run(api.send_message(chat_id=6, text="x"))
    assert retry_after_seconds(flood.value) == 3

    fake_telegram.block(6)
    with pytest.raises(Forbidden, match="blocked by the user"):
        run(api.send_message(chat_id=6, text="x"))
    assert fake_telegram.sent(chat_id=6) == []


def test_get_updates_waits_for_an_update_and_honours_the_offset(api, fake_telegram):
    first = fake_telegram.push(
        {"message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}}}
    )

    [update] = run(api.get_updates(offset=0, timeout=0))
    assert update.update_id == first["update_id"]
    assert run(api.get_updates(offset=first["update_id"] + 1, timeout=0)) == ()
