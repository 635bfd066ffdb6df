"""The acts API: read an act (its public part, or whole for its company's staff and the city's
readers), start one from an inspection, fill it (commission, elements, override, defects and
their photos, works, checks of earlier work items), see its live wear, sign it, correct it.

Thin: every write is an inspections service, every refusal the API's one error body.
See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, UploadedFile
from ninja import Status as Reply

from opencity.accounts.api_auth import ANYONE, AUTHENTICATED
from opencity.accounts.models import User
from opencity.core.api_context import municipality_of, signed_in
from opencity.core.api_errors import responses
from opencity.core.errors import NotFound
from opencity.inspections import selectors, services
from opencity.inspections.models import Defect, DefectPhoto, WorkItem, WorkNeeded
from opencity.inspections.schemas.acts import (
    ActCheckOut,
    ActMemberOut,
    ActOut,
    ActPage,
    ActPublicOut,
    ActStartIn,
    ActUpdateIn,
    CheckIn,
    CommissionIn,
    CorrectIn,
    DefectIn,
    DefectOut,
    DefectPhotoOut,
    Id,
    LiveWearOut,
    ObservedOut,
    ObserveIn,
    OverrideIn,
    WorkIn,
    WorkNeededOut,
)
from opencity.inspections.schemas.output import (
    act_brief_out,
    act_out,
    defect_out,
    element_out,
    live_wear_out,
    photo_out,
    work_out,
)

router = Router(tags=["inspections"])
ActAny = ActOut | ActPublicOut


class ActListParams(Schema):
    building: Id | None = None
    inspection: Id | None = None
    offset: int = 0
    limit: int = 50

    def model_post_init(self, _context):
        self.offset = max(0, min(self.offset, 10**6))
        self.limit = max(1, min(self.limit, 200))


def _act(request, act_id: int):
    return selectors.act_get(user=request.user, municipality=municipality_of(request), pk=act_id)


def _editable(request, act_id: int):
    return selectors.act_get_for_edit(
        user=signed_in(request), municipality=municipality_of(request), pk=act_id
    )


def _answer(request, act_id: int, status: int = 200):
    act, full = _act(request, act_id)
    return Reply(status, act_out(request, act, full=full))


def _user(request, user_id: int | None):
    if user_id is None:
        return None
    user = User.objects.filter(municipality=municipality_of(request), pk=user_id).first()
    if user is None:
        raise NotFound(_("There is no such user."))
    return user


def _own(request, model, pk: int, *, act_field: str):
    """A row of an act the caller fills (a defect, a work, a photo's defect)."""
    row = model.objects.filter(municipality=municipality_of(request), pk=pk).first()
    if row is None:
        raise NotFound(_("Nothing is found at this address."))
    _editable(request, getattr(row, act_field))
    return row


# --- reads ------------------------------------------------------------------------------------


@router.get("/acts", response=responses({200: ActPage}, 404), **ANYONE, summary="List acts")
def act_list(request, params: Query[ActListParams]):
    """Signed acts for anyone; the caller's company's drafts too. Latest inspection first."""
    municipality = municipality_of(request)
    acts = selectors.act_list_for_user(user=request.user, municipality=municipality)
    if params.building is not None:
        acts = acts.filter(building_id=params.building)
    if params.inspection is not None:
        acts = acts.filter(inspection_id=params.inspection)
    rows = list(acts.select_related("inspection")[params.offset : params.offset + params.limit + 1])
    return {
        "items": [act_brief_out(a) for a in rows[: params.limit]],
        "next_offset": params.offset + params.limit if len(rows) > params.limit else None,
    }


@router.get(
    "/acts/{int:act_id}", response=responses({200: ActAny}, 404), **ANYONE, summary="Read an act"
)
def act_read(request, act_id: int):
    """The act: its public part (`full: false`: dates, condition, wear, the elements' wear, the
    conclusion) for anyone; the whole act (commission, parts and signs, defects, works, notes,
    derivation) for the company's staff, municipal admins and analysts."""
    return _answer(request, act_id)


@router.get(
    "/acts/{int:act_id}/wear",
    response=responses({200: LiveWearOut}, 404),
    auth=AUTHENTICATED,
    summary="The act's wear as it stands",
)
def act_wear(request, act_id: int):
    """Every observed element's wear and, once each share is covered, the building's, with the
    derivation in words — computed now, under the act's methodology version."""
    act = _editable(request, act_id)
    return live_wear_out(act, selectors.act_calculate(act=act))


@router.get(
    "/defects/photos/{int:photo_id}",
    response=responses({200: None}, 404),
    auth=AUTHENTICATED,
    url_name="inspection_defect_photo",
    summary="A defect's photo",
)
def defect_photo(request, photo_id: int):
    """The photo as stored, for those who read the act whole."""
    photo = DefectPhoto.objects.filter(municipality=municipality_of(request), pk=photo_id).first()
    if photo is None:
        raise NotFound(_("There is no such photo."))
    _act_row, full = _act(request, photo.defect.act_id)
    if not full:
        raise NotFound(_("There is no such photo."))
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


# --- writes -----------------------------------------------------------------------------------


@router.post(
    "/acts", response=responses({201: ActOut}, 404, 409), auth=AUTHENTICATED, summary="Start an act"
)
def act_create(request, payload: ActStartIn):
    """Open the act of an inspection of the caller's company, with the methodology in force,
    the passport's summary and the building's previous signed act."""
    inspection = (
        selectors.inspection_list_for_user(user=signed_in(request))
        .filter(municipality=municipality_of(request), pk=payload.inspection_id)
        .first()
    )
    if inspection is None:
        raise NotFound(_("There is no such inspection."))
    act = services.act_start(
        inspection=inspection, actor=request.user, inspected_on=payload.inspected_on
    )
    return _answer(request, act.pk, 201)


@router.patch(
    "/acts/{int:act_id}",
    response=responses({200: ActOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Change an act",
)
def act_change(request, act_id: int, payload: ActUpdateIn):
    """Set the technical-condition category, the conclusion, the internal notes, the date or
    the building type of a draft act."""
    services.act_update(
        act=_editable(request, act_id), actor=request.user, **payload.dict(exclude_unset=True)
    )
    return _answer(request, act_id)


@router.put(
    "/acts/{int:act_id}/commission",
    response=responses({200: list[ActMemberOut]}, 404, 409),
    auth=AUTHENTICATED,
    summary="Set the commission",
)
def act_commission(request, act_id: int, payload: CommissionIn):
    """The chair (a user on the company's staff, who signs) and the members: users on its staff
    or people named."""
    rows = services.act_commission_set(
        act=_editable(request, act_id),
        actor=request.user,
        chair=_user(request, payload.chair_id),
        chair_position=payload.chair_position,
        members=[
            services.MemberInput(user=_user(request, m.user_id), name=m.name, position=m.position)
            for m in payload.members
        ],
    )
    return [
        {"role": m.role, "user_id": m.user_id, "name": m.name, "position": m.position} for m in rows
    ]


@router.put(
    "/acts/{int:act_id}/elements/{element}",
    response=responses({200: ObservedOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Observe an element",
)
def act_element_observe(request, act_id: int, element: str, payload: ObserveIn):
    """The element's parts (size, signs ticked or wear estimated): its wear computed at once,
    and the act's as it stands."""
    act = _editable(request, act_id)
    observed = services.act_observe(
        act=act,
        actor=request.user,
        element=element,
        parts=[p.part() for p in payload.parts],
        description=payload.description,
        notes=payload.notes,
    )
    act, _full = _act(request, act_id)
    row = next(e for e in act.elements.all() if e.pk == observed.act_element.pk)
    return {
        "element": element_out(row),
        "act": live_wear_out(act, selectors.act_calculate(act=act)),
    }


@router.put(
    "/acts/{int:act_id}/elements/{element}/override",
    response=responses({200: ObservedOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Override an element's wear",
)
def act_element_override(request, act_id: int, element: str, payload: OverrideIn):
    """Set an observed element's wear by the commission's judgement, with the reason; null goes
    back to the calculated wear."""
    observed = services.act_override(
        act=_editable(request, act_id),
        actor=request.user,
        element=element,
        wear=payload.wear,
        reason=payload.reason,
    )
    act, _full = _act(request, act_id)
    row = next(e for e in act.elements.all() if e.pk == observed.act_element.pk)
    return {
        "element": element_out(row),
        "act": live_wear_out(act, selectors.act_calculate(act=act)),
    }


@router.post(
    "/acts/{int:act_id}/defects",
    response=responses({201: DefectOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Add a defect",
)
def act_defect_add(request, act_id: int, payload: DefectIn):
    """A defect of an element where it is (entrance, storey, apartment, facade side, roof…), its
    size and urgency; photos follow one by one. An urgent one becomes an appeal when signed."""
    defect = services.defect_add(
        act=_editable(request, act_id), actor=request.user, **payload.dict()
    )
    return Reply(201, defect_out(request, defect))


@router.post(
    "/defects/{int:defect_id}/photos",
    response=responses({201: DefectPhotoOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Attach a photo to a defect",
)
def defect_photo_add(request, defect_id: int, file: File[UploadedFile]):
    """A photo (JPEG, PNG, WebP or HEIC) of a defect of a draft act."""
    defect = _own(request, Defect, defect_id, act_field="act_id")
    photo = services.defect_photo_add(defect=defect, actor=request.user, upload=file)
    return Reply(201, photo_out(request, photo))


@router.delete(
    "/defects/{int:defect_id}",
    response=responses({204: None}, 404, 409),
    auth=AUTHENTICATED,
    summary="Remove a defect",
)
def defect_delete(request, defect_id: int):
    services.defect_remove(
        defect=_own(request, Defect, defect_id, act_field="act_id"), actor=request.user
    )
    return Reply(204, None)


@router.post(
    "/acts/{int:act_id}/works",
    response=responses({201: WorkNeededOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Add a work needed",
)
def act_work_add(request, act_id: int, payload: WorkIn):
    """A work the act calls for: current repair, preparation for the heating season or a
    candidate for capital repair, by a deadline, for a defect of the act or an element."""
    act = _editable(request, act_id)
    defect = None
    if payload.defect_id is not None:
        defect = Defect.objects.filter(act=act, pk=payload.defect_id).first()
        if defect is None:
            raise NotFound(_("There is no such defect in this act."))
    work = services.work_add(
        act=act,
        actor=request.user,
        kind=payload.kind,
        description=payload.description,
        deadline=payload.deadline,
        defect=defect,
        element=payload.element,
        key=payload.key,
    )
    return Reply(201, work_out(work))


@router.delete(
    "/works/{int:work_id}",
    response=responses({204: None}, 404, 409),
    auth=AUTHENTICATED,
    summary="Remove a work needed",
)
def work_delete(request, work_id: int):
    services.work_remove(
        work=_own(request, WorkNeeded, work_id, act_field="act_id"), actor=request.user
    )
    return Reply(204, None)


@router.put(
    "/acts/{int:act_id}/checks/{int:item_id}",
    response=responses({200: ActCheckOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Check an earlier work item",
)
def act_work_check(request, act_id: int, item_id: int, payload: CheckIn):
    """What the inspector found of an earlier inspection's work item: done or not_done; the
    item takes it when this act is signed."""
    act = _editable(request, act_id)
    item = WorkItem.objects.filter(municipality=act.municipality, pk=item_id).first()
    if item is None:
        raise NotFound(_("There is no such work item."))
    check = services.work_check(
        act=act, actor=request.user, item=item, status=payload.status, note=payload.note
    )
    return {"work_item_id": check.work_item_id, "status": check.status, "note": check.note}


@router.post(
    "/acts/{int:act_id}/sign",
    response=responses({200: ActOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Sign an act",
)
def act_sign(request, act_id: int):
    """The chair signs: the result is computed and frozen, the works become the company's work
    items, urgent defects appeals with their category's deadline, the passport takes the wear,
    condition and technical state."""
    services.act_sign(act=_editable(request, act_id), actor=request.user)
    return _answer(request, act_id)


@router.post(
    "/acts/{int:act_id}/corrections",
    response=responses({201: ActOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Correct a signed act",
)
def act_correct(request, act_id: int, payload: CorrectIn):
    """Start a new version of a signed act with the reason; the signed one stays readable and is
    superseded when the correction is signed."""
    draft = services.act_correct(
        act=_editable(request, act_id), actor=request.user, reason=payload.reason
    )
    return _answer(request, draft.pk, 201)
