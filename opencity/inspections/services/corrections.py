"""Correcting a signed act: a new draft version of the same inspection's act, copied whole, with
the reason; the signed version stays as it is (superseded once the correction is signed, and
readable always). See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.inspections import events
from opencity.inspections.models import (
    Act,
    ActElement,
    ActMember,
    ActStatus,
    ActWorkCheck,
    Defect,
    WorkNeeded,
)
from opencity.inspections.permissions import act_can_edit


def _copy(row, **changes):
    row.pk = None
    row.id = None
    for name, value in changes.items():
        setattr(row, name, value)
    row.save(force_insert=True)
    return row


@transaction.atomic
def act_correct(*, act: Act, actor, reason: str, now=None) -> Act:
    """Start a correction of a signed act: a new draft version of the inspection's act with
    everything the signed one holds and the reason; the signed one stays as it is until the
    correction is signed, and readable after."""
    now = now or timezone.now()
    if not act_can_edit(user=actor, act=act):
        raise PermissionDenied(
            _("Only the management company's managers and inspectors fill its acts.")
        )
    act = Act.objects.select_for_update().get(pk=act.pk)
    if act.status != ActStatus.SIGNED:
        raise Conflict(
            _("Only the signed, current version of an act is corrected; a draft is edited.")
        )
    reason = reason.strip()
    if not reason:
        message = _("Say why the act is corrected.")
        raise Invalid(message, errors={"reason": [message]})
    if Act.objects.filter(inspection_id=act.inspection_id, status=ActStatus.DRAFT).exists():
        raise Conflict(_("A correction of this act is being filled already: continue it."))
    source = Act.objects.get(pk=act.pk)
    draft = _copy(
        source,
        version=act.version + 1,
        corrects=act,
        correction_reason=reason[:1000],
        status=ActStatus.DRAFT,
        signed_by=None,
        signed_at=None,
        created_by=actor,
        created_at=now,
    )
    for member in ActMember.objects.filter(act=act):
        _copy(member, act=draft)
    for act_element in ActElement.objects.filter(act=act).prefetch_related("parts__signs"):
        parts = list(act_element.parts.all())
        new_element = _copy(act_element, act=draft)
        for part in parts:
            signs = list(part.signs.all())
            _copy(part, act_element=new_element).signs.set(signs)
    defects = {}
    for defect in Defect.objects.filter(act=act).prefetch_related("photos"):
        photos = list(defect.photos.all())
        old_id = defect.pk
        defects[old_id] = _copy(defect, act=draft)
        for photo in photos:
            _copy(photo, defect=defects[old_id])
    for work in WorkNeeded.objects.filter(act=act):
        _copy(work, act=draft, defect=defects.get(work.defect_id))
    for check in ActWorkCheck.objects.filter(act=act):
        _copy(check, act=draft)
    events.act_corrected(act=draft, actor=actor, corrects_id=act.pk, reason=reason)
    return draft
