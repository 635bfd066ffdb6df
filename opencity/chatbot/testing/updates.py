"""Telegram updates as Telegram sends them (JSON), for the tests and the benches."""

from __future__ import annotations

import itertools
import time

_ids = itertools.count(1)
_update_ids = itertools.count(500_000)


def _numbered(update: dict, update_id: int | None) -> dict:
    update["update_id"] = next(_update_ids) if update_id is None else update_id
    return update


def _user(chat_id: int, language_code: str) -> dict:
    return {
        "id": chat_id,
        "is_bot": False,
        "first_name": f"Resident {chat_id}",
        "language_code": language_code,
    }


def _message(chat_id: int, language_code: str = "en", **content) -> dict:
    return {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private"},
        "from": _user(chat_id, language_code),
        **content,
    }


def text_update(
    chat_id: int, text: str, *, update_id: int | None = None, language_code: str = "en"
) -> dict:
    update = {"message": _message(chat_id, language_code, text=text)}
    return _numbered(update, update_id)


def location_update(
    chat_id: int, latitude: float, longitude: float, *, update_id: int | None = None
) -> dict:
    update = {"message": _message(chat_id, location={"latitude": latitude, "longitude": longitude})}
    return _numbered(update, update_id)


def contact_update(
    chat_id: int, phone: str, *, own: bool = True, update_id: int | None = None
) -> dict:
    contact = {"phone_number": phone, "first_name": "R", "user_id": chat_id if own else chat_id + 1}
    update = {"message": _message(chat_id, contact=contact)}
    return _numbered(update, update_id)


def photo_update(
    chat_id: int, file_id: str, *, size: int, update_id: int | None = None, caption: str = ""
) -> dict:
    sizes = [
        {
            "file_id": f"{file_id}-small",
            "file_unique_id": "s",
            "width": 90,
            "height": 60,
            "file_size": 100,
        },
        {
            "file_id": file_id,
            "file_unique_id": "l",
            "width": 1280,
            "height": 960,
            "file_size": size,
        },
    ]
    content = {"photo": sizes}
    if caption:
        content["caption"] = caption
    update = {"message": _message(chat_id, **content)}
    return _numbered(update, update_id)


def document_update(
    chat_id: int, file_id: str, *, mime_type: str, size: int, update_id: int | None = None
) -> dict:
    document = {
        "file_id": file_id,
        "file_unique_id": "d",
        "file_name": "x",
        "mime_type": mime_type,
        "file_size": size,
    }
    update = {"message": _message(chat_id, document=document)}
    return _numbered(update, update_id)


def sticker_update(chat_id: int, *, update_id: int | None = None) -> dict:
    sticker = {
        "file_id": "st",
        "file_unique_id": "st",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    update = {"message": _message(chat_id, sticker=sticker)}
    return _numbered(update, update_id)


def edited_update(chat_id: int, text: str, *, update_id: int | None = None) -> dict:
    message = _message(chat_id, text=text)
    message["edit_date"] = int(time.time())
    update = {"edited_message": message}
    return _numbered(update, update_id)


def callback_update(chat_id: int, data: str, *, update_id: int | None = None) -> dict:
    query = {
        "id": f"cq{next(_ids)}",
        "from": _user(chat_id, "en"),
        "chat_instance": "ci",
        "data": data,
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": "earlier",
        },
    }
    update = {"callback_query": query}
    return _numbered(update, update_id)


def blocked_update(chat_id: int, *, update_id: int | None = None) -> dict:
    member = {
        "chat": {"id": chat_id, "type": "private"},
        "from": _user(chat_id, "en"),
        "date": int(time.time()),
        "old_chat_member": {
            "user": {"id": 1, "is_bot": True, "first_name": "City"},
            "status": "member",
        },
        "new_chat_member": {
            "user": {"id": 1, "is_bot": True, "first_name": "City"},
            "status": "kicked",
            "until_date": 0,
        },
    }
    update = {"my_chat_member": member}
    return _numbered(update, update_id)
