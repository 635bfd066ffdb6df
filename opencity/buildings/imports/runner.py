"""Run an import: read, convert, and write rows in batches, one transaction per batch."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.geo import DistrictLocator, municipality_extent
from opencity.buildings.imports.formats import (
    OWN,
    REFORMA,
    format_detect,
    row_read_own,
    row_read_reforma,
)
from opencity.buildings.imports.readers import ImportFileError, table_read
from opencity.buildings.imports.result import ImportIssue, ImportResult, RowData
from opencity.buildings.imports.values import as_text
from opencity.buildings.models import Building, BuildingSource
from opencity.buildings.services import building_assign_management_company, building_fill_derived
from opencity.core.errors import DomainError
from opencity.core.models import Municipality
from opencity.organisations.models import (
    BUILDING_MANAGER_KINDS,
    ManagementContract,
    Organisation,
    OrganisationKind,
)

BATCH_SIZE = 500
Progress = Callable[[int, int], None]

_QUOTES = re.compile(r"[\"'«»“”„`]")
_HOA_MARKERS = re.compile(r"\b(тсж|жск|тсн|жк)\b", re.IGNORECASE)
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

    def get(self, name: str, link: str = "") -> Organisation:
        external_id = ""
        match = _PROFILE_ID.search(link or "")
        if match:
            external_id = f"reforma:{match.group(1)}"
            if f"ext:{external_id}" in self.by_key:
                return self.by_key[f"ext:{external_id}"]
        key = organisation_name_key(name)
        org = self.by_key.get(key)
        if org is None:
            if (
                external_id
                and Organisation.objects.filter(
                    municipality=self.municipality, external_id=external_id
                ).exists()
            ):
                external_id = ""  # the id belongs to an organisation of another kind
            kind = (
                OrganisationKind.HOMEOWNERS_ASSOCIATION
                if _HOA_MARKERS.search(name)
                else OrganisationKind.MANAGEMENT_COMPANY
            )
            org = Organisation.objects.create(
                municipality=self.municipality,
                kind=kind,
                name=name,
                website=link if link.startswith("http") and len(link) <= 200 else "",
                external_id=external_id,
            )
            self.created += 1
            self.by_key[key] = org
            if external_id:
                self.by_key[f"ext:{external_id}"] = org
        return org


class _Importer:
    def __init__(self, *, municipality: Municipality, fmt: str, progress: Progress | None):
        self.municipality = municipality
        self.fmt = fmt
        self.progress = progress
        self.tz = ZoneInfo(municipality.time_zone or "Europe/Moscow")
        self.extent = municipality_extent(municipality=municipality)
        self.locator = DistrictLocator(municipality=municipality)
        self.managers = _Managers(municipality)
        self.seen_keys: dict[str, int] = {}
        self.today = timezone.localdate()

    # Reading -------------------------------------------------------------------------------

    def read_row(self, number: int, header: list[str], cells: list) -> RowData | None:
        if not any(as_text(c) for c in cells):
            return None
        if self.fmt == REFORMA:
            mapped = {h.upper(): v for h, v in zip(header, cells, strict=False) if h}
            data = row_read_reforma(number, mapped, tz=self.tz)
        else:
            mapped = {h.lower(): v for h, v in zip(header, cells, strict=False) if h}
            data = row_read_own(number, mapped, tz=self.tz)
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

    # Writing -------------------------------------------------------------------------------

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

    def _apply(self, building: Building, data: RowData) -> set[str]:
        """Set the row's values on a building; return the names of the fields that changed."""
        tracked = set(data.values) | {"search_text", "h3_cell", "district", "external_id"}
        before = {name: getattr(building, name) for name in tracked}
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
        building_fill_derived(building=building, locate_district=self.locator.locate)
        return {name for name in tracked if getattr(building, name) != before[name]}

    def _manager_wanted(self, data: RowData) -> Organisation | None | bool:
        """Return the organisation the row names, None for 'no manager', False for silence."""
        if data.manager_name is None:
            return False
        if data.manager_name == "":
            return None
        return self.managers.get(data.manager_name, data.manager_link)

    def write_batch(self, rows: list[RowData], result: ImportResult) -> None:
        try:
            with transaction.atomic():
                counts = self._write(rows)
        except DatabaseError:
            # One bad row must not cost the batch: retry row by row to find it.
            self.managers = _Managers(self.municipality)  # forget what was rolled back
            counts = [0, 0, 0]
            for data in rows:
                try:
                    with transaction.atomic():
                        c = self._write([data])
                except DatabaseError as exc:
                    self.managers = _Managers(self.municipality)
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
        unchanged = 0
        for data in rows:
            building = by_ext.get(data.external_id) if data.external_id else by_pk.get(data.pk)
            manager = self._manager_wanted(data)
            if building is None:
                building = Building(
                    municipality=self.municipality,
                    source=BuildingSource.REFORMA
                    if self.fmt == REFORMA
                    else BuildingSource.OWN_IMPORT,
                )
                self._apply(building, data)
                if manager:
                    building.management_company = manager
                    building.management_since = data.manager_since or self.today
                new.append((building, data, manager or None))
                continue
            fields = self._apply(building, data)
            manager_changes = manager is not False and (
                (manager.pk if manager else None) != building.management_company_id
                or (
                    manager
                    and data.manager_since
                    and data.manager_since != building.management_since
                )
            )
            if manager_changes:
                reassign.append((building, data, manager))
            if fields:
                building.updated_at = now
                changed.append(building)
                changed_fields |= fields
            elif not manager_changes:
                unchanged += 1
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
                    if manager
                ],
                batch_size=BATCH_SIZE,
            )
        if changed:
            Building.objects.bulk_update(
                changed, sorted(changed_fields | {"updated_at"}), batch_size=BATCH_SIZE
            )
        for building, data, manager in reassign:
            try:
                with transaction.atomic():
                    building_assign_management_company(
                        building=building,
                        organisation=manager,
                        start_date=data.manager_since or self.today,
                    )
            except DomainError as exc:
                column = "MGMT_COMPANY" if self.fmt == REFORMA else "management_company"
                data.problem(column, data.manager_name, exc.message)
        changed_ids = {id(b) for b in changed} | {id(b) for b, _d, _m in reassign}
        return [len(new), len(changed_ids), unchanged]


def building_import(
    *,
    municipality: Municipality,
    source: str | Path | BinaryIO,
    filename: str = "",
    fmt: str = "auto",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import buildings from CSV or XLSX; report bad rows and keep the good ones."""
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
    result = ImportResult(format=fmt, dry_run=dry_run, total=len(table.rows))
    importer = _Importer(municipality=municipality, fmt=fmt, progress=progress)
    with transaction.atomic():
        batch: list[RowData] = []
        done = 0
        for number, cells in table.rows:
            done += 1
            data = importer.read_row(number, table.header, cells)
            if data is None:
                result.total -= 1
                continue
            if data.failed:
                result.failed += 1
                result.errors.extend(data.issues)
                continue
            batch.append(data)
            if len(batch) >= BATCH_SIZE:
                _flush(importer, batch, result)
                batch = []
                if progress:
                    progress(done, len(table.rows))
        if batch:
            _flush(importer, batch, result)
        if progress:
            progress(len(table.rows), len(table.rows))
        if dry_run:
            transaction.set_rollback(True)
    result.errors.sort(key=lambda issue: (issue.row, issue.fatal is False))
    return result


def _flush(importer: _Importer, batch: list[RowData], result: ImportResult) -> None:
    importer.write_batch(batch, result)
    for data in batch:
        result.errors.extend(data.issues)


__all__ = ["ImportIssue", "ImportResult", "building_import"]
