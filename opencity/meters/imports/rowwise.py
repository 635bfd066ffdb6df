"""Check and write readings row by row in Python (SQLite, and small files anywhere).

Rows are taken month by month in file order, so a later month of the same meter sees the
earlier one as its previous reading, as on PostgreSQL (imports/setbased.py).

See docs/subsystems/imports.md.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import islice

from django.db.models import Max

from opencity.meters import rules
from opencity.meters.imports.common import Context, Issue, Outcome, Prepared, Row, shown_value
from opencity.meters.models import Meter, MeterReading, ReadingSource
from opencity.meters.selectors.common import meter_facts

CHUNK = 500


def _chunks(items, size=CHUNK):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def reading_neighbours(*, meter_ids, period):
    """Return per meter: the previous reading, the one for the period, and the latest later month."""
    previous, existing, later = {}, {}, {}
    for chunk in _chunks(meter_ids):
        rows = (
            MeterReading.objects.filter(meter_id__in=chunk, period__lt=period)
            .order_by("meter_id", "-period")
            .values_list(
                "meter_id",
                "period",
                "value1",
                "value2",
                "value3",
                "avg_consumption",
                "months_counted",
            )
        )
        for meter_id, p, v1, v2, v3, avg, months in rows:
            if meter_id not in previous:
                previous[meter_id] = rules.Previous((v1, v2, v3), p, avg, months)
        for meter_id, v1, v2, v3 in MeterReading.objects.filter(
            meter_id__in=chunk, period=period
        ).values_list("meter_id", "value1", "value2", "value3"):
            existing[meter_id] = (v1, v2, v3)
        later.update(
            MeterReading.objects.filter(meter_id__in=chunk, period__gt=period)
            .values("meter_id")
            .annotate(latest=Max("period"))
            .values_list("meter_id", "latest")
        )
    return previous, existing, later


def evaluate_row(
    item: Row,
    meter: Meter,
    *,
    ctx: Context,
    duplicate_of: int | None,
    previous,
    existing,
    later,
) -> rules.Evaluation:
    """Apply the rules to one prepared row whose meter is known."""
    evaluation = rules.Evaluation()
    values = rules.zones_check(item.states, zones=meter.zones, evaluation=evaluation)
    if values is None:
        return evaluation
    return rules.reading_evaluate(
        meter=meter_facts(meter),
        period=item.period,
        values=values,
        rollover=item.rollover,
        previous=previous,
        existing=existing,
        later_period=later,
        limits=ctx.limits,
        today=ctx.today,
        duplicate_of=duplicate_of,
        evaluation=evaluation,
    )


def issue_for(item: Row, evaluation: rules.Evaluation) -> Issue:
    column = evaluation.error_field or "serial_number"
    if column.startswith("value_t"):
        zone = int(column[-1]) - 1
        value = shown_value(item.states[zone], item.raws[zone])
    else:
        value = item.serial
    return Issue(item.row, column, value, evaluation.error, evaluation.params)


def warnings_for(item: Row, evaluation: rules.Evaluation) -> list[Issue]:
    found = []
    shown = shown_value(item.states[0], item.raws[0])
    if evaluation.implausible:
        found.append(
            Issue(item.row, "value_t1", shown, "implausible", evaluation.warning_params, True)
        )
    if evaluation.overdue:
        found.append(
            Issue(
                item.row,
                "serial_number",
                item.serial,
                "verification_overdue",
                evaluation.warning_params,
                True,
            )
        )
    return found


def import_rowwise(prepared: list[Prepared], *, ctx: Context, outcome: Outcome) -> None:
    """Validate and write the prepared rows, month by month."""
    by_period: dict = defaultdict(list)
    for item in map(Row._make, prepared):
        by_period[item.period].append(item)
    for period in sorted(by_period):
        items = by_period[period]
        meters: dict[str, Meter] = {}
        for chunk in _chunks({item.serial for item in items}):
            for meter in Meter.objects.filter(
                municipality=ctx.municipality, is_active=True, serial_number__in=chunk
            ):
                meters[meter.serial_number] = meter
        first_row: dict[int, int] = {}
        for item in items:
            meter = meters.get(item.serial)
            if meter is not None:
                first_row.setdefault(meter.pk, item.row)
        previous, existing, later = reading_neighbours(
            meter_ids=[m.pk for m in meters.values()], period=period
        )
        new = []
        for item in items:
            meter = meters.get(item.serial)
            if meter is None:
                outcome.error(Issue(item.row, "serial_number", item.serial, "meter_unknown", {}))
                continue
            if ctx.provider is not None and meter.provider_id != ctx.provider.pk:
                outcome.error(
                    Issue(item.row, "serial_number", item.serial, "meter_other_provider", {})
                )
                continue
            first = first_row[meter.pk]
            evaluation = evaluate_row(
                item,
                meter,
                ctx=ctx,
                duplicate_of=first if first != item.row else None,
                previous=previous.get(meter.pk),
                existing=existing.get(meter.pk),
                later=later.get(meter.pk),
            )
            if not evaluation.ok:
                outcome.error(issue_for(item, evaluation))
                continue
            if evaluation.unchanged:
                outcome.unchanged += 1
                continue
            flagged = warnings_for(item, evaluation)
            outcome.issues.extend(flagged)
            outcome.flagged += bool(evaluation.implausible or evaluation.overdue)
            values = [_decimal(s) for s in item.states]
            new.append(
                MeterReading(
                    municipality=ctx.municipality,
                    meter=meter,
                    period=period,
                    value1=values[0],
                    value2=values[1] if meter.zones >= 2 else None,
                    value3=values[2] if meter.zones >= 3 else None,
                    consumption=evaluation.consumption,
                    avg_consumption=evaluation.avg,
                    months_counted=evaluation.months,
                    taken_at=ctx.now,
                    source=ReadingSource.IMPORT,
                    import_batch=ctx.batch,
                    rollover=evaluation.rollover,
                    implausible=evaluation.implausible,
                    verification_overdue=evaluation.overdue,
                )
            )
        MeterReading.objects.bulk_create(new, batch_size=2000)
        outcome.accepted += len(new)


def _decimal(state: str | None) -> Decimal | None:
    return Decimal(state) if state else None
