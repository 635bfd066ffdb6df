"""The organisations API: who answers appeals, with their public contacts; and who the API
caller is (the account behind the session, token or API key, with its memberships)."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from opencity.accounts.api_auth import ANYONE, AUTHENTICATED
from opencity.accounts.models import PersonalAccessToken
from opencity.core.api_context import municipality_of
from opencity.core.api_errors import responses
from opencity.organisations.models import OrganisationKind
from opencity.organisations.selectors import (
    membership_list_for_user,
    organisation_get,
    organisation_list,
    organisation_public_contacts,
)

router = Router(tags=["organisations"])
me_router = Router(tags=["accounts"])


class OrganisationContactOut(Schema):
    kind: str
    value: str
    label: str


class OrganisationOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    short_name: str
    address: str
    phone: str
    email: str
    website: str
    resources: list[str]
    district_id: int | None
    contacts: list[OrganisationContactOut]


class OrganisationListParams(Schema):
    kind: Literal[tuple(OrganisationKind.values)] | None = None  # type: ignore[valid-type]


def organisation_out(organisation, contacts) -> dict:
    return {
        "id": organisation.pk,
        "kind": organisation.kind,
        "kind_label": str(organisation.get_kind_display()),
        "name": organisation.name,
        "short_name": organisation.short_name,
        "address": organisation.address,
        "phone": organisation.phone,
        "email": organisation.email,
        "website": organisation.website,
        "resources": list(organisation.resources or []),
        "district_id": organisation.district_id,
        "contacts": [{"kind": c.kind, "value": c.value, "label": c.label} for c in contacts],
    }


@router.get("", response=responses({200: list[OrganisationOut]}), **ANYONE)
def organisation_index(request, params: Query[OrganisationListParams]):
    """The active organisations of the city (companies, utilities, contractors, departments)."""
    organisations = list(organisation_list(municipality=municipality_of(request), kind=params.kind))
    contacts = organisation_public_contacts(organisations=organisations)
    return [organisation_out(o, contacts.get(o.pk, [])) for o in organisations]


@router.get("/{organisation_id}", response=responses({200: OrganisationOut}, 404), **ANYONE)
def organisation_detail(request, organisation_id: Annotated[int, Field(ge=1, le=2**62)]):
    organisation = organisation_get(municipality=municipality_of(request), pk=organisation_id)
    if not organisation.is_active:
        raise Http404(_("No such organisation."))
    contacts = organisation_public_contacts(organisations=[organisation])
    return organisation_out(organisation, contacts.get(organisation.pk, []))


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    role: str


class MeOut(Schema):
    id: int
    full_name: str
    email: str
    phone: str
    role: str
    role_label: str
    is_superuser: bool
    municipality: str | None
    credential: Literal["session", "personal_token", "api_key"]
    organisations: list[MembershipOut]


# The caller's account with their memberships: served here, as organisations sit above accounts;
# under the tag and operation id it was published with.
@me_router.get(
    "/me",
    response=responses({200: MeOut}),
    auth=AUTHENTICATED,
    operation_id="opencity_accounts_api_me",
)
def me(request):
    """The signed-in account and how it authenticated."""
    user = request.user
    credential = getattr(user, "api_credential", None)
    kind = (
        "session"
        if credential is None
        else "personal_token"
        if isinstance(credential, PersonalAccessToken)
        else "api_key"
    )
    return {
        "id": user.pk,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "role": "superuser" if user.is_superuser else user.role,
        "role_label": "superuser" if user.is_superuser else str(user.get_role_display()),
        "is_superuser": user.is_superuser,
        "municipality": user.municipality.slug if user.municipality_id else None,
        "credential": kind,
        "organisations": [
            {
                "organisation_id": m.organisation_id,
                "organisation": str(m.organisation),
                "role": m.role,
            }
            for m in membership_list_for_user(user=user)
        ],
    }
