"""Writes to the buildings registry: passports, derived search fields, management contracts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.addresses import (
    address_locality_text,
    address_normalise,
    address_parse,
    address_search_text,
)
from opencity.buildings.geo import MunicipalityExtent, municipality_extent
from opencity.buildings.localities import municipality_main_locality
from opencity.buildings.models import AccountHolder, Building, PersonalAccount
from opencity.core.errors import Conflict, Invalid, NotFound
from opencity.core.geo import h3_cell
from opencity.core.models import Municipality
from opencity.core.selectors import district_for_point
from opencity.organisations.models import (
    BUILDING_MANAGER_KINDS,
    ManagementContract,
    Organisation,
)

# Fields derived from others or kept in step by building_assign_management_company.
_PROTECTED_FIELDS = {
    "id",
    "pk",
    "municipality",
    "municipality_id",
    "search_text",
    "h3_cell",
    "management_company",
    "management_company_id",
    "management_since",
    "created_at",
    "updated_at",
}


def building_search_text(*, building: Building, main_locality: str | None = None) -> str:
    """Return what the address search matches for a building (its address if unsplit)."""
    # The settlement is part of it where the labels show it: outside the municipality's own
    # town, so "горный щит гагарина 3" finds the village's house and "гагарина 3" both.
    if building.street or building.house_number:
        if main_locality is None:
            main_locality = municipality_main_locality(municipality_id=building.municipality_id)
        return address_search_text(
            street=building.street,
            house_number=building.house_number,
            corpus=building.corpus,
            structure=building.structure,
            locality=address_locality_text(
                locality_type=building.locality_type,
                locality_name=building.locality_name,
                locality_parent=building.locality_parent,
                street=building.street,
                main=main_locality,
            ),
        )
    return address_normalise(building.address)


def building_fill_derived(
    *,
    building: Building,
    extent: MunicipalityExtent | None = None,
    locate_district=None,
    main_locality: str | None = None,
) -> None:
    """Recompute search_text, h3_cell and (when missing) the district from the coordinates."""
    building.search_text = building_search_text(building=building, main_locality=main_locality)[
        :400
    ]
    if building.lat is not None and building.lon is not None:
        building.h3_cell = h3_cell(building.lat, building.lon)
        if building.district_id is None:
            if locate_district is not None:
                building.district = locate_district(building.lat, building.lon)
            else:
                building.district = district_for_point(
                    municipality=building.municipality, lat=building.lat, lon=building.lon
                )
    else:
        building.h3_cell = ""


def _check_fields(fields: dict[str, Any]) -> None:
    bad = sorted(set(fields) & _PROTECTED_FIELDS)
    if bad:
        raise Invalid(_("These fields cannot be set directly: %s") % ", ".join(bad))
    known = {f.name for f in Building._meta.get_fields()} | {"district_id"}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise Invalid(_("Unknown building fields: %s") % ", ".join(unknown))


def _validate(*, building: Building) -> None:
    if not building.address and building.street:
        building.address = building.short_address
    if not building.address:
        raise Invalid(_("The address is required."), errors={"address": [_("Required.")]})
    if not (building.street or building.house_number):
        parsed = address_parse(building.address)
        building.street = building.street or parsed.street
        building.house_number = building.house_number or parsed.house_number
        building.corpus = building.corpus or parsed.corpus
        building.structure = building.structure or parsed.structure
        building.postcode = building.postcode or parsed.postcode
        if not building.locality_name:
            building.locality_type = parsed.locality_type[:16]
            building.locality_name = parsed.locality_name[:200]
            building.locality_parent = parsed.locality_parent[:200]
    if building.district_id and building.district.municipality_id != building.municipality_id:
        raise Invalid(_("The district belongs to another municipality."))
    problem = municipality_extent(municipality=building.municipality).problem(
        building.lat, building.lon
    )
    if problem:
        raise Invalid(
            _("Coordinates rejected: %s.") % problem, errors={"lat": [problem], "lon": [problem]}
        )
    try:
        building.full_clean(exclude=["municipality", "district", "management_company"])
    except ValidationError as exc:
        raise Invalid(_("The building passport is not valid."), errors=exc.message_dict) from exc


@transaction.atomic
def building_create(*, municipality: Municipality, address: str = "", **fields: Any) -> Building:
    """Create a building passport, deriving its search text, H3 cell and district."""
    _check_fields(fields)
    building = Building(municipality=municipality, address=address, **fields)
    _validate(building=building)
    building_fill_derived(building=building)
    building.save()
    return building


@transaction.atomic
def building_update(*, building: Building, **fields: Any) -> Building:
    """Change passport fields and keep the derived search text, H3 cell and district in step."""
    _check_fields(fields)
    for name, value in fields.items():
        setattr(building, name, value)
    _validate(building=building)
    building_fill_derived(building=building)
    building.save()
    return building


@transaction.atomic
def building_assign_management_company(
    *,
    building: Building,
    organisation: Organisation | None,
    start_date: dt.date | None,
    document: str = "",
    closed_on: dt.date | None = None,
) -> ManagementContract | None:
    """Close the open management contract on start_date and open one with the organisation."""
    # A start_date of None says the organisation manages the building since a date nobody
    # knows (a registry without SERVICEDATE_START): it becomes the building's manager with no
    # "since" and no contract (a contract needs its start); the others' contracts close on
    # closed_on (the day the change was learnt, today by default).
    if organisation is not None:
        if organisation.municipality_id != building.municipality_id:
            raise Invalid(_("The organisation belongs to another municipality."))
        if organisation.kind not in BUILDING_MANAGER_KINDS:
            raise Invalid(_("This organisation does not manage apartment buildings."))
    open_contracts = list(
        ManagementContract.objects.select_for_update().filter(
            building=building, end_date__isnull=True
        )
    )
    end = start_date if start_date is not None else closed_on or timezone.localdate()
    for contract in open_contracts:
        if organisation is not None and contract.organisation_id == organisation.pk:
            if start_date is None:
                # Already managing since a known date: an unknown one tells nothing new.
                _building_set_manager(
                    building=building, organisation=organisation, since=contract.start_date
                )
                return contract
            # Already managing: only a corrected start date or document is news.
            changed = []
            if contract.start_date != start_date:
                contract.start_date = start_date
                changed.append("start_date")
            if document and contract.document != document:
                contract.document = document
                changed.append("document")
            if changed:
                contract.save(update_fields=changed)
            _building_set_manager(building=building, organisation=organisation, since=start_date)
            return contract
        if contract.start_date > end:
            raise Conflict(
                _("The current contract started on %(date)s, after the new one would start.")
                % {"date": contract.start_date.isoformat()}
            )
    for contract in open_contracts:
        contract.end_date = end
        contract.save(update_fields=["end_date"])
    contract = None
    if organisation is not None and start_date is not None:
        contract = ManagementContract.objects.create(
            municipality_id=building.municipality_id,
            organisation=organisation,
            building=building,
            start_date=start_date,
            document=document,
        )
    _building_set_manager(
        building=building, organisation=organisation, since=start_date if organisation else None
    )
    return contract


def _building_set_manager(
    *, building: Building, organisation: Organisation | None, since: dt.date | None
) -> None:
    if building.management_company_id == (organisation.pk if organisation else None) and (
        building.management_since == since
    ):
        return
    building.management_company = organisation
    building.management_since = since
    building.save(update_fields=["management_company", "management_since", "updated_at"])


def building_condition_set(
    *,
    building: Building,
    wear_percent,
    condition: str,
    repair_class: str,
    technical_state: str,
    assessed_on: dt.date,
) -> Building:
    """Set the passport's wear, condition, capital-repair class and technical state as assessed
    on a date (the inspections app calls it with its latest signed act)."""
    building.wear_percent = wear_percent
    building.condition = condition
    building.repair_class = repair_class
    building.technical_state = technical_state
    building.wear_assessed_on = assessed_on
    building.save(
        update_fields=[
            "wear_percent",
            "condition",
            "repair_class",
            "technical_state",
            "wear_assessed_on",
            "updated_at",
        ]
    )
    return building


@transaction.atomic
def account_holder_link(*, user, number: str, apartment_number: str) -> AccountHolder:
    """Link the resident to a personal account, proven by the apartment number on the bill."""
    number, apartment_number = number.strip(), apartment_number.strip()
    account = (
        PersonalAccount.objects.filter(
            municipality_id=user.municipality_id, number=number, is_active=True
        )
        .select_related("apartment__building")
        .first()
    )
    if account is None or account.apartment.number.lower() != apartment_number.lower():
        # One message for both: it must not reveal which accounts exist.
        raise Invalid(
            _("No active personal account with this number and apartment."),
            errors={"number": [_("Check the account number and the apartment on your bill.")]},
        )
    holder, _created = AccountHolder.objects.get_or_create(
        account=account, user=user, defaults={"municipality_id": user.municipality_id}
    )
    return holder


def account_holder_unlink(*, user, holder_id: int) -> None:
    """Remove one of the resident's own account links (NotFound for anyone else's)."""
    deleted, _rows = AccountHolder.objects.filter(
        pk=holder_id, user=user, municipality_id=user.municipality_id
    ).delete()
    if not deleted:
        raise NotFound(_("There is no such linked account."))
