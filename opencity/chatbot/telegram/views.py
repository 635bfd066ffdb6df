"""The Telegram channel's pages: the webhook and the resident's "link my Telegram" page."""

from __future__ import annotations

import hmac
import json
import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from opencity.chatbot.models import TelegramBot
from opencity.chatbot.telegram.linking import (
    telegram_bot_for,
    telegram_link_create,
    telegram_link_url,
    telegram_linked_chat,
)
from opencity.chatbot.telegram.process import telegram_update_process

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@csrf_exempt  # Telegram has no CSRF token; the secret header authenticates it
@require_POST
def telegram_webhook(request, slug: str):
    """Take one update from Telegram: 403 without the secret, else always 200, fast."""
    bot = TelegramBot.objects.filter(municipality__slug=slug, active=True).first()
    if bot is None:
        return HttpResponseNotFound()
    secret = request.headers.get(SECRET_HEADER, "")
    if not bot.webhook_secret or not hmac.compare_digest(
        secret.encode(), bot.webhook_secret.encode()
    ):
        logger.warning("telegram: webhook call for %s without the right secret", slug)
        return HttpResponseForbidden()
    try:
        data = json.loads(request.body)
    except ValueError:
        logger.warning("telegram: webhook body is not JSON: %.200r", request.body)
        return HttpResponse(status=200)
    telegram_update_process(bot=bot, data=data)
    return HttpResponse(status=200)


@login_required
@never_cache
def telegram_link(request):
    """Show the resident a one-time deep link that links their Telegram chat to the account."""
    bot = telegram_bot_for(municipality_id=request.user.municipality_id)
    context = {"bot": bot, "linked": telegram_linked_chat(user=request.user)}
    if bot is not None and bot.username and request.method == "POST":
        context["link"] = telegram_link_url(bot=bot, token=telegram_link_create(user=request.user))
    return render(request, "chatbot/telegram_link.html", context)
