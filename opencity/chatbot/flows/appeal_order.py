"""Filing an appeal: the order of its steps, and which of them a filing skips."""

from __future__ import annotations

from opencity.appeals import selectors as appeal_selectors
from opencity.buildings.selectors import building_get_brief
from opencity.chatbot.flow import Step, Turn, goto

# The states of the filing in order; "group" (the categories of one group) is a side step.
ORDER = (
    "category",
    "place",
    "outage",
    "similar",
    "apartment",
    "description",
    "question",
    "photos",
    "contact",
    "confirm",
)


def category_of(turn: Turn):
    """Return the category being filed under (None when it has gone since)."""
    code = turn.data.get("category", "")
    return appeal_selectors.category_get_leaf(municipality=turn.municipality, code=code)


def building_of(turn: Turn):
    pk = turn.data.get("building")
    return building_get_brief(municipality=turn.municipality, pk=pk) if pk else None


def _skipped(turn: Turn, state: str) -> bool:
    data = turn.data
    category = category_of(turn)
    if state == "outage":
        return not data.get("outages")
    if state == "similar":
        return not data.get("similar")
    if state == "apartment":
        return category is None or not category.needs_building
    if state == "question":
        return category is None or not appeal_selectors.category_questions(category=category)
    if state == "contact":
        return turn.user is not None
    return False


def next_after(turn: Turn, state: str, *messages) -> Step:
    """Go to the first step after `state` that this filing needs."""
    for following in ORDER[ORDER.index(state) + 1 :]:
        if not _skipped(turn, following):
            if following == "question":
                turn.data["q"] = 0
            return goto(following, *messages)
    return goto("confirm", *messages)
