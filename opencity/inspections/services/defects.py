"""What an act finds and calls for: defects with their place, size, photos and urgency; the works
needed with their kind and deadline; and the findings on earlier inspections' work items.

Every write refuses a signed act. See docs/subsystems/inspections.md.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.appeals.services.photos import EXTENSIONS, photo_validate
from opencity.core.errors import Invalid
from opencity.inspections import events
from opencity.inspections.models import (
    Act,
    ActWorkCheck,
    Defect,
    DefectPhoto,
    DefectPlace,
    DefectUrgency,
    Element,
    FacadeSide,
    SizeUnit,
    WorkItem,
    WorkItemStatus,
    WorkKind,
    WorkNeeded,
)
from opencity.inspections.selectors.acts import defect_appeal_rule_for
from opencity.inspections.services.acts import act_ensure_editable, element_resolve

MAX_PHOTOS = 10
PHOTO_DIR = "inspections/defects"


def _refuse(field: str, message: str) -> Invalid:
    return Invalid(message, errors={field: [message]})


def _next_order(rows) -> int:
    return (rows.aggregate(m=Max("order"))["m"] or 0) + 1


def _place_check(
    *, place: str, entrance_number, floor, apartment_number: str, facade_side: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if place not in DefectPlace.values:
        errors["place"] = [_("Choose where the defect is.")]
    elif place == DefectPlace.ENTRANCE and not entrance_number:
        errors["entrance_number"] = [_("Give the entrance's number.")]
    elif place == DefectPlace.FLOOR and floor is None:
        errors["floor"] = [_("Give the storey.")]
    elif place == DefectPlace.APARTMENT and not apartment_number.strip():
        errors["apartment_number"] = [_("Give the apartment's number.")]
    elif place == DefectPlace.FACADE and not facade_side:
        errors["facade_side"] = [_("Choose the side of the facade.")]
    if facade_side and facade_side not in FacadeSide.values:
        errors["facade_side"] = [_("Choose the side of the facade.")]
    return errors


def key_parse(value) -> uuid.UUID | None:
    """A client's key of a defect, work or photo (a UUID it made offline), or None; a key that is
    not a UUID is refused."""
    if value in (None, ""):
        return None
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise _refuse("key", _("The key is not a UUID.")) from None


def _photo_store(*, defect: Defect, upload, actor, now, key=None) -> DefectPhoto:
    content_type = photo_validate(upload=upload)
    name = f"{PHOTO_DIR}/{now:%Y/%m}/{secrets.token_urlsafe(16)}{EXTENSIONS[content_type]}"
    upload.seek(0)
    stored = default_storage.save(name, ContentFile(upload.read()))
    return DefectPhoto.objects.create(
        municipality_id=defect.municipality_id,
        defect=defect,
        key=key,
        file=stored,
        content_type=content_type,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=now,
    )


def _create_once(model, *, lookup: dict, fields: dict):
    """Create the row with its client key, or return the one a retry of the same key made: a
    savepoint takes the race of two retries arriving at once (the unique key decides)."""
    try:
        with transaction.atomic():
            return model.objects.create(**lookup, **fields), True
    except IntegrityError:
        existing = model.objects.filter(**lookup).first()
        if existing is None:
            raise
        return existing, False


def defect_problems(
    *,
    act: Act,
    element: str,
    place: str,
    description: str,
    urgency: str,
    entrance_number: int | None = None,
    floor: int | None = None,
    apartment_number: str = "",
    facade_side: str = "",
    size: Decimal | None = None,
    size_unit: str = "",
    photos: Sequence = (),
) -> tuple[Element | None, dict[str, list[str]]]:
    """What is wrong with a defect as given, by field (nothing: {}), and its element's row; a
    form with input it could not even read asks this to show every other problem at once."""
    try:
        element_row = element_resolve(act=act, code=element)
    except Invalid as error:
        element_row = None
        element_errors = error.errors or {"element": [error.message]}
    else:
        element_errors = {}
    errors = _place_check(
        place=place,
        entrance_number=entrance_number,
        floor=floor,
        apartment_number=apartment_number,
        facade_side=facade_side,
    )
    errors.update(element_errors)
    if not (description or "").strip():
        errors["description"] = [_("Describe the defect.")]
    if urgency not in DefectUrgency.values:
        errors["urgency"] = [_("Choose how urgent the defect is.")]
    elif urgency == DefectUrgency.URGENT and (
        defect_appeal_rule_for(municipality_id=act.municipality_id, element_code=element) is None
    ):
        errors["urgency"] = [
            _(
                "No appeal category is set for urgent defects of “%(element)s”: a municipal admin "
                "maps it, or record the defect as a planned repair."
            )
            % {"element": element_row.name if element_row else element}
        ]
    if size is not None and size <= 0:
        errors["size"] = [_("The size is greater than zero.")]
    if size is not None and size_unit not in SizeUnit.values:
        errors["size_unit"] = [_("Choose the unit of the size.")]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS}]
    return element_row, errors


@transaction.atomic
def defect_add(
    *,
    act: Act,
    actor,
    element: str,
    place: str,
    description: str,
    urgency: str = DefectUrgency.NORMAL,
    entrance_number: int | None = None,
    floor: int | None = None,
    apartment_number: str = "",
    facade_side: str = "",
    size: Decimal | None = None,
    size_unit: str = "",
    photos: Sequence = (),
    key=None,
    now=None,
) -> Defect:
    """Record a defect of an element where it is, how large, how urgent, with its photos; an
    urgent one needs an appeal category for its element (it becomes an appeal when signed).

    With `key` (a UUID the client made, e.g. offline) the defect is created once: a retry of the
    same key returns the defect the first one made."""
    now = now or timezone.now()
    act_ensure_editable(act=act, actor=actor)
    key = key_parse(key)
    if key is not None:
        existing = Defect.objects.filter(act=act, key=key).first()
        if existing is not None:
            return existing
    element_row, errors = defect_problems(
        act=act,
        element=element,
        place=place,
        description=description,
        urgency=urgency,
        entrance_number=entrance_number,
        floor=floor,
        apartment_number=apartment_number,
        facade_side=facade_side,
        size=size,
        size_unit=size_unit,
        photos=photos,
    )
    description = (description or "").strip()
    if errors:
        raise Invalid(_("Please correct the defect."), errors=errors)
    defect, created = _create_once(
        Defect,
        lookup={"act": act, "key": key or uuid.uuid4()},
        fields={
            "municipality_id": act.municipality_id,
            "element": element_row,
            "place": place,
            "entrance_number": entrance_number,
            "floor": floor,
            "apartment_number": apartment_number.strip()[:16],
            "facade_side": facade_side,
            "description": description,
            "size": size,
            "size_unit": size_unit if size is not None else "",
            "urgency": urgency,
            "order": _next_order(Defect.objects.filter(act=act)),
        },
    )
    if not created:
        return defect
    for upload in photos:
        _photo_store(defect=defect, upload=upload, actor=actor, now=now)
    events.defect_added(act=act, actor=actor, defect_id=defect.pk, element=element, urgency=urgency)
    return defect


@transaction.atomic
def defect_photo_add(*, defect: Defect, actor, upload, key=None, now=None) -> DefectPhoto:
    """Attach one more photo to a defect of a draft act (a phone sends them one by one); with
    `key` (the client's UUID of the photo) a retried upload returns the photo stored first."""
    act_ensure_editable(act=defect.act, actor=actor)
    key = key_parse(key)
    if key is not None:
        existing = DefectPhoto.objects.filter(defect=defect, key=key).first()
        if existing is not None:
            return existing
    if defect.photos.count() >= MAX_PHOTOS:
        raise _refuse("photos", _("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS})
    return _photo_store(
        defect=defect, upload=upload, actor=actor, now=now or timezone.now(), key=key
    )


@transaction.atomic
def defect_remove(*, defect: Defect, actor) -> None:
    """Remove a defect (and the works for it) from a draft act."""
    act = defect.act
    act_ensure_editable(act=act, actor=actor)
    defect_id = defect.pk
    defect.delete()
    events.defect_removed(act=act, actor=actor, defect_id=defect_id)


@transaction.atomic
def work_add(
    *,
    act: Act,
    actor,
    kind: str,
    description: str,
    deadline: dt.date,
    defect: Defect | None = None,
    element: str | None = None,
    key=None,
) -> WorkNeeded:
    """Add a work the act calls for, of a kind, by a deadline, for a defect or an element; with
    `key` (the client's UUID) a retry returns the work the first one made."""
    act_ensure_editable(act=act, actor=actor)
    key = key_parse(key)
    if key is not None:
        existing = WorkNeeded.objects.filter(act=act, key=key).first()
        if existing is not None:
            return existing
    errors: dict[str, list[str]] = {}
    if kind not in WorkKind.values:
        errors["kind"] = [_("Choose the kind of work.")]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Say what is to be done.")]
    if deadline is None or deadline < act.inspected_on:
        errors["deadline"] = [_("The deadline comes after the inspection.")]
    if defect is not None and defect.act_id != act.pk:
        errors["defect"] = [_("Choose a defect of this act.")]
    if errors:
        raise Invalid(_("Please correct the work."), errors=errors)
    element_row = None
    if element:
        element_row = element_resolve(act=act, code=element)
    elif defect is not None:
        element_row = defect.element
    work, created = _create_once(
        WorkNeeded,
        lookup={"act": act, "key": key or uuid.uuid4()},
        fields={
            "municipality_id": act.municipality_id,
            "defect": defect,
            "element": element_row,
            "kind": kind,
            "description": description,
            "deadline": deadline,
            "order": _next_order(WorkNeeded.objects.filter(act=act)),
        },
    )
    if created:
        events.work_added(act=act, actor=actor, work_id=work.pk, kind=kind, deadline=deadline)
    return work


@transaction.atomic
def work_remove(*, work: WorkNeeded, actor) -> None:
    """Remove a work from a draft act."""
    act = work.act
    act_ensure_editable(act=act, actor=actor)
    work_id = work.pk
    work.delete()
    events.work_removed(act=act, actor=actor, work_id=work_id)


@transaction.atomic
def work_check(*, act: Act, actor, item: WorkItem, status: str, note: str = "") -> ActWorkCheck:
    """Record what the inspector found of an earlier inspection's work item: done or not; the
    item takes it when the act is signed."""
    act_ensure_editable(act=act, actor=actor)
    if item.building_id != act.building_id or item.inspection_id == act.inspection_id:
        raise _refuse("work_item", _("Choose a work item of this building's earlier inspections."))
    if status not in (WorkItemStatus.DONE, WorkItemStatus.NOT_DONE):
        raise _refuse("status", _("Mark the work done or not done."))
    check, _created = ActWorkCheck.objects.update_or_create(
        act=act,
        work_item=item,
        defaults={
            "municipality_id": act.municipality_id,
            "status": status,
            "note": note.strip()[:1000],
        },
    )
    events.work_checked(act=act, actor=actor, item_id=item.pk, status=status, note=check.note)
    return check
