"""What both import paths share: the context, the row-local checks, issues and the report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from opencity.core.models import Municipality
from opencity.meters import rules
from opencity.meters.models import MeterRules, ReadingImport
from opencity.organisations.models import Organisation

COLUMN_OF_CODE = {
    "serial_missing": "serial_number",
    "period_invalid": "period",
    "period_future": "period",
    "rollover_invalid": "rollover",
    "meter_unknown": "serial_number",
    "meter_other_provider": "serial_number",
}
ISSUES_SHOWN = 200


@dataclass
class Context:
    municipality: Municipality
    provider: Organisation | None
    batch: ReadingImport
    limits: rules.Limits
    today: dt.date
    now: dt.datetime

    @property
    def this_month(self) -> dt.date:
        return self.today.replace(day=1)


def context_make(
    *, municipality: Municipality, provider: Organisation | None, batch: ReadingImport
) -> Context:
    settings = MeterRules.objects.filter(municipality=municipality).first() or MeterRules()
    now = timezone.now()
    return Context(
        municipality=municipality,
        provider=provider,
        batch=batch,
        limits=rules.Limits(
            jump_factor=settings.jump_factor,
            average_months=settings.average_months,
            min_history_months=settings.min_history_months,
        ),
        today=now.astimezone(ZoneInfo(municipality.time_zone)).date(),
        now=now,
    )


@dataclass(slots=True)
class Issue:
    row: int
    column: str
    value: str
    code: str
    params: dict
    warning: bool = False

    @property
    def reason(self) -> str:
        return rules.reason_text(self.code, self.params)


@dataclass(slots=True)
class Prepared:
    """A row that passed the checks needing no database: serial, month, rollover, zone cells."""

    row: int
    serial: str
    period: dt.date
    rollover: bool
    states: tuple  # per zone: None blank, "" not a reading, else the number as text
    raws: tuple  # per zone: the cell as written


@dataclass
class Outcome:
    total: int = 0
    accepted: int = 0
    unchanged: int = 0
    failed: int = 0
    flagged: int = 0
    issues: list[Issue] = field(default_factory=list)

    def error(self, issue: Issue) -> None:
        self.failed += 1
        self.issues.append(issue)


class Preparer:
    """The row-local checks (no database), remembered for texts that repeat (months, flags)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.periods: dict[str, dt.date | None] = {}
        self.flags: dict[str, bool | None] = {}

    def prepare(self, row: int, texts: tuple[str, ...], outcome: Outcome) -> Prepared | None:
        serial, period_text, t1, t2, t3, rollover_text = texts
        serial = serial.strip()
        if rules.is_blank(serial):
            outcome.error(Issue(row, "serial_number", serial, "serial_missing", {}))
            return None
        period = self.periods.get(period_text, False)
        if period is False:
            period = self.periods[period_text] = rules.period_parse(period_text)
        if period is None:
            outcome.error(Issue(row, "period", period_text, "period_invalid", {}))
            return None
        if period > self.ctx.this_month:
            outcome.error(Issue(row, "period", period_text, "period_future", {}))
            return None
        flag = self.flags.get(rollover_text, 0)
        if flag == 0:
            flag = self.flags[rollover_text] = rules.flag_parse(rollover_text)
        if flag is None:
            outcome.error(Issue(row, "rollover", rollover_text, "rollover_invalid", {}))
            return None
        raws = (t1, t2, t3)
        return Prepared(row, serial, period, flag, tuple(rules.zone_state(t) for t in raws), raws)


def shown_value(prepared_state: str | None, raw: str) -> str:
    """The cell a zone issue names: the number as read, or the text that is not one."""
    if prepared_state is None:
        return ""
    return raw if prepared_state == "" else prepared_state


def report_csv(issues: list[Issue]) -> str:
    """The whole report as CSV text: row, column, value, problem, kind."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "column", "value", "problem", "kind"])
    for issue in issues:
        writer.writerow(
            [
                issue.row,
                issue.column,
                issue.value,
                issue.reason,
                "warning" if issue.warning else "error",
            ]
        )
    return out.getvalue()


def outcome_store(batch: ReadingImport, outcome: Outcome, *, seconds: float) -> ReadingImport:
    """Write the counts and the report onto the import's row."""
    outcome.issues.sort(key=lambda i: (i.row, i.warning))
    batch.total = outcome.total
    batch.accepted = outcome.accepted
    batch.unchanged = outcome.unchanged
    batch.failed = outcome.failed
    batch.flagged = outcome.flagged
    batch.seconds = round(seconds, 3)
    batch.issues = [
        {"row": i.row, "column": i.column, "value": i.value, "reason": i.reason,
         "warning": i.warning}
        for i in outcome.issues[:ISSUES_SHOWN]
    ]  # fmt: skip
    batch.report = report_csv(outcome.issues) if outcome.issues else ""
    batch.save()
    return batch
