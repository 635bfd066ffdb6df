"""Read a generated municipality back as plain, ordered data (to compare two runs)."""

from __future__ import annotations

import time

from opencity.accounts.models import User
from opencity.buildings.models import Apartment, Building, Entrance, PersonalAccount
from opencity.core.models import District, Municipality
from opencity.organisations.models import (
    ManagementContract,
    Membership,
    Organisation,
    OrganisationContact,
    ServiceArea,
)

# Row fields that differ between two identical runs: keys and timestamps of the insert.
_VOLATILE = {"id", "municipality", "created_at", "updated_at"}


def _plain_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in _VOLATILE and not f.is_relation
    ]


def _rows(queryset, *fields: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in queryset.values_list(*fields))


def demo_city_dump(*, municipality: Municipality) -> dict[str, list[tuple[str, ...]]]:
    """Return every generated row of a municipality without database ids, in a stable order."""
    m = municipality
    return {
        "municipality": _rows(Municipality.objects.filter(pk=m.pk), *_plain_fields(Municipality)),
        "districts": _rows(District.objects.filter(municipality=m), "slug", "name", "boundary"),
        "organisations": _rows(
            Organisation.objects.filter(municipality=m),
            *_plain_fields(Organisation),
            "district__slug",
        ),
        "contacts": _rows(
            OrganisationContact.objects.filter(municipality=m),
            "organisation__external_id",
            *_plain_fields(OrganisationContact),
        ),
        "service_areas": _rows(
            ServiceArea.objects.filter(municipality=m),
            "organisation__external_id",
            "district__slug",
            *_plain_fields(ServiceArea),
        ),
        "buildings": _rows(
            Building.objects.filter(municipality=m),
            *_plain_fields(Building),
            "district__slug",
            "management_company__external_id",
        ),
        "contracts": _rows(
            ManagementContract.objects.filter(municipality=m),
            "building__external_id",
            "organisation__external_id",
            *_plain_fields(ManagementContract),
        ),
        "entrances": _rows(
            Entrance.objects.filter(municipality=m),
            "building__external_id",
            *_plain_fields(Entrance),
        ),
        "apartments": _rows(
            Apartment.objects.filter(municipality=m),
            "building__external_id",
            "entrance__number",
            *_plain_fields(Apartment),
        ),
        "accounts": _rows(
            PersonalAccount.objects.filter(municipality=m),
            "apartment__building__external_id",
            "apartment__number",
            "provider__external_id",
            *_plain_fields(PersonalAccount),
        ),
        "users": _rows(
            User.objects.filter(municipality=m),
            "username",
            "email",
            "phone",
            "full_name",
            "role",
            "is_staff",
            "email_confirmed",
            "phone_confirmed",
        ),
        "memberships": _rows(
            Membership.objects.filter(municipality=m),
            "user__username",
            "organisation__external_id",
            "role",
            "position",
        ),
    }


# How long a process trusts "no demo history is loading" before it asks again: a site that
# is not a demo (or whose history is complete) pays one small query a minute, not one a page.
_NOTHING_LOADING_SECONDS = 60.0
_nothing_loading_until = 0.0


def demo_history_loading(*, municipality: Municipality):
    """The municipality's DemoHistory while it is still loading, else None."""
    global _nothing_loading_until
    from opencity.demo.models import DemoHistory

    if time.monotonic() < _nothing_loading_until:
        return None
    loading = list(DemoHistory.objects.filter(finished_at__isnull=True))
    if not loading:
        _nothing_loading_until = time.monotonic() + _NOTHING_LOADING_SECONDS
        return None
    return next((h for h in loading if h.municipality_id == municipality.pk), None)


def demo_history_forget() -> None:
    """Ask again on the next page (after a history starts loading in this process)."""
    global _nothing_loading_until
    _nothing_loading_until = 0.0
