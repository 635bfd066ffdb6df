"""Run an import: read and check every row, then write the good ones.

On PostgreSQL the rows are written set-based (imports/setbased.py: COPY into a staging
table, one INSERT … SELECT and a few UPDATE … FROM); elsewhere row by row in batches
(`_Importer.write_batch`). Both read, check and report with the same code, so the report
is the same row for row; the set-based path hands the rows it cannot write in bulk (an
existing building whose row lacks a value its derived fields need) to the row-by-row one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.addresses import locality_key
from opencity.buildings.geo import DistrictLocator, municipality_extent
from opencity.buildings.imports.checks import row_check
from opencity.buildings.imports.formats import (
    OWN,
    REFORMA,
    format_column_key,
    format_column_of,
    format_columns,
    format_detect,
    row_read_own,
    row_read_reforma,
)
from opencity.buildings.imports.precheck import coordinates_precheck
from opencity.buildings.imports.readers import ImportFileError, table_read
from opencity.buildings.imports.result import ImportIssue, ImportResult, RowData
from opencity.buildings.imports.setbased import import_setbased
from opencity.buildings.imports.values import as_text
from opencity.buildings.models import Building, BuildingSource
from opencity.buildings.services import building_assign_management_company, building_fill_derived
from opencity.core.errors import DomainError
from opencity.core.models import Municipality
from opencity.core.refcache import refcache_changed
from opencity.organisations.legal_forms import organisation_kind_guess
from opencity.organisations.models import (
    BUILDING_MANAGER_KINDS,
    ManagementContract,
    Organisation,
)

BATCH_SIZE = 500
METHODS = ("auto", "set", "row")
Progress = Callable[[int, int], None]

_QUOTES = re.compile(r"[\"'«»“”„`]")
_PROFILE_ID = re.compile(r"(\d+)/?$")


def organisation_name_key(name: str) -> str:
    """Fold an organisation name for matching: case, quotes, ё and spacing do not count."""
    text = _QUOTES.sub(" ", name.lower().replace("ё", "е"))
    return " ".join(text.split())


class _Managers:
    """Match management companies by name (or Реформа profile id), creating missing ones."""

    def __init__(self, municipality: Municipality):
        self.municipality = municipality
        self.by_key: dict[str, Organisation] = {}
        self.created = 0
        for org in Organisation.objects.filter(
            municipality=municipality, kind__in=BUILDING_MANAGER_KINDS
        ).order_by("id"):
            for name in (org.name, org.short_name):
                if name:
                    self.by_key.setdefault(organisation_name_key(name), org)
            if org.external_id:
                self.by_key.setdefault(f"ext:{org.external_id}", org)
        # Ids taken by organisations of other kinds (a utility with the same profile).
        self.taken_ids = set(
            Organisation.objects.filter(municipality=municipality)
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )

    def _lookup(self, name: str, link: str) -> tuple[Organisation | None, str, str]:
        """Find the organisation a row names: (found or None, its name key, its external id)."""
        external_id = ""
        match = _PROFILE_ID.search(link or "")
        if match:
            external_id = f"reforma:{match.group(1)}"
            if f"ext:{external_id}" in self.by_key:
                return self.by_key[f"ext:{external_id}"], "", external_id
        key = organisation_name_key(name)
        return self.by_key.get(key), key, external_id

    def _new(self, name: str, link: str, external_id: str) -> Organisation:
        if external_id in self.taken_ids:
            external_id = ""  # the id belongs to an organisation of another kind
        if external_id:
            self.taken_ids.add(external_id)
        return Organisation(
            municipality=self.municipality,
            kind=organisation_kind_guess(name=name),
            name=name,
            website=link if link.startswith("http") and len(link) <= 200 else "",
            external_id=external_id,
        )

    def _remember(self, org: Organisation, key: str) -> None:
        self.created += 1
        self.by_key[key] = org
        if org.external_id:
            self.by_key[f"ext:{org.external_id}"] = org

    def create_missing(self, wanted: list[tuple[str, str]]) -> None:
        """Create every organisation the (name, link) pairs name and we lack, in one INSERT."""
        new: list[Organisation] = []
        for name, link in wanted:
            org, key, external_id = self._lookup(name, link)
            if org is None:
                # Known from here on, as get() would know it: the next row finds this one.
                org = self._new(name, link, external_id)
                self._remember(org, key)
                new.append(org)
        if new:
            Organisation.objects.bulk_create(new)
            refcache_changed()  # bulk_create sends no post_save: the cache must hear of them

    def get(self, name: str, link: str = "") -> Organisation:
        org, key, external_id = self._lookup(name, link)
        if org is None:
            org = self._new(name, link, external_id)
            org.save()
            self._remember(org, key)
        return org


class _Importer:
    batch_size = BATCH_SIZE

    def __init__(self, *, municipality: Municipality, fmt: str, header: list[str]):
        self.municipality = municipality
        self.fmt = fmt
        self.tz = ZoneInfo(municipality.time_zone or "Europe/Moscow")
        self.extent = municipality_extent(municipality=municipality)
        self.locator = DistrictLocator(municipality=municipality)
        self.managers = _Managers(municipality)
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

    # Writing row by row --------------------------------------------------------------------

    def _existing(self, rows: list[RowData]) -> tuple[dict, dict]:
        ext_ids = [r.external_id for r in rows if r.external_id]
        pks = [r.pk for r in rows if r.pk and not r.external_id]
        by_ext, by_pk = {}, {}
        if ext_ids:
            for b in Building.objects.filter(
                municipality=self.municipality, external_id__in=ext_ids
            ):
                by_ext[b.external_id] = b
        if pks:
            for b in Building.objects.filter(municipality=self.municipality, pk__in=pks):
                by_pk[b.pk] = b
        return by_ext, by_pk

    def managers_forget(self) -> None:
        """Forget the organisations created in a transaction that was rolled back."""
        self.managers = _Managers(self.municipality)

    def write_batch(self, rows: list[RowData], result: ImportResult) -> None:
        try:
            with transaction.atomic():
                counts = self._write(rows)
        except DatabaseError:
            # One bad row must not cost the batch: retry row by row to find it.
            self.managers_forget()
            counts = [0, 0, 0]
            for data in rows:
                try:
                    with transaction.atomic():
                        c = self._write([data])
                except DatabaseError as exc:
                    self.managers_forget()
                    data.problem("", "", _("rejected by the database: %s") % exc, fatal=True)
                    result.failed += 1
                    continue
                counts = [a + b for a, b in zip(counts, c, strict=True)]
        result.created += counts[0]
        result.updated += counts[1]
        result.unchanged += counts[2]

    def _write(self, rows: list[RowData]) -> list[int]:
        by_ext, by_pk = self._existing(rows)
        now = timezone.now()
        new: list[tuple[Building, RowData, Organisation | None]] = []
        changed: list[Building] = []
        changed_fields: set[str] = set()
        reassign: list[tuple[Building, RowData, Organisation | None]] = []
        for data in rows:
            building = by_ext.get(data.external_id) if data.external_id else by_pk.get(data.pk)
            manager = self.manager_wanted(data)
            if building is None:
                building = self.new_building()
                self.apply(building, data, track=False)
                if manager:
                    building.management_company = manager
                    building.management_since = data.manager_since
                new.append((building, data, manager or None))
                continue
            fields = self.apply(building, data)
            if self.manager_changes(building, data, manager):
                reassign.append((building, data, manager))
            if fields:
                building.updated_at = now
                changed.append(building)
                changed_fields |= fields
        if new:
            Building.objects.bulk_create([b for b, _d, _m in new], batch_size=BATCH_SIZE)
            ManagementContract.objects.bulk_create(
                [
                    ManagementContract(
                        municipality=self.municipality,
                        organisation=manager,
                        building=building,
                        start_date=building.management_since,
                    )
                    for building, _d, manager in new
                    if manager and building.management_since
                ],
                batch_size=BATCH_SIZE,
            )
        if changed:
            Building.objects.bulk_update(
                changed, sorted(changed_fields | {"updated_at"}), batch_size=BATCH_SIZE
            )
        # A change of manager the contracts refuse (reported) changes nothing.
        reassigned = [b for b, d, m in reassign if self.manager_reassign(b, d, m)]
        changed_ids = {id(b) for b in changed} | {id(b) for b in reassigned}
        existing = len(rows) - len(new)
        return [len(new), len(changed_ids), existing - len(changed_ids)]


def building_import(
    *,
    municipality: Municipality,
    source: str | Path | BinaryIO,
    filename: str = "",
    fmt: str = "auto",
    dry_run: bool = False,
    progress: Progress | None = None,
    method: str = "auto",
) -> ImportResult:
    """Import buildings from CSV or XLSX; report bad rows and keep the good ones.

    `method`: 'set' writes set-based (PostgreSQL only), 'row' row by row; 'auto' picks the
    set-based path on PostgreSQL. The report is the same either way.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    if method == "auto":
        method = "set" if connection.vendor == "postgresql" else "row"
    if method == "set" and connection.vendor != "postgresql":
        raise ValueError("the set-based import needs PostgreSQL")
    table = table_read(source, filename=filename)
    detected = format_detect(table.header)
    if fmt == "auto":
        if detected is None:
            raise ImportFileError(
                _(
                    "Unknown columns: expected our own format (an 'address' column) "
                    "or the Реформа ЖКХ export (HOUSE_ID, ADDRESS)."
                )
            )
        fmt = detected
    elif fmt not in (OWN, REFORMA):
        raise ImportFileError(_("Unknown format %r.") % fmt)
    elif detected != fmt:
        raise ImportFileError(_("The header does not match the %s format.") % fmt)
    coordinates_precheck(municipality=municipality, table=table, fmt=fmt)
    result = ImportResult(format=fmt, dry_run=dry_run, total=len(table.rows), method=method)
    importer = _Importer(municipality=municipality, fmt=fmt, header=table.header)
    result.ignored_columns = list(importer.ignored)
    with transaction.atomic():
        if method == "set":
            _import_set(importer, table.rows, result, progress)
        else:
            _import_rows(importer, table.rows, result, progress)
        if progress:
            progress(len(table.rows), len(table.rows))
        if dry_run:
            transaction.set_rollback(True)
    result.errors.sort(key=lambda issue: (issue.row, issue.fatal is False))
    return result


def _read(importer: _Importer, number: int, cells: list, result: ImportResult) -> RowData | None:
    """Read one row; count and report it when it fails, return it when it is to be written."""
    data = importer.read_row(number, cells)
    if data is None:
        result.total -= 1
        return None
    if data.failed:
        result.failed += 1
        result.errors.extend(data.issues)
        return None
    return data


def _import_rows(importer: _Importer, rows, result: ImportResult, progress) -> None:
    batch: list[RowData] = []
    for done, (number, cells) in enumerate(rows, start=1):
        data = _read(importer, number, cells, result)
        if data is None:
            continue
        batch.append(data)
        if len(batch) >= BATCH_SIZE:
            _flush(importer, batch, result)
            batch = []
            if progress:
                progress(done, len(rows))
    if batch:
        _flush(importer, batch, result)


def _import_set(importer: _Importer, rows, result: ImportResult, progress) -> None:
    good: list[RowData] = []
    for done, (number, cells) in enumerate(rows, start=1):
        data = _read(importer, number, cells, result)
        if data is not None:
            good.append(data)
        if progress and done % BATCH_SIZE == 0:
            progress(done, len(rows))
    import_setbased(importer, good, result)


def _flush(importer: _Importer, batch: list[RowData], result: ImportResult) -> None:
    importer.write_batch(batch, result)
    for data in batch:
        result.errors.extend(data.issues)


__all__ = ["ImportIssue", "ImportResult", "building_import"]
