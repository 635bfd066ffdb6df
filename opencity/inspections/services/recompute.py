"""Recomputing every building's wear under a new methodology version, from what its latest
signed act observed. No signed act changes: the new figures are history rows of one
WearRecompute run (source "recomputed"); the passport keeps its act's figures.

Set-based: the latest signed act of each building in one query (a subquery per building), their
elements, parts and signs in three queries per thousand acts, the calculation in memory (one
snapshot of the version, one share set per building type, an element's result computed once
for the same observation), the rows in one COPY on PostgreSQL. Elements and signs are matched by code (codes stay the same
across versions); an override of the commission stays an override; a building whose act the
new version cannot read (an element or a sign it dropped) is counted as skipped.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.models import Building
from opencity.core.errors import PermissionDenied
from opencity.inspections import calculation as calc
from opencity.inspections.models import (
    Act,
    ActElement,
    ActPart,
    ActStatus,
    BuildingWearRecord,
    Methodology,
    WearRecompute,
    WearRecordSource,
)
from opencity.inspections.permissions import wear_can_recompute
from opencity.inspections.selectors.methodology import (
    building_type_for,
    methodology_snapshot,
    shares_snapshot,
)
from opencity.inspections.services.methodology import methodology_ensure_published

# Acts read per round of the elements', parts' and signs' queries (their ids are parameters).
CHUNK = 1000


def _latest_ids(municipality_id: int):
    """The id of each building's latest signed act with a building wear, as a subquery."""
    latest = (
        Act.objects.filter(building=OuterRef("pk"), status=ActStatus.SIGNED, wear__isnull=False)
        .order_by("-inspected_on", "-signed_at", "-id")
        .values("pk")[:1]
    )
    return (
        Building.objects.filter(municipality_id=municipality_id)
        .annotate(act_id=Subquery(latest))
        .filter(act_id__isnull=False)
        .values("act_id")
    )


def _latest_acts(latest_ids) -> list[tuple]:
    """(act id, building id, building type code, technical state, date, wall, storeys)."""
    return list(
        Act.objects.filter(pk__in=latest_ids)
        .order_by("pk")
        .values_list(
            "pk",
            "building_id",
            "building_type__code",
            "technical_state",
            "inspected_on",
            "building__wall_material",
            "building__floors_max",
        )
    )


def _observations(act_ids: list[int]) -> dict[int, list[calc.Observation]]:
    """Each act's elements as the calculation's observations, read in three queries."""
    elements = list(
        ActElement.objects.filter(act_id__in=act_ids)
        .order_by("act_id", "element__order", "id")
        .values_list("pk", "act_id", "element__code", "override", "override_reason")
    )
    parts: dict[int, list[tuple]] = defaultdict(list)
    part_rows = (
        ActPart.objects.filter(act_element__act_id__in=act_ids)
        .order_by("act_element_id", "order", "id")
        .values_list("pk", "act_element_id", "size", "wear")
    )
    for part_id, element_id, size, wear in part_rows:
        parts[element_id].append((part_id, size, wear))
    signs: dict[int, list[str]] = defaultdict(list)
    through = ActPart.signs.through
    for part_id, code in through.objects.filter(
        actpart__act_element__act_id__in=act_ids
    ).values_list("actpart_id", "damagesign__code"):
        signs[part_id].append(code)
    observations: dict[int, list[calc.Observation]] = defaultdict(list)
    for element_id, act_id, code, override, reason in elements:
        observations[act_id].append(
            calc.Observation(
                code,
                tuple(
                    calc.Part(size, tuple(signs.get(part_id, ())), wear)
                    for part_id, size, wear in parts[element_id]
                ),
                override=override,
                reason=reason,
            )
        )
    return observations


RECORD_COLUMNS = (
    "municipality_id",
    "building_id",
    "source",
    "act_id",
    "recompute_id",
    "methodology_id",
    "wear",
    "condition",
    "repair_class",
    "technical_state",
    "assessed_on",
    "created_at",
)


def _records_write(rows: list[tuple]) -> None:
    """Write the history rows: one COPY on PostgreSQL, batched inserts elsewhere."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(BuildingWearRecord._meta.db_table)
        columns = ", ".join(RECORD_COLUMNS)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    BuildingWearRecord.objects.bulk_create(
        (BuildingWearRecord(**dict(zip(RECORD_COLUMNS, row, strict=True))) for row in rows),
        batch_size=2000,
    )


@transaction.atomic
def wear_recompute(*, methodology: Methodology, actor=None, now=None) -> WearRecompute:
    """Recompute each building's wear from its latest signed act's observations under a
    methodology version (in force or superseded, never a draft), as a new run's history rows.
    Without an actor it is the operator's run (a management command, the bench)."""
    if actor is not None and not wear_can_recompute(
        user=actor, municipality_id=methodology.municipality_id
    ):
        raise PermissionDenied(_("Only a municipal admin recomputes the city's wear."))
    methodology_ensure_published(methodology=methodology)
    now = now or timezone.now()
    run = WearRecompute.objects.create(
        municipality_id=methodology.municipality_id,
        methodology=methodology,
        started_by=actor if actor is not None and actor.is_authenticated else None,
        started_at=now,
    )
    snapshot = methodology_snapshot(methodology=methodology)
    types = {t.code: t for t in methodology.building_types.all()}
    shares: dict[int, tuple[calc.Share, ...]] = {}

    def shares_of(type_code, wall, storeys):
        building_type = types.get(type_code) or building_type_for(
            methodology=methodology, wall_material=wall or "", storeys=storeys
        )
        if building_type is None:
            return None
        if building_type.pk not in shares:
            shares[building_type.pk] = shares_snapshot(building_type=building_type)
        return shares[building_type.pk]

    acts = _latest_acts(_latest_ids(methodology.municipality_id))
    observations: dict[int, list[calc.Observation]] = {}
    for start in range(0, len(acts), CHUNK):
        observations.update(_observations([row[0] for row in acts[start : start + CHUNK]]))
    records, skipped, memo = [], 0, {}
    for act_id, building_id, type_code, technical_state, on, wall, storeys in acts:
        share_set = shares_of(type_code, wall, storeys)
        try:
            result = calc.wear_calculate(
                methodology=snapshot,
                observations=observations.get(act_id, ()),
                shares=share_set or (),
                memo=memo,
            )
        except calc.CalculationError:
            result = None
        if result is None or result.building is None:
            skipped += 1
            continue
        records.append(
            (
                methodology.municipality_id,
                building_id,
                WearRecordSource.RECOMPUTED.value,
                act_id,
                run.pk,
                methodology.pk,
                result.building,
                result.condition,
                result.repair_class,
                technical_state,
                on,
                now,
            )
        )
    _records_write(records)
    run.buildings = len(acts)
    run.computed = len(records)
    run.skipped = skipped
    run.finished_at = timezone.now()
    run.save(update_fields=["buildings", "computed", "skipped", "finished_at"])
    return run
