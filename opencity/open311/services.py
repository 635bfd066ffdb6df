"""Open311 writes: a service request becomes an appeal through the one intake, and a posted
update becomes the lifecycle action it names. Nothing here decides what the appeals rules
decide: the appeals services check every permission and status.

See docs/subsystems/api-and-open311.md.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from opencity.appeals import services as appeals
from opencity.appeals.actions import ACTIONS, action_run
from opencity.appeals.models import Appeal, AppealEvent, Channel
from opencity.appeals.selectors import appeal_get_for_user, category_get_leaf
from opencity.buildings.selectors import building_for_address, building_get_brief, building_nearest
from opencity.core.errors import Invalid, NotFound
from opencity.core.models import Municipality
from opencity.open311.models import Submission, UpdateReceipt
from opencity.open311.schemas import PHOTO_ATTRIBUTE

NEAREST_BUILDING_M = 60


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _check_lengths(values: dict[str, tuple[str, int]]) -> None:
    """Refuse (naming each field) what is longer than the column it is stored in."""
    # A client's value is never cut short without a word. `values` maps a parameter to (value, limit).
    errors = {
        name: [_("At most %(n)d characters (%(given)d given).") % {"n": limit, "given": len(v)}]
        for name, (v, limit) in values.items()
        if len(v or "") > limit
    }
    if errors:
        raise Invalid(_("Some values are longer than this service stores."), errors=errors)


def _coordinate(value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(value) from None
    if not low <= number <= high:
        raise ValueError(value)
    return number


def _location(*, municipality, category, lat, long, address_string, address_id) -> dict:
    """Return where the request is, as appeal_create takes it: a building, a point, or both."""
    address_string = (address_string or "").strip()
    if address_id:
        if not str(address_id).isdigit():
            raise Invalid(_("address_id is not an address of this city."))
        building = building_get_brief(municipality=municipality, pk=int(address_id))
        if building is None:
            raise NotFound(_("There is no such building."))
        return {"building": building, "address": address_string or building.address}
    if lat or long:
        try:
            lat_value, lon_value = _coordinate(lat, -90, 90), _coordinate(long, -180, 180)
        except ValueError:
            raise Invalid(_("lat and long must both be numbers in WGS84 degrees.")) from None
        if category.needs_building:
            building = building_nearest(
                municipality=municipality, lat=lat_value, lon=lon_value, radius_m=NEAREST_BUILDING_M
            )
            if building is None:
                raise Invalid(
                    _(
                        "This service is about a building and none is within %(m)d m of the "
                        "point: send address_id or a more precise point."
                    )
                    % {"m": NEAREST_BUILDING_M}
                )
            return {"building": building, "address": address_string or building.address}
        return {"lat": lat_value, "lon": lon_value, "address": address_string}
    if address_string:
        building = building_for_address(municipality=municipality, text=address_string)
        if building is None:
            raise Invalid(
                _("The address does not name one building of this city: send lat and long.")
            )
        if category.needs_building:
            return {"building": building, "address": address_string}
        return {"lat": building.lat, "lon": building.lon, "address": address_string}
    raise Invalid(_("A location is required: lat and long, address_string or address_id."))


def open311_request_submit(
    *,
    municipality: Municipality,
    submitter,
    service_code: str,
    description: str = "",
    lat: str = "",
    long: str = "",
    address_string: str = "",
    address_id: str = "",
    attributes: dict | None = None,
    email: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    device_id: str = "",
    account_id: str = "",
    media_url: str = "",
) -> Submission:
    """File a service request as an appeal (channel Open311) for the credential's user."""
    # A resident's personal token files as that resident (with their own contacts); an
    # organisation's API key files on behalf of the person in the request's contact fields.
    name = " ".join(p for p in (first_name, last_name) if p).strip()
    _check_lengths(
        {
            "address_string": (address_string, _max_length(Appeal, "address")),
            "first_name/last_name": (name, _max_length(Appeal, "contact_name")),
            "email": (email, _max_length(Appeal, "contact_email")),
            "media_url": (media_url, _max_length(Submission, "media_url")),
            "device_id": (device_id, _max_length(Submission, "device_id")),
            "account_id": (account_id, _max_length(Submission, "account_id")),
        }
    )
    category = category_get_leaf(municipality=municipality, code=service_code)
    if category is None:
        raise NotFound(_("service_code %(code)s was not found.") % {"code": service_code})
    place = _location(
        municipality=municipality,
        category=category,
        lat=lat,
        long=long,
        address_string=address_string,
        address_id=address_id,
    )
    who = appeals.appeal_filer(
        user=submitter,
        municipality=municipality,
        contact_name=name,
        contact_email=email,
        contact_phone=phone,
    )
    # Not inside one transaction with the intake: it takes its number in a short transaction
    # of its own, so concurrent requests wait on the counter only for a moment.
    appeal = appeals.appeal_create(
        municipality=municipality,
        category=category,
        description=description,
        channel=Channel.OPEN311,
        # The photo notice is an informational attribute: never a question to answer.
        answers={k: v for k, v in (attributes or {}).items() if k != PHOTO_ATTRIBUTE},
        media_url=media_url or "",  # linked as the photo (checked there), public after moderation
        **place,
        **who,
    )
    return Submission.objects.create(
        municipality=municipality,
        appeal=appeal,
        token=secrets.token_hex(12),
        submitted_by=submitter,
        media_url=media_url or "",
        device_id=device_id or "",
        account_id=account_id or "",
    )


# A posted update's status → the lifecycle actions that lead there, in order; in each step
# the first action this user may take now is taken (a step none applies to is skipped).
UPDATE_PLANS: dict[str, list[tuple[str, ...]]] = {
    "OPEN": [],
    "INVESTIGATING": [],
    "ACTION_SCHEDULED": [("accept",)],
    "IN_PROGRESS": [("accept",), ("start",)],
    "FIXED": [("accept",), ("resolve",)],
    "CLOSED": [("accept",), ("resolve",)],
    "NOT_COUNCILS_RESPONSIBILITY": [("decline", "return_to_dispatch")],
    "INTERNAL_REFERRAL": [("return_to_dispatch", "decline")],
    "NO_FURTHER_ACTION": [("cancel",)],
    "REOPEN": [("reject",)],
}


def _run(name: str, *, appeal: Appeal, actor, text: str):
    """Do a lifecycle action with the update's description as its text."""
    action = ACTIONS[name]
    return action_run(
        name=name, appeal=appeal, actor=actor, data={action.text: text} if action.text else {}
    )


def open311_update_post(
    *,
    municipality: Municipality,
    submitter,
    service_request_id: str,
    update_id: str,
    status: str,
    description: str,
    media_url: str = "",
) -> UpdateReceipt:
    """Apply a client's update to an appeal (once per update_id) through the lifecycle."""
    # The status names where the appeal should go; the actions leading there that this user may
    # take are taken with the description as their text; with none, the description is added
    # as a comment. Refusals are the lifecycle's own (PermissionDenied, Conflict, Invalid).
    status = (status or "").strip().upper()
    if status not in UPDATE_PLANS:
        raise Invalid(
            _("status %(status)s cannot be posted; use one of: %(allowed)s.")
            % {"status": status, "allowed": ", ".join(UPDATE_PLANS)}
        )
    external_id = (update_id or "").strip()
    if not external_id:
        raise Invalid(_("update_id is required."))
    _check_lengths(
        {
            "update_id": (external_id, _max_length(UpdateReceipt, "external_id")),
            "media_url": (media_url, _max_length(UpdateReceipt, "media_url")),
        }
    )
    done = UpdateReceipt.objects.filter(submitted_by=submitter, external_id=external_id).first()
    if done is not None:
        return done
    appeal = appeal_get_for_user(
        user=submitter, municipality=municipality, number=service_request_id
    )
    text = (description or "").strip()
    plan = UPDATE_PLANS[status]
    try:
        with transaction.atomic():
            ran = False
            for step in plan:
                allowed = appeals.appeal_allowed_actions(appeal=appeal, user=submitter)
                action = next((a for a in step if a in allowed), None)
                if action is not None:
                    _run(action, appeal=appeal, actor=submitter, text=text)
                    ran = True
            if not ran and plan:
                # Nothing leads there for this user now: the lifecycle says why.
                _run(plan[-1][0], appeal=appeal, actor=submitter, text=text)
            if not ran:
                appeals.appeal_comment(appeal=appeal, actor=submitter, text=text, is_public=True)
            event = (
                AppealEvent.objects.filter(appeal_id=appeal.pk)
                .order_by("-created_at", "-id")
                .first()
            )
            return UpdateReceipt.objects.create(
                municipality=municipality,
                submitted_by=submitter,
                external_id=external_id,
                appeal_id=appeal.pk,
                event=event,
                media_url=media_url or "",
            )
    except IntegrityError:  # the same update posted concurrently: answer with the first
        done = UpdateReceipt.objects.filter(submitted_by=submitter, external_id=external_id).first()
        if done is None:
            raise
        return done
