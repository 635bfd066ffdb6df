"""The chat bot's part of other apps' pages (the profile's Telegram section), by template tag.

A template names the tag, not the module: the apps below the chat bot do not import it.
"""

from django import template

from opencity.chatbot.telegram.linking import telegram_bot_for, telegram_linked_chat

register = template.Library()


@register.inclusion_tag("chatbot/partials/profile_telegram.html")
def telegram_profile_section(user):
    """The profile's Telegram section: linked or not, and the way to link; nothing without a bot."""
    bot = telegram_bot_for(municipality_id=user.municipality_id) if user.municipality_id else None
    return {"bot": bot, "linked": telegram_linked_chat(user=user) if bot else None}
