"""Read, check and apply the rows of a registry import: what both ways of writing share.

`Importer` turns a file's row into `RowData` (the format's reader, the row checks, the
coordinates and duplicate checks) and sets a row's values on a building, its derived fields
and its manager included. The rows are written set-based on PostgreSQL (setbased.py) and
row by row elsewhere (rowwise.py); runner.py drives an import.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.addresses import locality_key
from opencity.buildings.geo import DistrictLocator, municipality_extent
from opencity.buildings.imports.checks import row_check
from opencity.buildings.imports.formats import (
    REFORMA,
    format_column_key,
    format_column_of,
    format_columns,
    row_read_own,
    row_read_reforma,
)
from opencity.buildings.imports.managers import Managers
from opencity.buildings.imports.result import RowData
from opencity.buildings.imports.values import as_text
from opencity.buildings.models import Building, BuildingSource
from opencity.buildings.services import building_assign_management_company, building_fill_derived
from opencity.core.errors import DomainError
from opencity.core.models import Municipality
from opencity.organisations.models import Organisation


class Importer:
    """One import's reading of rows and applying them to buildings."""

    def __init__(self, *, municipality: Municipality, fmt: str, header: list[str]):
        self.municipality = municipality
        self.fmt = fmt
        self.tz = ZoneInfo(municipality.time_zone or "Europe/Moscow")
        self.extent = municipality_extent(municipality=municipality)
        self.locator = DistrictLocator(municipality=municipality)
        self.managers = Managers(municipality)
        self.main_locality = locality_key(municipality.name)
        self.seen_keys: dict[str, int] = {}
        self.today = timezone.localdate()
        self._template: Building | None = None
        self.source = BuildingSource.REFORMA if fmt == REFORMA else BuildingSource.OWN_IMPORT
        # Which cells to read: the first column of each name the format knows.
        known = format_columns(fmt)
        self.columns: list[tuple[int, str]] = []
        self.ignored: list[str] = []
        taken = set()
        for index, name in enumerate(header):
            key = format_column_key(fmt, name)
            if not key:
                continue
            if key in known and key not in taken:
                self.columns.append((index, key))
                taken.add(key)
            else:
                self.ignored.append(name.strip())

    def column_of(self, field_name: str) -> str:
        return format_column_of(self.fmt, field_name)

    # Reading -------------------------------------------------------------------------------

    def read_row(self, number: int, cells: list) -> RowData | None:
        if not any(as_text(c) for c in cells):
            return None
        size = len(cells)
        mapped = {key: cells[i] for i, key in self.columns if i < size}
        if self.fmt == REFORMA:
            data = row_read_reforma(number, mapped, tz=self.tz)
        else:
            data = row_read_own(number, mapped, tz=self.tz)
        if not data.failed:
            row_check(data, column_of=self.column_of, today=self.today)
        self._check_coordinates(data)
        self._check_duplicate(data)
        return data

    def _check_coordinates(self, data: RowData) -> None:
        if "lat" not in data.values and "lon" not in data.values:
            return
        lat, lon = data.values.get("lat"), data.values.get("lon")
        problem = self.extent.problem(lat, lon)
        if problem:
            column = "LAT" if self.fmt == REFORMA else "lat"
            data.problem(column, f"{lat}, {lon}", _("coordinates dropped: %s") % problem)
            data.values["lat"] = data.values["lon"] = None

    def _check_duplicate(self, data: RowData) -> None:
        key = data.external_id or (f"id:{data.pk}" if data.pk else "")
        if not key or data.failed:
            return
        if key in self.seen_keys:
            column = "HOUSE_ID" if self.fmt == REFORMA else "external_id"
            data.problem(
                column,
                data.external_id or data.pk,
                _("the same building is already in row %d") % self.seen_keys[key],
                fatal=True,
            )
        else:
            self.seen_keys[key] = data.row

    # Applying a row to a building (both paths) ---------------------------------------------

    def new_building(self) -> Building:
        """Return a new building of the import: a copy of one made once (Model() is slow)."""
        if self._template is None:
            self._template = Building(
                municipality=self.municipality, source=self.source, house_type=""
            )
        building = Building.__new__(Building)
        building.__dict__.update(self._template.__dict__)
        building._state = ModelState()
        building._state.fields_cache = dict(self._template._state.fields_cache)
        return building

    def apply(self, building: Building, data: RowData, *, track: bool = True) -> set[str]:
        """Set the row's values on a building; return the names of the fields that changed."""
        tracked = set(data.values) | {"search_text", "h3_cell", "district_id", "external_id"}
        before = {name: getattr(building, name) for name in tracked} if track else {}
        for name, value in data.values.items():
            setattr(building, name, value)
        if data.external_id:
            building.external_id = data.external_id
        if data.district_key is not None:
            district = self.locator.find(data.district_key) if data.district_key else None
            if data.district_key and district is None:
                data.problem("district", data.district_key, _("no such district"))
            building.district = district
        elif building.lat is not None and building.lon is not None:
            # Реформа files name no district: the coordinates decide when they can.
            located = self.locator.locate(building.lat, building.lon)
            if located is not None:
                building.district = located
        building_fill_derived(
            building=building, locate_district=self.locator.locate, main_locality=self.main_locality
        )
        if not track:
            return set()
        return {name for name in tracked if getattr(building, name) != before[name]}

    def manager_wanted(self, data: RowData) -> Organisation | None | bool:
        """Return the organisation the row names, None for 'no manager', False for silence."""
        if data.manager_name is None:
            return False
        if data.manager_name == "":
            return None
        return self.managers.get(data.manager_name, data.manager_link)

    @staticmethod
    def manager_changes(building: Building, data: RowData, manager) -> bool:
        """Tell whether the row changes who manages the building, or since when."""
        return manager is not False and (
            (manager.pk if manager else None) != building.management_company_id
            or bool(
                manager and data.manager_since and data.manager_since != building.management_since
            )
        )

    def manager_reassign(self, building: Building, data: RowData, manager) -> bool:
        """Record the row's manager of an existing building; False when it was refused."""
        column = "MGMT_COMPANY" if self.fmt == REFORMA else "management_company"
        try:
            with transaction.atomic():
                building_assign_management_company(
                    building=building,
                    organisation=manager,
                    start_date=data.manager_since,
                    closed_on=self.today,
                )
        except DomainError as exc:
            data.problem(column, data.manager_name, exc.message)
            return False
        if manager and data.manager_since is None:
            data.problem(
                "SERVICEDATE_START" if self.fmt == REFORMA else "management_since",
                "",
                _(
                    "the manager changed and the file gives no start date: the new one is "
                    "recorded without one, the previous contract closes on %s"
                )
                % self.today.isoformat(),
            )
        return True

    def managers_forget(self) -> None:
        """Forget the organisations created in a transaction that was rolled back."""
        self.managers = Managers(self.municipality)
