"""Reads of the chat bot: information answers and their search, a chat's transcript.

See docs/subsystems/chatbot.md.
"""

from __future__ import annotations

from django.db.models import Count

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
