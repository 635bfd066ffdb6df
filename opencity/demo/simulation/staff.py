"""The people a simulated organisation acts through: its duty dispatcher and its field crew.

Each is a real user with an active membership of the organisation (manager, executor), made
the first time the organisation gets a live appeal. They cannot sign in (no usable password,
no e-mail or phone), and the simulation acts only through them, never as a demo login.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from opencity.accounts.models import Role, User
from opencity.demo.simulation import texts
from opencity.organisations.models import Membership, MembershipRole, Organisation

USERNAME_PREFIX = "simulated"


@dataclass(frozen=True)
class SimulatedStaff:
    manager: User
    executor: User

    def acts_as(self, user) -> bool:
        """Tell whether the user is one of these simulated people."""
        return user is not None and user.pk in (self.manager.pk, self.executor.pk)


def _username(organisation: Organisation, kind: str) -> str:
    key = organisation.external_id or str(organisation.pk)
    return f"{organisation.municipality.slug}:{USERNAME_PREFIX}-{kind}-{key}"


def _person(*, organisation: Organisation, kind: str, role: str, name, position) -> User:
    user, created = User.objects.get_or_create(
        username=_username(organisation, kind),
        defaults={
            "municipality_id": organisation.municipality_id,
            "full_name": str(name),
            "role": role,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        organisation=organisation,
        user=user,
        defaults={
            "municipality_id": organisation.municipality_id,
            "role": (
                MembershipRole.MANAGER if role == Role.ORG_MANAGER else MembershipRole.EXECUTOR
            ),
            "position": str(position),
        },
    )
    return user


def simulated_staff_ensure(*, organisation: Organisation) -> SimulatedStaff:
    """Return the organisation's simulated staff, making them the first time (in a transaction)."""
    # One maker at a time per organisation: a second worker waits here, then finds them.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    with translation.override(settings.LANGUAGE_CODE):
        manager = _person(
            organisation=organisation,
            kind="manager",
            role=Role.ORG_MANAGER,
            name=texts.MANAGER_NAME,
            position=texts.MANAGER_POSITION,
        )
        executor = _person(
            organisation=organisation,
            kind="executor",
            role=Role.ORG_EXECUTOR,
            name=texts.EXECUTOR_NAME,
            position=texts.EXECUTOR_POSITION,
        )
    return SimulatedStaff(manager=manager, executor=executor)
