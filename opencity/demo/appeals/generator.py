"""Generate months of plausible appeals for a demo municipality, written with bulk_create.

The rows are what the services would have written (numbers from the same counter and format,
deadlines from the working calendar, one event per state change), but produced directly:
going through the services for ~1,000 appeals a day would take hours.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from opencity.accounts.models import User
from opencity.appeals.models import (
    Appeal,
    AppealEvent,
    AppealNumberCounter,
    Category,
    DeadlinePolicy,
    EventKind,
    Priority,
    ResponsibleKind,
    Stage,
    Status,
)
from opencity.appeals.services.deadlines import (
    COUNTING_STATUSES,
    WARN_SHARE,
    appeal_stage_for,
    policy_months,
)
from opencity.appeals.services.numbering import appeal_number_format
from opencity.buildings.models import Building
from opencity.core.calendar import TimeUnit, WorkingCalendar, calendar_load
from opencity.core.geo import h3_cell
from opencity.core.models import Municipality
from opencity.demo.appeals import texts
from opencity.organisations.models import (
    ManagementContract,
    Membership,
    Organisation,
    ServiceArea,
)

# Kazan: ~1,000 appeals a day for ~6,000 apartment buildings.
APPEALS_PER_BUILDING_DAY = 1000 / 6000
CHUNK_DAYS = 7
BATCH_SIZE = 2000

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class CategoryInfo:
    category: Category
    group: str
    weight: float


@dataclass
class Life:
    """One appeal's story: its row and its events (each: at, kind, from, to, comment, params)."""

    appeal: Appeal
    events: list[tuple] = field(default_factory=list)


@dataclass
class AppealsReport:
    appeals: int = 0
    events: int = 0
    open: int = 0
    seconds: float = 0.0


class AppealsGenerator:
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
        self._deadline_cache: dict[tuple, dt.datetime] = {}

    # ---- loading what the city already has -------------------------------------------------

    def load(self) -> bool:
        m = self.municipality
        categories = list(Category.objects.filter(municipality=m))
        by_id = {c.id: c for c in categories}
        parents = {c.parent_id for c in categories if c.parent_id}
        self.categories: list[CategoryInfo] = []
        for category in categories:
            if category.id in parents or not category.is_active:
                continue
            group = self._group(category, by_id)
            weight = texts.GROUP_WEIGHT.get(group, 2.0)
            if category.priority == Priority.EMERGENCY:
                weight *= 0.6
            self.categories.append(CategoryInfo(category, group, weight))
        self.categories.sort(key=lambda info: info.category.code)
        self.buildings = list(
            Building.objects.filter(municipality=m, lat__isnull=False)
            .order_by("id")
            .values("id", "lat", "lon", "district_id", "address", "h3_cell")
        )
        if not self.categories or not self.buildings:
            return False
        self.policies_by_category: dict[int, list[DeadlinePolicy]] = defaultdict(list)
        for policy in DeadlinePolicy.objects.filter(municipality=m).order_by("id"):
            self.policies_by_category[policy.category_id].append(policy)
        self._policy_cache: dict[tuple[int, int], dict[str, DeadlinePolicy]] = {}
        self.calendar: WorkingCalendar = calendar_load(municipality=m)
        self._load_routing()
        self._load_people()
        return True

    def _group(self, category: Category, by_id: dict[int, Category]) -> str:
        words = [category.resource or ""]
        node = category
        while node is not None:
            words.append(node.code.lower())
            node = by_id.get(node.parent_id)
        haystack = " ".join(words)
        for group, keywords in texts.GROUP_KEYWORDS:
            if any(keyword in haystack for keyword in keywords):
                return group
        if category.department_area:
            return {"roads": "roads", "landscaping": "landscaping", "transport": "transport"}.get(
                category.department_area, category.department_area
            )
        return texts.DEFAULT_GROUP

    def _load_routing(self) -> None:
        m = self.municipality
        self.manager_of = dict(
            ManagementContract.objects.filter(municipality=m, end_date__isnull=True)
            .order_by("start_date", "id")
            .values_list("building_id", "organisation_id")
        )
        self.utility: dict[tuple, int] = {}
        self.territory: dict[tuple, int] = {}
        self.department: dict[tuple, int] = {}
        areas = (
            ServiceArea.objects.filter(municipality=m, organisation__is_active=True)
            .select_related("organisation")
            .order_by("id")
        )
        for area in areas:
            org = area.organisation
            if area.resource:
                self.utility.setdefault((area.district_id, area.resource), org.id)
                self.utility.setdefault((None, area.resource), org.id)
            if org.department_area:
                self.department.setdefault((area.district_id, org.department_area), org.id)
                self.department.setdefault((None, org.department_area), org.id)
            self.territory.setdefault((area.district_id, org.kind), org.id)
            self.territory.setdefault((None, org.kind), org.id)
        for org in Organisation.objects.filter(municipality=m, kind="city_department"):
            if org.department_area:
                self.department.setdefault((None, org.department_area), org.id)
        quality_rng = random.Random(f"{self.rng.random()}")
        # Each organisation has its habits: how often it misses deadlines, how it is rated.
        self.quality = {
            org_id: (quality_rng.uniform(0.015, 0.09), quality_rng.uniform(-0.6, 0.5))
            for org_id in Organisation.objects.filter(municipality=m)
            .order_by("id")
            .values_list("id", flat=True)
        }

    def _load_people(self) -> None:
        m = self.municipality
        users = {u.role: u for u in User.objects.filter(municipality=m).order_by("-id")}
        self.resident = users.get("resident")
        self.dispatcher = users.get("dispatcher")
        self.staff: dict[int, dict[str, User]] = defaultdict(dict)
        memberships = Membership.objects.filter(municipality=m, is_active=True).select_related(
            "user"
        )
        for membership in memberships.order_by("id"):
            self.staff[membership.organisation_id].setdefault(membership.role, membership.user)

    # ---- the calendar ----------------------------------------------------------------------

    def _deadline(self, start: dt.datetime, amount: int, unit: str, window=None) -> dt.datetime:
        if unit == TimeUnit.WORKING_DAYS and window is None:
            # The end of the n-th working day depends only on the start's local day.
            key = (start.astimezone(self.tz).date(), amount)
            result = self._deadline_cache.get(key)
            if result is None or start >= result:
                result = self.calendar.add(start, amount, unit)
                self._deadline_cache[key] = result
            return result
        return self.calendar.add(start, amount, unit, window=window)

    def _stage_deadline(self, category: Category, stage: str, start: dt.datetime):
        policy = self._policies_for(category.id, start.astimezone(self.tz).month).get(stage)
        if policy is None:
            if stage != Stage.RESOLVE:
                return None
            # No rule seeded: time the work as a general written answer (10 working days).
            return self._deadline(start, 10, TimeUnit.WORKING_DAYS)
        return self._policy_deadline(start, policy)

    # ---- volume and seasons ----------------------------------------------------------------

    def _season(self, group: str, month: int) -> float:
        return texts.SEASON.get(group, (1.0,) * 12)[month - 1]

    def _daily_plan(self):
        plan = list(self._daily_plan_raw())
        if self.total is None:
            return plan
        # Exactly `total` appeals (the bench asks for a scale), shaped by the same seasons.
        planned = sum(count for _day, count, _weights in plan) or 1
        scaled, carry = [], 0.0
        for day, count, weights in plan:
            carry += count * self.total / planned
            whole = int(carry)
            carry -= whole
            scaled.append((day, whole, weights))
        if scaled and carry > 0.5:
            day, count, weights = scaled[-1]
            scaled[-1] = (day, count + 1, weights)
        return scaled

    def _daily_plan_raw(self):
        per_day = (
            self.per_day
            if self.per_day is not None
            else APPEALS_PER_BUILDING_DAY * len(self.buildings)
        )
        mean_season = (
            sum(
                sum(info.weight * self._season(info.group, month) for info in self.categories)
                for month in range(1, 13)
            )
            / 12
        )
        last_day = self.until.astimezone(self.tz).date()
        for offset in range(self.days - 1, -1, -1):
            day = last_day - dt.timedelta(days=offset)
            weights = [
                info.weight * self._season(info.group, day.month) for info in self.categories
            ]
            # Heating start (~1 October in Kazan): the first days bring a surge of heating calls.
            if day.month == 10 and day.day <= 7:
                weights = [
                    w * (3.0 if info.group == "heating" else 1.0)
                    for w, info in zip(weights, self.categories, strict=True)
                ]
            expected = per_day * texts.WEEKDAY[day.weekday()] * sum(weights) / mean_season
            count = max(0, round(self.rng.gauss(expected, math.sqrt(expected) + 0.01)))
            yield day, count, list(itertools.accumulate(weights))

    # ---- one appeal ------------------------------------------------------------------------

    def _route(self, category: Category, building: dict) -> int | None:
        district = building["district_id"]
        kind = category.responsible_kind
        if kind == ResponsibleKind.BUILDING_MANAGER:
            return self.manager_of.get(building["id"])
        if kind == ResponsibleKind.UTILITY:
            return self.utility.get((district, category.resource)) or self.utility.get(
                (None, category.resource)
            )
        if kind == ResponsibleKind.TERRITORY:
            return self.territory.get((district, category.territory_kind))
        if kind == ResponsibleKind.CITY_DEPARTMENT:
            return self.department.get((district, category.department_area)) or self.department.get(
                (None, category.department_area)
            )
        return None

    def _ack_delay(self, priority: str) -> dt.timedelta:
        rng = self.rng
        if priority == Priority.EMERGENCY:
            return dt.timedelta(minutes=2 + rng.expovariate(1 / 12))
        if priority == Priority.URGENT:
            return dt.timedelta(minutes=10 + rng.lognormvariate(3.8, 0.7))
        return dt.timedelta(minutes=20 + rng.lognormvariate(4.6, 0.8))

    def _actor(self, org_id, role) -> User | None:
        return self.staff.get(org_id, {}).get(role) if org_id else None

    def _appeal(self, created: dt.datetime, info: CategoryInfo) -> Life:
        rng = self.rng
        category = info.category
        building = self.buildings[rng.randrange(len(self.buildings))]
        lat, lon = building["lat"], building["lon"]
        cell = building["h3_cell"]
        if not category.needs_building:
            lat += rng.uniform(-0.0012, 0.0012)
            lon += rng.uniform(-0.002, 0.002)
            cell = h3_cell(lat, lon)
        org_id = self._route(category, building)
        name = f"{rng.choice(texts.FIRST_NAMES)}"
        appeal = AppealRow(
            municipality_id=self.municipality.id,
            category_id=category.id,
            priority=category.priority,
            channel=_weighted(rng, texts.CHANNELS),
            contact_name=name,
            contact_phone=f"+7987{rng.randrange(10**7):07d}",
            contact_preference="phone" if rng.random() < 0.4 else "sms",
            building_id=building["id"] if category.needs_building else None,
            apartment_number=(
                str(rng.randint(1, 180)) if category.needs_building and rng.random() < 0.7 else ""
            ),
            address=building["address"],
            lat=lat,
            lon=lon,
            h3_cell=cell,
            district_id=building["district_id"],
            description=rng.choice(texts.DESCRIPTIONS.get(info.group, texts.DESCRIPTIONS["other"])),
            organisation_id=org_id,
            created_at=created,
            clock_started_at=created,
        )
        life = Life(appeal)
        self._story(life, info, org_id)
        return life

    def _story(self, life: Life, info: CategoryInfo, org_id: int | None) -> None:
        """Play the appeal's whole life forward; the caller cuts it at the reference moment."""
        rng = self.rng
        a = life.appeal
        category = info.category
        ev = life.events
        t = a.created_at
        first = Status.MODERATION if category.moderated else Status.REGISTERED
        ev.append((t, EventKind.CREATED, "", first, "", {"channel": a.channel}, True, None))
        if category.moderated:
            t += dt.timedelta(minutes=15 + rng.expovariate(1 / 180))
            ev.append(
                (t, EventKind.STATUS, first, Status.REGISTERED, "", {}, True, self.dispatcher)
            )
        if org_id is None:
            # Nobody is responsible by the rules: a dispatcher picks the building's manager.
            t += dt.timedelta(minutes=10 + rng.expovariate(1 / 90))
            org_id = self.manager_of.get(a.building_id) if a.building_id else None
            if org_id is None:
                org_id = next(iter(self.quality), None)
            a._demo_routed_at = t
            ev.append(
                (
                    t,
                    EventKind.ROUTED,
                    "",
                    "",
                    "",
                    {"organisation_id": org_id},
                    True,
                    self.dispatcher,
                )
            )
        else:
            ev.append((t, EventKind.ROUTED, "", "", "", {"organisation_id": org_id}, True, None))
        a._demo_org = org_id
        ack_deadline = self._stage_deadline(category, Stage.ACKNOWLEDGE, a.created_at)
        resolve_deadline = self._stage_deadline(category, Stage.RESOLVE, a.created_at)
        a._demo_ack_deadline = ack_deadline
        a._demo_resolve_deadline = resolve_deadline
        overdue_rate, mood = self.quality.get(org_id, (0.05, 0.0))

        if rng.random() < 0.015:  # the resident withdraws it before anyone reacts
            t += dt.timedelta(minutes=5 + rng.expovariate(1 / 120))
            ev.append(
                (t, EventKind.CANCELLED, Status.REGISTERED, Status.CANCELLED, "", {}, True, None)
            )
            return
        accepted = t + self._ack_delay(a.priority)
        manager = self._actor(org_id, "manager")
        executor = self._actor(org_id, "executor")
        ev.append(
            (accepted, EventKind.STATUS, Status.REGISTERED, Status.ACCEPTED, "", {}, True, manager)
        )
        if a.priority == Priority.EMERGENCY:
            started = accepted + dt.timedelta(minutes=2 + rng.expovariate(1 / 8))
        else:
            started = accepted + dt.timedelta(minutes=5 + rng.expovariate(1 / 60))
        ev.append(
            (
                started,
                EventKind.ASSIGNED,
                "",
                "",
                "",
                {"executor_id": executor.id if executor else None},
                False,
                manager,
            )
        )
        ev.append(
            (started, EventKind.STATUS, Status.ACCEPTED, Status.IN_PROGRESS, "", {}, True, executor)
        )
        a._demo_executor = executor

        span = resolve_deadline - a.created_at
        late = rng.random() < overdue_rate
        if late:
            resolved = resolve_deadline + span * rng.uniform(0.05, 0.8)
        else:
            resolved = a.created_at + span * rng.betavariate(1.6, 3.2)
        resolved = max(resolved, started + dt.timedelta(minutes=20))
        paused = dt.timedelta(0)
        if rng.random() < 0.03 and resolved - started > dt.timedelta(hours=4):
            asked = started + (resolved - started) / 3
            answered = asked + dt.timedelta(minutes=30 + rng.expovariate(1 / 600))
            ev.append(
                (
                    asked,
                    EventKind.QUESTION,
                    Status.IN_PROGRESS,
                    Status.CLARIFICATION,
                    rng.choice(texts.QUESTIONS),
                    {},
                    True,
                    executor,
                )
            )
            ev.append(
                (
                    answered,
                    EventKind.ANSWER,
                    Status.CLARIFICATION,
                    Status.IN_PROGRESS,
                    rng.choice(texts.ANSWERS),
                    {},
                    True,
                    None,
                )
            )
            paused = answered - asked
            resolved += paused
        if resolved > resolve_deadline + paused:
            ev.append(
                (
                    resolve_deadline + dt.timedelta(minutes=1),
                    EventKind.OVERDUE,
                    "",
                    Status.IN_PROGRESS,
                    "",
                    {"stage": Stage.RESOLVE, "deadline": resolve_deadline.isoformat(), "level": 1},
                    True,
                    None,
                )
            )
        resolution = rng.choice(texts.RESOLUTIONS.get(info.group, texts.RESOLUTIONS["other"]))
        ev.append(
            (
                resolved,
                EventKind.RESOLVED,
                Status.IN_PROGRESS,
                Status.RESOLVED,
                resolution,
                {},
                True,
                executor,
            )
        )
        a.resolution = resolution

        for round_ in range(2):
            answer = rng.random()
            reply = resolved + dt.timedelta(minutes=30 + rng.expovariate(1 / (60 * 20)))
            if answer < 0.045 + 0.03 * late and round_ == 0:
                reason = rng.choice(texts.REOPEN_REASONS)
                rating = rng.choice((1, 2, 2, 3))
                ev.append(
                    (
                        reply,
                        EventKind.REJECTED,
                        Status.RESOLVED,
                        Status.REOPENED,
                        reason,
                        {"rating": rating},
                        True,
                        None,
                    )
                )
                restarted = reply + dt.timedelta(minutes=30 + rng.expovariate(1 / 240))
                ev.append(
                    (
                        restarted,
                        EventKind.STATUS,
                        Status.REOPENED,
                        Status.IN_PROGRESS,
                        "",
                        {},
                        True,
                        executor,
                    )
                )
                a._demo_reopened_at = reply
                a._demo_resolve_deadline = self._stage_deadline(category, Stage.RESOLVE, reply)
                resolved = restarted + dt.timedelta(hours=2 + rng.expovariate(1 / 30))
                ev.append(
                    (
                        resolved,
                        EventKind.RESOLVED,
                        Status.IN_PROGRESS,
                        Status.RESOLVED,
                        resolution,
                        {},
                        True,
                        executor,
                    )
                )
                continue
            if answer < 0.62:
                score = 4.4 + mood - (1.4 if late else 0.0) + rng.gauss(0, 0.8)
                rating = min(5, max(1, round(score)))
                comment = rng.choice(texts.RATING_COMMENTS[rating])
                ev.append(
                    (
                        reply,
                        EventKind.CONFIRMED,
                        Status.RESOLVED,
                        Status.CLOSED,
                        comment,
                        {"rating": rating},
                        True,
                        None,
                    )
                )
            else:
                closes = self.calendar.add(resolved, category.auto_close_days, TimeUnit.DAYS)
                ev.append(
                    (
                        closes,
                        EventKind.AUTO_CLOSED,
                        Status.RESOLVED,
                        Status.CLOSED,
                        "",
                        {},
                        True,
                        None,
                    )
                )
            break

    def _settle(self, life: Life) -> None:
        """Cut the story at the reference moment and fill the row's fields from what happened."""
        a = life.appeal
        until = self.until
        life.events.sort(key=lambda e: e[0])
        life.events = [e for e in life.events if e[0] <= until]
        status = Status.REGISTERED
        org_id = None
        clock_start, paused_at = a.created_at, None
        for at, kind, _from, to, comment, params, _public, _actor in life.events:
            if to and kind not in (EventKind.OVERDUE, EventKind.ESCALATED):
                status = to
            if kind == EventKind.ROUTED:
                org_id = params["organisation_id"]
            elif kind == EventKind.STATUS and to == Status.ACCEPTED:
                a.accepted_at = at
            elif kind == EventKind.STATUS and to == Status.IN_PROGRESS and a.responded_at is None:
                a.responded_at = at
            elif kind == EventKind.ASSIGNED:
                a.executor_id = a._demo_executor.id if a._demo_executor else None
            elif kind == EventKind.RESOLVED:
                a.resolved_at = at
                paused_at = at
            elif kind == EventKind.QUESTION:
                paused_at = at
            elif kind in (EventKind.ANSWER, EventKind.REJECTED):
                clock_start, paused_at = at, None
                if kind == EventKind.REJECTED:
                    a.reopened_count += 1
            elif kind == EventKind.CONFIRMED:
                a.rating = params["rating"]
                a.rating_comment = comment
                a.closed_by_resident = True
                a.closed_at = at
            elif kind in (EventKind.AUTO_CLOSED, EventKind.CANCELLED):
                a.closed_at = at
            elif kind == EventKind.OVERDUE:
                a.was_overdue = True
        a.organisation_id = org_id
        a.status = status
        a.clock_started_at, a.clock_paused_at = clock_start, paused_at
        self._clock(a, until)
        if a.overdue_at is not None:
            # One event per breach: the story's own mark of this breach gives way to the sweep's.
            life.events = [
                e
                for e in life.events
                if not (e[1] == EventKind.OVERDUE and e[0] >= a.clock_started_at)
            ]
            params = {"stage": a.stage, "deadline": a.deadline_at.isoformat(), "level": 1}
            life.events.append(
                (a.overdue_at, EventKind.OVERDUE, "", status, "", params, True, None)
            )
            if a.escalation_level == 2:
                params = {**params, "level": 2}
                life.events.append(
                    (a.escalate_at, EventKind.ESCALATED, "", status, "", params, False, None)
                )

    def _clock(self, a: Appeal, until: dt.datetime) -> None:
        """Set the clock fields as appeal_deadline_refresh and the overdue sweep would have."""
        status = a.status
        month = a.clock_started_at.astimezone(self.tz).month
        policies = self._policies_for(a.category_id, month)
        if status in COUNTING_STATUSES:
            a.stage = appeal_stage_for(
                status=status,
                policies=policies,
                responded=a.responded_at is not None,
                acknowledged=a.accepted_at is not None,
            )
            if a.stage:
                a.deadline_at = self._policy_deadline(a.clock_started_at, policies[a.stage])
                stage_minutes = max((a.deadline_at - a.clock_started_at).total_seconds() / 60, 0)
                warn_at = self.calendar.add(
                    a.clock_started_at, int(stage_minutes * WARN_SHARE), TimeUnit.MINUTES
                )
                # Warned already (or too late to warn) by the reference moment: nothing pending.
                a.warn_at = warn_at if warn_at > until else None
            if Stage.RESOLVE in policies:
                a.resolve_deadline_at = self._policy_deadline(
                    a.clock_started_at, policies[Stage.RESOLVE]
                )
        elif status == Status.CLARIFICATION:
            a.stage = appeal_stage_for(
                status=Status.IN_PROGRESS, policies=policies, responded=True, acknowledged=True
            )
        elif status == Status.RESOLVED:
            a.auto_close_at = self.calendar.add(
                a.resolved_at, self._auto_close_days[a.category_id], TimeUnit.DAYS
            )
        if a.deadline_at is not None and a.deadline_at < until:
            # The sweep runs every minute: it marked the breach, then escalated after the grace.
            a.overdue_at = a.deadline_at + dt.timedelta(minutes=1)
            a.was_overdue = True
            a.escalation_level = 1
            stage_minutes = max((a.deadline_at - a.clock_started_at).total_seconds() / 60, 0)
            grace = int(min(max(stage_minutes * 0.5, 5), 24 * 60))
            a.escalate_at = self.calendar.add(a.deadline_at, grace, TimeUnit.MINUTES)
            if a.escalate_at <= until:
                a.escalation_level = 2

    def _policies_for(self, category_id: int, month: int) -> dict[str, DeadlinePolicy]:
        key = (category_id, month)
        chosen = self._policy_cache.get(key)
        if chosen is None:
            ranked: dict[str, tuple[int, DeadlinePolicy]] = {}
            for policy in self.policies_by_category.get(category_id, ()):
                if policy.months.strip():
                    try:
                        if month not in policy_months(policy.months):
                            continue
                    except ValueError:
                        continue
                    rank = 2
                else:
                    rank = 1
                current = ranked.get(policy.stage)
                if current is None or rank > current[0]:
                    ranked[policy.stage] = (rank, policy)
            chosen = self._policy_cache[key] = {s: p for s, (_r, p) in ranked.items()}
        return chosen

    def _policy_deadline(self, start: dt.datetime, policy: DeadlinePolicy) -> dt.datetime:
        window = None
        if policy.window_start is not None and policy.window_end is not None:
            window = (policy.window_start, policy.window_end)
        return self._deadline(start, policy.amount, policy.unit, window)

    # ---- writing ---------------------------------------------------------------------------

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
        self._appeal_writer = _Writer(Appeal)
        self._event_writer = _Writer(
            AppealEvent,
            names=[
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
            ],
        )
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

    def _moment(self, day: dt.date) -> dt.datetime:
        hour = _weighted_index(self.rng, _HOUR_CUMULATIVE)
        local = dt.datetime.combine(day, dt.time(hour), tzinfo=self.tz)
        return (local + dt.timedelta(seconds=self.rng.randrange(3600))).astimezone(dt.UTC)

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
        ids = _Ids()
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
            for at, kind, from_status, to_status, comment, params, public, actor in life.events:
                event_rows.append(
                    [
                        next(event_ids),
                        municipality_id,
                        appeal_id,
                        kind,
                        actor.id if actor else None,
                        from_status,
                        to_status,
                        comment,
                        params,
                        public,
                        at,
                    ]
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


class AppealRow:
    """An appeal's column values, without the cost of a model instance."""

    def __init__(self, **values):
        self.__dict__.update(_APPEAL_DEFAULTS)
        self.__dict__.update(values)


_APPEAL_DEFAULTS = {
    f.attname: f.get_default() for f in Appeal._meta.concrete_fields if not f.primary_key
}


class _Ids:
    """Hands out primary keys past the table's current maximum (taken in the write's transaction)."""

    def __init__(self):
        self._next: dict[type, int] = {}

    def take(self, model, count: int):
        if count == 0:
            return iter(())
        start = self._next.get(model)
        if start is None:
            start = (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self._next[model] = start + count
        return iter(range(start, start + count))

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class _Writer:
    """INSERT rows with executemany: bulk_create spends most of its time compiling SQL."""

    def __init__(self, model, names: list[str] | None = None):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.names = names or list(fields)
        qn = connection.ops.quote_name
        columns = ", ".join(qn(fields[name].column) for name in self.names)
        marks = ", ".join(["%s"] * len(self.names))
        self.sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"
        self.converters = []
        for position, name in enumerate(self.names):
            field_ = fields[name]
            if isinstance(field_, models.JSONField):
                self.converters.append((position, json.dumps))
            elif isinstance(field_, models.DateTimeField) and connection.vendor == "sqlite":
                self.converters.append((position, _sqlite_datetime))

    def insert(self, rows: list[list]) -> None:
        for row in rows:
            for position, convert in self.converters:
                if row[position] is not None:
                    row[position] = convert(row[position])
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH_SIZE):
                cursor.executemany(self.sql, rows[start : start + BATCH_SIZE])


def _sqlite_datetime(value: dt.datetime) -> str:
    # What Django's SQLite backend stores: naive UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]".
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


OPEN_SET = {
    Status.REGISTERED,
    Status.MODERATION,
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.CLARIFICATION,
    Status.RESOLVED,
    Status.REOPENED,
}
_HOUR_CUMULATIVE = list(itertools.accumulate(texts.HOURS))


def _weighted_index(rng: random.Random, cumulative: list[float]) -> int:
    return bisect.bisect(cumulative, rng.random() * cumulative[-1])


def _weighted(rng: random.Random, pairs) -> str:
    return pairs[_weighted_index(rng, list(itertools.accumulate(w for _, w in pairs)))][0]


def last_number(*, municipality: Municipality) -> int:
    """Return the highest counter value given in the municipality (for checks)."""
    return (
        AppealNumberCounter.objects.filter(municipality=municipality).aggregate(
            m=Max("last_value")
        )["m"]
        or 0
    )
