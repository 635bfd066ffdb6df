"""Writes on appeals; callers use ``from opencity.appeals import services``."""

from opencity.appeals.services.deadlines import appeal_deadline_refresh
from opencity.appeals.services.intake import appeal_create, resident_find_or_create_by_phone
from opencity.appeals.services.lifecycle import *  # noqa: F403
from opencity.appeals.services.lifecycle import __all__ as _lifecycle_all
from opencity.appeals.services.numbering import appeal_number_next
from opencity.appeals.services.routing import appeal_route
from opencity.appeals.services.support import appeal_followers, appeal_support
from opencity.appeals.services.sweeps import appeals_auto_close, appeals_mark_overdue

__all__ = [
    "appeal_create",
    "appeal_deadline_refresh",
    "appeal_followers",
    "appeal_number_next",
    "appeal_route",
    "appeal_support",
    "appeals_auto_close",
    "appeals_mark_overdue",
    "resident_find_or_create_by_phone",
    *_lifecycle_all,
]
