"""Reads of the chat bot: information answers and their search, a chat's transcript, and the
figures of the statistics page.

See docs/subsystems/chatbot.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from opencity.appeals.models import Appeal
from opencity.appeals.models import Channel as AppealChannel
from opencity.chatbot.models import ChatIdentity, Dialog, DialogMessage, InfoAnswer
from opencity.core.models import Municipality

SEARCH_LIMIT = 5


def _fold(text: str) -> str:
    return (text or "").casefold().replace("ё", "е")


def info_answer_list(*, municipality: Municipality, kind: str = "") -> list[InfoAnswer]:
    """Return the city's active answers (of one kind, when given) in their order."""
    qs = InfoAnswer.objects.filter(municipality=municipality, is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("kind", "order", "question"))


def info_answer_get(*, municipality: Municipality, pk: int) -> InfoAnswer | None:
    return InfoAnswer.objects.filter(municipality=municipality, is_active=True, pk=pk).first()


def info_answer_search(
    *, municipality: Municipality, query: str, limit: int = SEARCH_LIMIT
) -> list[InfoAnswer]:
    """Return the answers whose question, keywords or answer share the most words with the query."""
    # Word stems (the first five letters) so that "показания" finds "показаний"; the question
    # and keywords weigh more than the answer's text.
    words = [w for w in _fold(query).replace(",", " ").replace("?", " ").split() if len(w) >= 3]
    stems = {w[:5] for w in words[:10]}
    if not stems:
        return []
    scored = []
    for answer in info_answer_list(municipality=municipality):
        head = _fold(f"{answer.question} {answer.keywords}")
        body = _fold(answer.answer)
        score = sum(2 if stem in head else 1 if stem in body else 0 for stem in stems)
        if score:
            scored.append((-score, answer.order, answer.pk, answer))
    scored.sort(key=lambda row: row[:3])
    best = -scored[0][0] if scored else 0
    # Only the answers as good as half the best: one clear match stays alone.
    return [row[3] for row in scored if -row[0] * 2 >= best][:limit]


def chat_transcript(*, identity: ChatIdentity, limit: int = 60) -> list[DialogMessage]:
    """Return the chat's last lines over all its dialogs, oldest first."""
    rows = list(
        DialogMessage.objects.filter(dialog__identity=identity).order_by("-at", "-id")[:limit]
    )
    return rows[::-1]


def dialog_transcript_for_appeal(*, appeal) -> list[DialogMessage]:
    """Return the lines of the dialog that filed the appeal (for its staff page), oldest first."""
    return list(
        DialogMessage.objects.filter(
            municipality_id=appeal.municipality_id, dialog__appeal_id=appeal.pk
        ).order_by("at", "id")
    )


def dialog_dropoffs(*, municipality: Municipality, since=None) -> list[dict]:
    """Count the dialogs per flow by how they ended and, for those not finished, the state left."""
    # A dialog reset after a pause or left for the menu stopped at its `state`: where people
    # drop off. Finished ones count as done.
    qs = Dialog.objects.filter(municipality=municipality)
    if since is not None:
        qs = qs.filter(started_at__gte=since)
    return list(
        qs.values("flow", "outcome", "state").annotate(count=Count("id")).order_by("flow", "-count")
    )


@dataclass(frozen=True)
class FlowFigures:
    flow: str
    started: int
    done: int
    cancelled: int
    timed_out: int
    open: int
    # Where the dialogs that did not finish stopped: (state, count), the most first.
    stopped_at: list[tuple[str, int]]

    @property
    def done_share(self) -> int | None:
        return round(100 * self.done / self.started) if self.started else None


@dataclass(frozen=True)
class BotFigures:
    since: dt.datetime
    chats: dict[str, int]  # channel -> chats ever
    linked: int  # chats linked to an account
    active: int  # chats that wrote in the period
    started: int
    finished: int
    appeals: int  # filed through the bot in the period
    flows: list[FlowFigures]


def chatbot_figures(*, municipality: Municipality, since: dt.datetime) -> BotFigures:
    """Return the bot's figures since a moment: chats, active chats, dialogs, appeals, drop-offs."""
    chats = dict(
        ChatIdentity.objects.filter(municipality=municipality)
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    linked = ChatIdentity.objects.filter(municipality=municipality, user__isnull=False).count()
    active = (
        DialogMessage.objects.filter(
            municipality=municipality, direction=DialogMessage.Direction.IN, at__gte=since
        )
        .values("dialog__identity_id")
        .distinct()
        .count()
    )
    rows = dialog_dropoffs(municipality=municipality, since=since)
    by_flow: dict[str, dict] = {}
    for row in rows:
        flow = by_flow.setdefault(row["flow"], {"outcomes": {}, "stopped": {}})
        outcome = row["outcome"] or "open"
        flow["outcomes"][outcome] = flow["outcomes"].get(outcome, 0) + row["count"]
        if outcome != Dialog.Outcome.DONE:
            flow["stopped"][row["state"]] = flow["stopped"].get(row["state"], 0) + row["count"]
    flows = [
        FlowFigures(
            flow=name,
            started=sum(data["outcomes"].values()),
            done=data["outcomes"].get(Dialog.Outcome.DONE, 0),
            cancelled=data["outcomes"].get(Dialog.Outcome.CANCELLED, 0),
            timed_out=data["outcomes"].get(Dialog.Outcome.TIMED_OUT, 0),
            open=data["outcomes"].get("open", 0),
            stopped_at=sorted(data["stopped"].items(), key=lambda item: (-item[1], item[0])),
        )
        for name, data in sorted(by_flow.items())
    ]
    return BotFigures(
        since=since,
        chats=chats,
        linked=linked,
        active=active,
        started=sum(f.started for f in flows),
        finished=sum(f.done for f in flows),
        appeals=Appeal.objects.filter(
            municipality=municipality, channel=AppealChannel.CHATBOT, created_at__gte=since
        ).count(),
        flows=flows,
    )
