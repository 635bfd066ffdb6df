"""Staff pages of appeals: the dispatcher console, phone intake, the organisation workspace.

Every view is thin: parse a small form, call a selector or a service, render. Permissions
are checked by staff_required (the role) and by the selectors and services (the appeal).
"""

from opencity.appeals.views.staff.actions import (
    appeal_action,
    appeal_actions,
    staff_detail,
    staff_photo,
    staff_photo_review,
)
from opencity.appeals.views.staff.intake import intake_buildings, intake_context, phone_intake
from opencity.appeals.views.staff.lists import my_tasks, organisation_queue, queue, queue_bulk

__all__ = [
    "appeal_action",
    "appeal_actions",
    "intake_buildings",
    "intake_context",
    "my_tasks",
    "organisation_queue",
    "phone_intake",
    "queue",
    "queue_bulk",
    "staff_detail",
    "staff_photo",
    "staff_photo_review",
]
