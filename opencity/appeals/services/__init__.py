"""Writes on appeals; callers use ``from opencity.appeals import services``.

By job: ``intake`` (filing), ``routing``, ``deadlines`` (the clock), ``transitions`` (the
state machine as data), ``dispatch`` / ``work`` / ``residents`` / ``comments`` (the lifecycle
actions), ``notices`` (who is told), ``support`` ("me too"), ``photos``, ``sweeps``.
"""

from opencity.appeals.services.comments import appeal_comment, appeal_photo_attach
from opencity.appeals.services.deadlines import appeal_deadline_refresh
from opencity.appeals.services.dispatch import (
    appeal_decline,
    appeal_merge,
    appeal_moderate,
    appeal_reroute,
    appeal_return_to_dispatch,
    appeal_set_priority,
)
from opencity.appeals.services.intake import appeal_create, appeal_filer
from opencity.appeals.services.numbering import appeal_number_next
from opencity.appeals.services.residents import appeal_cancel, appeal_confirm, appeal_reject
from opencity.appeals.services.routing import appeal_route
from opencity.appeals.services.support import appeal_followers, appeal_support
from opencity.appeals.services.sweeps import appeals_auto_close, appeals_mark_overdue
from opencity.appeals.services.transitions import TRANSITIONS, Transition, appeal_allowed_actions
from opencity.appeals.services.work import (
    appeal_accept,
    appeal_answer,
    appeal_ask,
    appeal_assign,
    appeal_resolve,
    appeal_start,
)

__all__ = [
    "TRANSITIONS",
    "Transition",
    "appeal_accept",
    "appeal_allowed_actions",
    "appeal_answer",
    "appeal_ask",
    "appeal_assign",
    "appeal_cancel",
    "appeal_comment",
    "appeal_confirm",
    "appeal_create",
    "appeal_deadline_refresh",
    "appeal_filer",
    "appeal_decline",
    "appeal_followers",
    "appeal_merge",
    "appeal_moderate",
    "appeal_number_next",
    "appeal_photo_attach",
    "appeal_reject",
    "appeal_reroute",
    "appeal_resolve",
    "appeal_return_to_dispatch",
    "appeal_route",
    "appeal_set_priority",
    "appeal_start",
    "appeal_support",
    "appeals_auto_close",
    "appeals_mark_overdue",
]
