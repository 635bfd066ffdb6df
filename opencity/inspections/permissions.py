"""Who may do what with inspections: one rule each, asked by the services and the selectors.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from opencity.accounts.models import Role
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
