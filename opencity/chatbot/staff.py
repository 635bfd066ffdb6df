"""The chat bot's pages for staff: its statistics (analysts and municipal admins).

The dialog that filed an appeal is shown on the appeal's staff page by the template tag
`appeal_dialog` (templatetags/chatbot.py), so that appeals need not import the bot.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opencity.accounts.models import Role
from opencity.accounts.permissions import staff_required
from opencity.chatbot import selectors
from opencity.chatbot.flow import FLOWS
from opencity.chatbot.models import Channel
from opencity.core.web import municipality_of

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30


@staff_required(Role.ANALYST, Role.MUNICIPAL_ADMIN)
@require_GET
def stats(request):
    """Users, active users, dialogs started and finished, appeals, and where people drop off."""
    municipality = municipality_of(request)
    try:
        days = int(request.GET.get("days", DEFAULT_PERIOD))
    except ValueError:
        days = DEFAULT_PERIOD
    days = days if days in PERIODS else DEFAULT_PERIOD
    figures = selectors.chatbot_figures(
        municipality=municipality, since=timezone.now() - dt.timedelta(days=days)
    )
    flows = [
        {
            "label": FLOWS[f.flow].label if f.flow in FLOWS else f.flow,
            "figures": f,
            "stopped_at": [
                (_state_label(f.flow, state), count) for state, count in f.stopped_at[:3]
            ],
        }
        for f in figures.flows
    ]
    return render(
        request,
        "chatbot/stats.html",
        {
            "figures": figures,
            "flows": flows,
            "channels": [(label, figures.chats.get(value, 0)) for value, label in Channel.choices],
            "chats": sum(figures.chats.values()),
            "periods": PERIODS,
            "days": days,
        },
    )


def _state_label(flow: str, state: str) -> str:
    # The states are the flows' own names (category, place, description…): shown as they are.
    return state.replace("_", " ")
