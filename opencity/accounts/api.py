"""Who the API caller is: the account behind the session, token or API key."""

from __future__ import annotations

from typing import Literal

from ninja import Router, Schema

from opencity.accounts.api_auth import AUTHENTICATED
from opencity.core.api_errors import responses

router = Router(tags=["accounts"])


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


@router.get("/me", response=responses({200: MeOut}), auth=AUTHENTICATED)
def me(request):
    """The signed-in account and how it authenticated."""
    from opencity.accounts.models import PersonalAccessToken
    from opencity.organisations.selectors import membership_list_for_user

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
