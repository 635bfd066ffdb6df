"""The management company's work items after an act: its staff mark them done or not done
(the next inspection's findings are applied when its act is signed, see signing.py).

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.inspections import events
from opencity.inspections.models import WorkItem, WorkItemStatus
from opencity.inspections.permissions import work_item_can_mark

MARKS = (WorkItemStatus.DONE, WorkItemStatus.NOT_DONE, WorkItemStatus.PLANNED)


@transaction.atomic
def work_item_mark(*, item: WorkItem, actor, status: str, note: str = "", now=None) -> WorkItem:
    """Mark a work item done or not done (or planned again), with a note."""
    now = now or timezone.now()
    if not work_item_can_mark(user=actor, item=item):
        raise PermissionDenied(_("Only the management company's staff mark its work items."))
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    if item.status == WorkItemStatus.CANCELLED:
        raise Conflict(_("This work item was withdrawn by a correction of its act."))
    if status not in MARKS:
        message = _("Mark the work done, not done or planned.")
        raise Invalid(message, errors={"status": [message]})
    before = item.status
    item.status = status
    item.status_note = note.strip()[:1000]
    item.status_changed_at = now
    item.status_changed_by = actor
    item.save()
    events.work_item_marked(
        item=item, actor=actor, from_status=before, to_status=status, note=item.status_note, at=now
    )
    return item
