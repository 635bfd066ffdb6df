"""Template tags other apps' pages use to show the bot's part (the staff appeal page)."""

from django import template

from opencity.chatbot.selectors import dialog_transcript_for_appeal

register = template.Library()


@register.inclusion_tag("chatbot/partials/appeal_dialog.html")
def appeal_dialog(appeal):
    """The dialog in which the resident filed the appeal through the bot (staff only)."""
    lines = dialog_transcript_for_appeal(appeal=appeal) if appeal.channel == "chatbot" else []
    return {"lines": lines}
