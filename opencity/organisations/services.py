"""Writes of organisations and their staff."""

from __future__ import annotations

from django.db import transaction

from opencity.accounts.models import ORGANISATION_ROLES, Role, User
from opencity.accounts.permissions import require_role
from opencity.core.errors import Invalid, PermissionDenied
from opencity.core.models import Municipality
from opencity.organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Resource,
)
from opencity.organisations.selectors import organisation_can_manage

ROLE_FOR_MEMBERSHIP = {
    MembershipRole.MANAGER: Role.ORG_MANAGER,
    MembershipRole.EXECUTOR: Role.ORG_EXECUTOR,
}


@transaction.atomic
def organisation_create(
    *, actor: User, municipality: Municipality, kind: str, name: str, **fields
) -> Organisation:
    """Register an organisation; municipal admins only."""
    require_role(user=actor, municipality=municipality, roles=[Role.MUNICIPAL_ADMIN])
    if kind not in OrganisationKind.values:
        raise Invalid("Unknown organisation kind.", errors={"kind": [f"Unknown kind: {kind}"]})
    resources = fields.get("resources") or []
    bad = [r for r in resources if r not in Resource.values]
    if bad:
        raise Invalid(
            "Unknown resource.", errors={"resources": [f"Unknown resource: {', '.join(bad)}"]}
        )
    if not name.strip():
        raise Invalid("A name is required.", errors={"name": ["A name is required."]})
    return Organisation.objects.create(
        municipality=municipality, kind=kind, name=name.strip(), **fields
    )


@transaction.atomic
def membership_add(
    *, actor: User, organisation: Organisation, user: User, role: str, position: str = ""
) -> Membership:
    """Make a user staff of an organisation and give them the matching role."""
    if not organisation_can_manage(user=actor, organisation=organisation):
        raise PermissionDenied(
            "Only the organisation's manager or a municipal admin may add staff."
        )
    if user.municipality_id != organisation.municipality_id:
        raise Invalid("This user belongs to another municipality.")
    if role not in MembershipRole.values:
        raise Invalid("Unknown staff role.", errors={"role": [f"Unknown role: {role}"]})
    if user.role not in ORGANISATION_ROLES | {Role.RESIDENT}:
        raise Invalid("City staff cannot also be organisation staff.")
    membership, _ = Membership.objects.update_or_create(
        organisation=organisation,
        user=user,
        defaults={
            "municipality": organisation.municipality,
            "role": role,
            "position": position,
            "is_active": True,
        },
    )
    user.role = ROLE_FOR_MEMBERSHIP[MembershipRole(role)]
    user.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_deactivate(*, actor: User, membership: Membership) -> Membership:
    """End a user's work for an organisation; the user keeps their account as a resident."""
    if not organisation_can_manage(user=actor, organisation=membership.organisation):
        raise PermissionDenied(
            "Only the organisation's manager or a municipal admin may remove staff."
        )
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    user = membership.user
    if not Membership.objects.filter(user=user, is_active=True).exists():
        user.role = Role.RESIDENT
        user.save(update_fields=["role"])
    return membership
