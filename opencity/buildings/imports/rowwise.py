"""Write the read and checked rows of a registry import row by row, in batches.

The path off PostgreSQL, and on PostgreSQL the one for the rows the set-based writer
(setbased.py) cannot write in bulk. Each batch is a savepoint: existing buildings are found
by external id or id, new ones bulk-created, changed ones bulk-updated with only the fields
that changed; a batch the database refuses is retried row by row to find the bad row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.imports.result import ImportResult, RowData
from opencity.buildings.models import Building
from opencity.organisations.models import ManagementContract, Organisation

if TYPE_CHECKING:
    from opencity.buildings.imports.importer import Importer

BATCH_SIZE = 500


def _existing(importer: Importer, rows: list[RowData]) -> tuple[dict, dict]:
    """Find the buildings the rows name: (by external id, by id)."""
    ext_ids = [r.external_id for r in rows if r.external_id]
    pks = [r.pk for r in rows if r.pk and not r.external_id]
    by_ext, by_pk = {}, {}
    if ext_ids:
        for b in Building.objects.filter(
            municipality=importer.municipality, external_id__in=ext_ids
        ):
            by_ext[b.external_id] = b
    if pks:
        for b in Building.objects.filter(municipality=importer.municipality, pk__in=pks):
            by_pk[b.pk] = b
    return by_ext, by_pk


def write_batch(importer: Importer, rows: list[RowData], result: ImportResult) -> None:
    """Write a batch in a savepoint; count it, and report the rows the database refuses."""
    try:
        with transaction.atomic():
            counts = _write(importer, rows)
    except DatabaseError:
        # One bad row must not cost the batch: retry row by row to find it.
        importer.managers_forget()
        counts = [0, 0, 0]
        for data in rows:
            try:
                with transaction.atomic():
                    c = _write(importer, [data])
            except DatabaseError as exc:
                importer.managers_forget()
                data.problem("", "", _("rejected by the database: %s") % exc, fatal=True)
                result.failed += 1
                continue
            counts = [a + b for a, b in zip(counts, c, strict=True)]
    result.created += counts[0]
    result.updated += counts[1]
    result.unchanged += counts[2]


def _write(importer: Importer, rows: list[RowData]) -> list[int]:
    """Write the rows; return how many were created, updated and unchanged."""
    by_ext, by_pk = _existing(importer, rows)
    now = timezone.now()
    new: list[tuple[Building, RowData, Organisation | None]] = []
    changed: list[Building] = []
    changed_fields: set[str] = set()
    reassign: list[tuple[Building, RowData, Organisation | None]] = []
    for data in rows:
        building = by_ext.get(data.external_id) if data.external_id else by_pk.get(data.pk)
        manager = importer.manager_wanted(data)
        if building is None:
            building = importer.new_building()
            importer.apply(building, data, track=False)
            if manager:
                building.management_company = manager
                building.management_since = data.manager_since
            new.append((building, data, manager or None))
            continue
        fields = importer.apply(building, data)
        if importer.manager_changes(building, data, manager):
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
                    municipality=importer.municipality,
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
    reassigned = [b for b, d, m in reassign if importer.manager_reassign(b, d, m)]
    changed_ids = {id(b) for b in changed} | {id(b) for b in reassigned}
    existing = len(rows) - len(new)
    return [len(new), len(changed_ids), existing - len(changed_ids)]
