"""What both import paths share: the context, the row-local checks, issues and the report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import timezone

from opencity.core.models import Municipality
from opencity.meters import rules
from opencity.meters.models import MeterRules, ReadingImport
from opencity.organisations.models import Organisation

ISSUES_SHOWN = 200
_UNSEEN = object()


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


# A row that passed the checks needing no database, as the staging table holds it:
# (row, serial, month, rolled over, s1, s2, s3, r1, r2, r3) where s is a zone's state
# (None blank, "" not a reading, else the number as text) and r the cell as written when
# it is not a reading.
Prepared = tuple


class Row(NamedTuple):
    """A prepared row with names, for the row-by-row path."""

    row: int
    serial: str
    period: dt.date
    rollover: bool
    s1: str | None
    s2: str | None
    s3: str | None
    r1: str | None
    r2: str | None
    r3: str | None

    @property
    def states(self) -> tuple:
        return (self.s1, self.s2, self.s3)

    @property
    def raws(self) -> tuple:
        return (self.r1, self.r2, self.r3)


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
        # A serial ending in a digit is no blank marker: most rows skip the full check.
        if not (serial and serial[-1].isdigit()) and rules.is_blank(serial):
            outcome.error(Issue(row, "serial_number", serial, "serial_missing", {}))
            return None
        period = self.periods.get(period_text, _UNSEEN)
        if period is _UNSEEN:
            period = self.periods[period_text] = self._period(period_text)
        if period is None:
            outcome.error(Issue(row, "period", period_text, "period_invalid", {}))
            return None
        if period == "future":
            outcome.error(Issue(row, "period", period_text, "period_future", {}))
            return None
        flag = self.flags.get(rollover_text, _UNSEEN)
        if flag is _UNSEEN:
            flag = self.flags[rollover_text] = rules.flag_parse(rollover_text)
        if flag is None:
            outcome.error(Issue(row, "rollover", rollover_text, "rollover_invalid", {}))
            return None
        zone_state = rules.zone_state
        s1 = zone_state(t1)
        s2 = zone_state(t2) if t2 else None
        s3 = zone_state(t3) if t3 else None
        return (
            row,
            serial,
            period,
            flag,
            s1,
            s2,
            s3,
            t1 if s1 == "" else None,
            t2 if s2 == "" else None,
            t3 if s3 == "" else None,
        )

    def _period(self, text: str):
        period = rules.period_parse(text)
        if period is not None and period > self.ctx.this_month:
            return "future"
        return period


def shown_value(state: str | None, raw: str | None) -> str:
    """Return the cell a zone issue names: the number as read, or the text that is not one."""
    if state is None:
        return ""
    return (raw or "") if state == "" else state


def report_csv(issues: list[Issue]) -> str:
    """Return the whole report as CSV text: row, column, value, problem, kind."""
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
        {
            "row": i.row,
            "column": i.column,
            "value": i.value,
            "reason": i.reason,
            "warning": i.warning,
        }
        for i in outcome.issues[:ISSUES_SHOWN]
    ]
    batch.report = report_csv(outcome.issues) if outcome.issues else ""
    batch.save()
    return batch
