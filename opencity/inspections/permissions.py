"""Who may do what with inspections: one rule each, asked by the services and the selectors.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from django.db.models import Q

from opencity.accounts.models import Role
from opencity.inspections.models import ActStatus
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


# --- the pages and reports (issue 13 §6) --------------------------------------------------------
# _city_wide, _local and act_full_filter are the insp-acts branch's rules, copied as they are so
# the two branches ask one rule: keep one copy when they merge.


def _city_wide(user) -> bool:
    return user.is_superuser or user.role in (Role.MUNICIPAL_ADMIN, Role.ANALYST)


def _local(user, municipality_id: int) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.municipality_id == municipality_id)
    )


def act_full_filter(*, user) -> Q | None:
    """The same rule as a query filter on acts (None: the user reads no act whole)."""
    if not user.is_authenticated or not user.is_active:
        return None
    own = Q(organisation_id__in=organisation_ids_for_user(user=user))
    if _city_wide(user):
        own |= ~Q(status=ActStatus.DRAFT)
    return own if user.is_superuser else own & Q(municipality_id=user.municipality_id)


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
