"""Who may do what with inspections: one rule each, asked by the services and the selectors.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from django.db.models import Q

from opencity.accounts.models import Role
from opencity.inspections.models import ActStatus, CommissionRole
from opencity.organisations.models import Organisation
from opencity.organisations.selectors import organisation_can_manage, organisation_ids_for_user


def inspection_can_manage(*, user, organisation: Organisation | None) -> bool:
    """The company's managers (and municipal admins) plan, assign and order inspections."""
    return organisation is not None and organisation_can_manage(
        user=user, organisation=organisation
    )


def inspection_can_inspect(*, user, organisation: Organisation) -> bool:
    """An inspector on the company's staff may be assigned its inspections."""
    return (
        user.is_active
        and user.role == Role.INSPECTOR
        and user.municipality_id == organisation.municipality_id
        and organisation.pk in organisation_ids_for_user(user=user)
    )


def _city_wide(user) -> bool:
    return user.is_superuser or user.role in (Role.MUNICIPAL_ADMIN, Role.ANALYST)


def _local(user, municipality_id: int) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.municipality_id == municipality_id)
    )


def _can_fill(user, organisation: Organisation | None, municipality_id: int) -> bool:
    if organisation is None or not _local(user, municipality_id):
        return False
    return inspection_can_manage(user=user, organisation=organisation) or inspection_can_inspect(
        user=user, organisation=organisation
    )


def inspection_can_fill(*, user, inspection) -> bool:
    """The company's managers and its inspectors start the act of its inspection."""
    return _can_fill(user, inspection.organisation, inspection.municipality_id)


def act_can_edit(*, user, act) -> bool:
    """The company's managers and its inspectors fill its acts (a draft only: services say so)."""
    return _can_fill(user, act.organisation, act.municipality_id)


def act_can_sign(*, user, act) -> bool:
    """Only the chair of the act's commission signs it."""
    return _local(user, act.municipality_id) and any(
        member.user_id == user.pk and member.role == CommissionRole.CHAIR
        for member in act.members.all()
    )


def act_can_read_full(*, user, act) -> bool:
    """The company's staff read its acts whole (drafts too); municipal admins and analysts read
    the city's signed acts whole; everyone else reads the public part of signed acts."""
    if not _local(user, act.municipality_id):
        return False
    if act.organisation_id is not None and act.organisation_id in organisation_ids_for_user(
        user=user
    ):
        return True
    return _city_wide(user) and act.status != ActStatus.DRAFT


def act_full_filter(*, user) -> Q | None:
    """The same rule as a query filter on acts (None: the user reads no act whole)."""
    if not user.is_authenticated or not user.is_active:
        return None
    own = Q(organisation_id__in=organisation_ids_for_user(user=user))
    if _city_wide(user):
        own |= ~Q(status=ActStatus.DRAFT)
    return own if user.is_superuser else own & Q(municipality_id=user.municipality_id)


def work_item_can_mark(*, user, item) -> bool:
    """The company's managers and inspectors mark its work items done or not done."""
    return _can_fill(user, item.organisation, item.municipality_id)


def work_item_filter(*, user) -> Q | None:
    """Whose work items a user lists: the company's staff theirs, city-wide readers the city's."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    if _city_wide(user):
        return Q(municipality_id=user.municipality_id)
    return Q(
        municipality_id=user.municipality_id,
        organisation_id__in=organisation_ids_for_user(user=user),
    )


def wear_can_recompute(*, user, municipality_id: int) -> bool:
    """Municipal admins recompute the city's wear under a new methodology version."""
    return _local(user, municipality_id) and (
        user.is_superuser or user.role == Role.MUNICIPAL_ADMIN
    )


def inspection_reports_can_view(*, user, municipality_id: int) -> bool:
    """Analysts and municipal admins (and the superuser) read the city's inspection reports:
    every company's season progress, the buildings proposed for capital repair."""
    return _local(user, municipality_id) and _city_wide(user)


def season_progress_can_view(*, user, organisation: Organisation) -> bool:
    """A company's season progress: its managers, and the city's report readers."""
    return inspection_reports_can_view(
        user=user, municipality_id=organisation.municipality_id
    ) or inspection_can_manage(user=user, organisation=organisation)


def inspection_today_filter(*, user) -> Q | None:
    """An inspector's own inspections, of the companies they still work for (None: none)."""
    if not user.is_authenticated or not user.is_active:
        return None
    return Q(
        inspector_id=user.pk,
        municipality_id=user.municipality_id,
        organisation_id__in=organisation_ids_for_user(user=user),
    )
