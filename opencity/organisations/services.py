"""Writes of organisations and their staff."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.accounts.models import ORGANISATION_ROLES, Role, User
from opencity.accounts.permissions import require_role
from opencity.accounts.services import user_username_for
from opencity.core.credentials import credential_new
from opencity.core.errors import Invalid, PermissionDenied
from opencity.core.models import Municipality
from opencity.core.refcache import refcache_changed
from opencity.core.requestmemo import request_memo_forget
from opencity.organisations.models import (
    ApiKey,
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
        raise Invalid(
            _("Unknown organisation kind."),
            errors={"kind": [_("Unknown kind: %(kind)s") % {"kind": kind}]},
        )
    resources = fields.get("resources") or []
    bad = [r for r in resources if r not in Resource.values]
    if bad:
        raise Invalid(
            _("Unknown resource."),
            errors={"resources": [_("Unknown resource: %(codes)s") % {"codes": ", ".join(bad)}]},
        )
    if not name.strip():
        raise Invalid(_("A name is required."), errors={"name": [_("A name is required.")]})
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
            _("Only the organisation's manager or a municipal admin may add staff.")
        )
    if user.municipality_id != organisation.municipality_id:
        raise Invalid(_("This user belongs to another municipality."))
    if role not in MembershipRole.values:
        raise Invalid(
            _("Unknown staff role."),
            errors={"role": [_("Unknown role: %(role)s") % {"role": role}]},
        )
    if user.role not in ORGANISATION_ROLES | {Role.RESIDENT}:
        raise Invalid(_("City staff cannot also be organisation staff."))
    membership, _created = Membership.objects.update_or_create(
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
    request_memo_forget("standing")  # the rest of this request sees the new membership
    return membership


@transaction.atomic
def membership_deactivate(*, actor: User, membership: Membership) -> Membership:
    """End a user's work for an organisation; the user keeps their account as a resident."""
    if not organisation_can_manage(user=actor, organisation=membership.organisation):
        raise PermissionDenied(
            _("Only the organisation's manager or a municipal admin may remove staff.")
        )
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    user = membership.user
    if not Membership.objects.filter(user=user, is_active=True).exists():
        user.role = Role.RESIDENT
        user.save(update_fields=["role"])
    request_memo_forget("standing")
    return membership


@transaction.atomic
def api_key_create(
    *, actor: User, organisation: Organisation, name: str, role: str = MembershipRole.EXECUTOR
) -> tuple[ApiKey, str]:
    """Create an API key for the organisation's system; return (key, the secret to show once)."""
    # The key acts through a service account of its own: a member of the organisation with the
    # key's role, so every permission of the appeals applies to it as to a person.
    if not organisation_can_manage(user=actor, organisation=organisation):
        raise PermissionDenied(
            _("Only the organisation's manager or a municipal admin may create its API keys.")
        )
    if not organisation.is_active:
        raise Invalid(_("This organisation is not active."))
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        errors["name"] = [_("Name the system that will use the key (up to 100 characters).")]
    if role not in MembershipRole.values:
        errors["role"] = [_("Choose what the key may do.")]
    if errors:
        raise Invalid(_("Please correct the errors below."), errors=errors)
    credential = credential_new(kind="key")
    municipality = organisation.municipality
    account = User(
        municipality=municipality,
        full_name=f"API · {name} · {organisation}"[:200],
        role=ROLE_FOR_MEMBERSHIP[MembershipRole(role)],
    )
    account.username = user_username_for(
        municipality=municipality, email=f"apikey-{credential.prefix}"
    )
    account.set_unusable_password()  # nobody signs in as a key
    account.save()
    Membership.objects.create(
        municipality=municipality,
        organisation=organisation,
        user=account,
        role=role,
        position=_("API key"),
    )
    key = ApiKey.objects.create(
        municipality=municipality,
        organisation=organisation,
        user=account,
        name=name,
        role=role,
        prefix=credential.prefix,
        digest=credential.digest,
        created_by=actor if actor.is_authenticated else None,
    )
    return key, credential.raw


@transaction.atomic
def api_key_revoke(*, actor: User, api_key: ApiKey) -> ApiKey:
    """Revoke a key at once; its service account stays (history names it) but is disabled."""
    if not organisation_can_manage(user=actor, organisation=api_key.organisation):
        raise PermissionDenied(
            _("Only the organisation's manager or a municipal admin may revoke its API keys.")
        )
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        User.objects.filter(pk=api_key.user_id).update(is_active=False)
        Membership.objects.filter(user_id=api_key.user_id).update(is_active=False)
        refcache_changed()  # an update sends no signals: its memberships are gone
        request_memo_forget("credential")  # refused from now on, in this request too
        request_memo_forget("standing")
    return api_key
