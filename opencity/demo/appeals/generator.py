"""Generate months of plausible appeals for a demo municipality, written set-based.

The rows are what the services would have written (numbers from the same counter and format,
deadlines and escalations from the services' rule functions, events from the services' event
functions), but produced directly: going through the services for ~1,000 appeals a day would
take hours. The work is split by job: `city` loads what the city has, `plan` draws the days'
counts, `story` plays each appeal's life, `clock` sets its deadlines, `rows` writes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from opencity.appeals.models import Appeal, AppealEvent, AppealNumberCounter
from opencity.appeals.services.numbering import appeal_number_format
from opencity.core.models import Municipality
from opencity.demo.appeals.city import CityMixin
from opencity.demo.appeals.clock import ClockMixin
from opencity.demo.appeals.plan import PlanMixin
from opencity.demo.appeals.rows import OPEN_SET, Ids, Writer
from opencity.demo.appeals.story import Life, StoryMixin

CHUNK_DAYS = 7
EVENT_COLUMNS = [
    "id",
    "municipality_id",
    "appeal_id",
    "kind",
    "actor_id",
    "from_status",
    "to_status",
    "comment",
    "params",
    "is_public",
    "created_at",
]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class AppealsReport:
    appeals: int = 0
    events: int = 0
    open: int = 0
    seconds: float = 0.0


def event_row(*, event_id: int, municipality_id: int, appeal_id: int, at, event, actor) -> list:
    """Return the columns (EVENT_COLUMNS) of one event row, as `events.event_build` fills them."""
    return [
        event_id,
        municipality_id,
        appeal_id,
        event.kind,
        actor.id if actor is not None else None,
        event.from_status,
        event.to_status,
        event.comment,
        event.params,
        event.is_public,
        at,
    ]


class AppealsGenerator(CityMixin, PlanMixin, StoryMixin, ClockMixin):
    def __init__(
        self,
        *,
        municipality: Municipality,
        seed: int,
        until: dt.datetime,
        days: int,
        per_day: float | None = None,
        total: int | None = None,
        with_events: bool = True,
        progress: Progress = _quiet,
    ):
        self.total = total
        self.municipality = municipality
        self.with_events = with_events
        self.rng = random.Random(f"{seed}:{municipality.slug}:appeals")
        self.tz = ZoneInfo(municipality.time_zone)
        self.until = until.astimezone(dt.UTC)
        self.days = days
        self.per_day = per_day
        self.progress = progress
        self._auto_closed_events: dict[int, object] = {}

    def run(self, *, history=None, chunk_days: int = CHUNK_DAYS) -> AppealsReport:
        """Write the appeals, `chunk_days` days per transaction.

        With a DemoHistory row, each transaction also records how far the writing got and the
        random state after it, and a run on a row already started resumes after its last
        written day: the rows are the same as those of one uninterrupted run.
        """
        started = time.monotonic()
        report = AppealsReport()
        if not self.load():
            self.progress(f"{self.municipality.slug}: no categories or buildings, no appeals")
            if history is not None:
                self._finish(history)
            return report
        self._auto_close_days = {i.category.id: i.category.auto_close_days for i in self.categories}
        self._chunks_written = 0
        self._appeal_writer = Writer(Appeal)
        self._event_writer = Writer(AppealEvent, names=EVENT_COLUMNS)
        plan = self._daily_plan()
        skip = 0
        if history is not None and history.days_done:
            # The plan drew from the random stream first: the saved state continues after it.
            skip = history.days_done
            version, internal, gauss_next = history.state["rng"]
            self.rng.setstate((version, tuple(internal), gauss_next))
            report.appeals, report.events = history.appeals, history.events
            report.open = history.open_appeals
        chunk: list[Life] = []
        days_in_chunk = 0
        for index, (day, count, cumulative) in enumerate(plan):
            if index < skip:
                continue
            total = cumulative[-1] if cumulative else 0
            if total:
                chunk.extend(self._day(day, count, cumulative, total))
            days_in_chunk += 1
            if days_in_chunk >= chunk_days:
                self._write(chunk, report, history, days_done=index + 1)
                chunk, days_in_chunk = [], 0
        if chunk or days_in_chunk:
            self._write(chunk, report, history, days_done=len(plan))
        if history is not None:
            self._finish(history)
        else:
            self._attach_demo_people()
        report.seconds = time.monotonic() - started
        self.progress(
            f"{self.municipality.slug}: {report.appeals} appeals over {self.days} days "
            f"({report.open} open), {report.events} events in {report.seconds:.1f} s"
        )
        return report

    def _day(self, day: dt.date, count: int, cumulative: list[float], total: float) -> list[Life]:
        moments = sorted(self._moment(day) for _ in range(count))
        # The reference day is not over: its later appeals come in the hours before.
        moments = sorted(
            m
            if m <= self.until
            else self.until - dt.timedelta(seconds=1 + self.rng.randrange(4 * 3600))
            for m in moments
        )
        lives = []
        for created in moments:
            info = self.categories[bisect.bisect(cumulative, self.rng.random() * total)]
            life = self._appeal(created, info)
            self._settle(life)
            lives.append(life)
        return lives

    def _write(self, chunk: list[Life], report: AppealsReport, history, *, days_done: int) -> None:
        """One transaction: the chunk's appeals and events, their numbers, the progress.

        Keys and numbers are taken inside it from what the tables hold, so an appeal filed
        on the site while the history loads takes neither a key nor a number of the demo's.
        """
        with transaction.atomic():
            if chunk:
                self._write_rows(chunk, report)
            if history is not None:
                history.days_done = days_done
                history.appeals, history.events = report.appeals, report.events
                history.open_appeals = report.open
                history.state = {"rng": self.rng.getstate()}
                history.save(
                    update_fields=["days_done", "appeals", "events", "open_appeals", "state"]
                )

    def _write_rows(self, chunk: list[Life], report: AppealsReport) -> None:
        if connection.vendor == "postgresql":
            # Keys come from max(id) and the sequences are moved past them before the commit:
            # a filing on the site waits for this day's rows instead of taking one of their keys.
            tables = ", ".join(
                connection.ops.quote_name(m._meta.db_table) for m in (Appeal, AppealEvent)
            )
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        counters = dict(
            AppealNumberCounter.objects.filter(municipality=self.municipality).values_list(
                "year", "last_value"
            )
        )
        changed = set()
        for life in chunk:
            year = life.appeal.created_at.astimezone(self.tz).year
            counters[year] = counters.get(year, 0) + 1
            changed.add(year)
            life.appeal.number = appeal_number_format(
                municipality=self.municipality, year=year, value=counters[year]
            )
        ids = Ids()
        appeal_ids = ids.take(Appeal, len(chunk))
        if not self.with_events:
            for life in chunk:
                life.events = []
        event_count = sum(len(life.events) for life in chunk)
        event_ids = ids.take(AppealEvent, event_count)
        municipality_id = self.municipality.id
        appeal_rows, event_rows = [], []
        for life, appeal_id in zip(chunk, appeal_ids, strict=True):
            a = life.appeal
            a.id = appeal_id
            a.updated_at = self.until
            appeal_rows.append([getattr(a, name) for name in self._appeal_writer.names])
            for at, event, actor in life.events:
                event_rows.append(
                    event_row(
                        event_id=next(event_ids),
                        municipality_id=municipality_id,
                        appeal_id=appeal_id,
                        at=at,
                        event=event,
                        actor=actor,
                    )
                )
        self._appeal_writer.insert(appeal_rows)
        self._event_writer.insert(event_rows)
        self._save_counters({year: counters[year] for year in sorted(changed)})
        ids.reset_sequences()
        report.appeals += len(appeal_rows)
        report.events += len(event_rows)
        report.open += sum(1 for life in chunk if life.appeal.status in OPEN_SET)
        self._chunks_written += 1
        if self._chunks_written % 4 == 0:
            last = chunk[-1].appeal.created_at.astimezone(self.tz).date()
            self.progress(f"{self.municipality.slug}: appeals up to {last}: {report.appeals}")

    def _finish(self, history) -> None:
        with transaction.atomic():
            self._attach_demo_people()
            history.finished_at = timezone.now()
            history.state = None
            history.save(update_fields=["finished_at", "state"])

    def _attach_demo_people(self) -> None:
        """Give the demo resident a handful of recent appeals of their own to follow."""
        if self.resident is None:
            return
        mine = list(
            Appeal.objects.filter(municipality=self.municipality, building__isnull=False)
            .order_by("-created_at")
            .values_list("id", flat=True)[:400:40]
        )
        Appeal.objects.filter(id__in=mine).update(
            author=self.resident,
            contact_name=self.resident.full_name,
            contact_email=self.resident.email,
            contact_phone=self.resident.phone,
            contact_preference="email",
        )

    def _save_counters(self, counters: dict[int, int]) -> None:
        for year, last_value in counters.items():
            AppealNumberCounter.objects.update_or_create(
                municipality=self.municipality, year=year, defaults={"last_value": last_value}
            )


def last_number(*, municipality: Municipality) -> int:
    """Return the highest counter value given in the municipality (for checks)."""
    return (
        AppealNumberCounter.objects.filter(municipality=municipality).aggregate(
            m=Max("last_value")
        )["m"]
        or 0
    )
