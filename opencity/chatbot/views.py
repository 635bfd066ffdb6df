"""The web chat: the bot's flows on the site, for signed-in residents and for guests.

Each page view renders the chat's transcript from the database; each message (text, a button,
a location from the browser, a photo) is one `dialog_handle` call, answered with the thread
again (an htmx fragment, or a redirect back to the page without JavaScript). A signed-in
resident's chat is keyed by their account, a guest's by a random key in their session.
See docs/subsystems/chatbot.md.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from opencity.chatbot import selectors
from opencity.chatbot.engine import dialog_handle
from opencity.chatbot.messages import Attachment, Incoming, Location
from opencity.chatbot.models import Channel, ChatIdentity, DialogMessage
from opencity.core.web import is_htmx, municipality_of, require_local

SESSION_KEY = "chatbot_web_key"
MAX_TEXT = 4000
MAX_FILES = 5


def _identity(request) -> ChatIdentity:
    """Return the chat of this resident (by account) or guest (by session), creating it."""
    municipality = municipality_of(request)
    if request.user.is_authenticated:
        require_local(request)
        key, user = f"user-{request.user.pk}", request.user
    else:
        session_key = request.session.get(SESSION_KEY)
        if not session_key:
            session_key = request.session[SESSION_KEY] = secrets.token_urlsafe(18)
        key, user = f"guest-{session_key}", None
    language = translation.get_language()
    identity, created = ChatIdentity.objects.get_or_create(
        municipality=municipality,
        channel=Channel.WEB,
        external_id=key,
        defaults={"user": user, "locale": language},
    )
    if not created and identity.locale != language:
        # The site's language switch speaks for the web chat too.
        identity.locale = language
        identity.save(update_fields=["locale"])
    return identity


def _context(identity: ChatIdentity) -> dict:
    lines = selectors.chat_transcript(identity=identity)
    # The buttons of the bot's last answer only: the lines after the user's last one.
    last_in = max(
        (i for i, m in enumerate(lines) if m.direction == DialogMessage.Direction.IN), default=-1
    )
    answer = [m for m in lines[last_in + 1 :] if m.direction == DialogMessage.Direction.OUT]
    wants = {key for m in answer for key, value in (m.extra or {}).items() if value}
    offered = next((m.extra["offer_text"] for m in answer if (m.extra or {}).get("offer_text")), "")
    # The commands that opened the chat ("/start") are the channel's, not the resident's words.
    lines = [
        m
        for m in lines
        if not (m.direction == DialogMessage.Direction.IN and m.text.startswith("/"))
    ]
    return {
        "lines": lines,
        "live": {m.pk for m in answer},
        "wants_location": "request_location" in wants,
        "wants_photos": "accept_photos" in wants,
        "wants_contact": "request_contact" in wants,
        "offered_text": offered,
    }


@require_GET
def chat_page(request):
    identity = _identity(request)
    if not DialogMessage.objects.filter(dialog__identity=identity).exists():
        dialog_handle(identity=identity, incoming=Incoming(text="/start"))
    return render(request, "chatbot/chat.html", _context(identity))


def _float(value: str, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _incoming(request) -> Incoming | None:
    """Translate the posted form into what the engine reads (None when nothing usable came)."""
    post = request.POST
    if post.get("button"):
        return Incoming(button=post["button"][:64])
    lat, lon = _float(post.get("lat"), -90, 90), _float(post.get("lon"), -180, 180)
    if lat is not None and lon is not None:
        return Incoming(location=Location(latitude=lat, longitude=lon))
    limit = int(getattr(settings, "APPEAL_PHOTO_MAX_BYTES", 10 * 1024 * 1024))
    attachments = tuple(
        # One byte past the limit is enough for the photo check to refuse it by size.
        Attachment(
            content=upload.read(limit + 1),
            filename=(upload.name or "photo.jpg")[:100],
            content_type=upload.content_type or "",
        )
        for upload in request.FILES.getlist("photo")[:MAX_FILES]
    )
    text = post.get("text", "").strip()[:MAX_TEXT]
    if attachments:
        return Incoming(text=text, attachments=attachments)
    if text:
        return Incoming(text=text)
    return None


@require_POST
def chat_send(request):
    identity = _identity(request)
    incoming = _incoming(request)
    status = 200
    if incoming is not None:
        dialog_handle(identity=identity, incoming=incoming)
    else:
        status = 422  # an empty message: the thread as it was
    if identity.locale and identity.locale != translation.get_language():
        translation.activate(identity.locale)  # the bot's language switch speaks for the site
    if is_htmx(request):
        response = render(
            request, "chatbot/partials/thread.html", _context(identity), status=status
        )
    else:
        response = redirect("chatbot:chat")
    if identity.locale:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, identity.locale, samesite="Lax")
    return response
