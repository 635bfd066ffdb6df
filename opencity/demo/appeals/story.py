"""One demo appeal's life: its row, and its events described by the services' event functions.

Each step of the story is told through `opencity.appeals.events` (the functions the services
record their events with), so a demo event has the kind, statuses, visibility and parameters
the services would have given it; only the moments and the words are the demo's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from opencity.accounts.models import User
from opencity.appeals import events
from opencity.appeals.models import Category, Priority, ResponsibleKind, Stage, Status
from opencity.appeals.services.routing import (
    REASON_DISPATCH,
    REASON_NO_BUILDING,
    REASON_NO_MANAGER,
    REASON_NOT_FOUND,
)
from opencity.core.calendar import TimeUnit
from opencity.core.geo import h3_cell
from opencity.demo.appeals import texts
from opencity.demo.appeals.city import CategoryInfo
from opencity.demo.appeals.plan import weighted
from opencity.demo.appeals.rows import AppealRow


@dataclass
class Life:
    """One appeal's story: its row and its events, each (at, Event, actor)."""

    appeal: AppealRow
    events: list[tuple] = field(default_factory=list)


class StoryMixin:
    """Play one appeal's life forward from its filing, by the organisation's habits."""

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

    def _unrouted_reason(self, category: Category, building_id: int | None) -> str:
        kind = category.responsible_kind
        if kind == ResponsibleKind.BUILDING_MANAGER:
            return REASON_NO_MANAGER if building_id else REASON_NO_BUILDING
        if kind in (
            ResponsibleKind.UTILITY,
            ResponsibleKind.TERRITORY,
            ResponsibleKind.CITY_DEPARTMENT,
        ):
            return REASON_NOT_FOUND
        return REASON_DISPATCH

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
            channel=weighted(rng, texts.CHANNELS),
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
            description=rng.choice(texts.descriptions(category.code, info.group)),
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
        rule = category.responsible_kind
        first = Status.MODERATION if category.moderated else Status.REGISTERED
        ev.append((t, events.event_created(status=first, channel=a.channel, photos=0), None))
        if org_id is None:
            reason = self._unrouted_reason(category, a.building_id)
            ev.append((t, events.event_unroutable(reason=reason, rule=rule), None))
        else:
            organisation = self.organisations[org_id]
            ev.append((t, events.event_routed(organisation=organisation, rule=rule), None))
        if category.moderated:
            t += dt.timedelta(minutes=15 + rng.expovariate(1 / 180))
            moderated = events.event_status_changed(from_status=first, to_status=Status.REGISTERED)
            ev.append((t, moderated, self.dispatcher))
        if org_id is None:
            # Nobody is responsible by the rules: a dispatcher picks the building's manager.
            t += dt.timedelta(minutes=10 + rng.expovariate(1 / 90))
            org_id = self.manager_of.get(a.building_id) if a.building_id else None
            if org_id is None:
                org_id = next(iter(self.quality), None)
            if org_id is not None:
                rerouted = events.event_rerouted(
                    from_status=Status.REGISTERED,
                    from_organisation_id=None,
                    to_organisation_id=org_id,
                    reason=rng.choice(texts.REROUTE_REASONS),
                )
                ev.append((t, rerouted, self.dispatcher))
        resolve_deadline = self._stage_deadline(category, Stage.RESOLVE, a.created_at)
        overdue_rate, mood = self.quality.get(org_id, (0.05, 0.0))

        if rng.random() < 0.015:  # the resident withdraws it before anyone reacts
            t += dt.timedelta(minutes=5 + rng.expovariate(1 / 120))
            cancelled = events.event_cancelled(from_status=Status.REGISTERED, reason="")
            ev.append((t, cancelled, None))
            return
        accepted = t + self._ack_delay(a.priority)
        manager = self._actor(org_id, "manager")
        executor = self._actor(org_id, "executor")
        accept = events.event_status_changed(
            from_status=Status.REGISTERED, to_status=Status.ACCEPTED
        )
        ev.append((accepted, accept, manager))
        if a.priority == Priority.EMERGENCY:
            started = accepted + dt.timedelta(minutes=2 + rng.expovariate(1 / 8))
        else:
            started = accepted + dt.timedelta(minutes=5 + rng.expovariate(1 / 60))
        if executor is not None:
            assigned = events.event_assigned(
                status=Status.ACCEPTED, executor_id=executor.id, previous_id=None
            )
            ev.append((started, assigned, manager))
        start = events.event_status_changed(
            from_status=Status.ACCEPTED, to_status=Status.IN_PROGRESS
        )
        ev.append((started, start, executor))

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
            question = events.event_asked(
                from_status=Status.IN_PROGRESS, question=rng.choice(texts.QUESTIONS)
            )
            ev.append((asked, question, executor))
            answer = events.event_answered(
                to_status=Status.IN_PROGRESS, answer=rng.choice(texts.ANSWERS)
            )
            ev.append((answered, answer, None))
            paused = answered - asked
            resolved += paused
        if resolved > resolve_deadline + paused:
            overdue = events.event_overdue(
                status=Status.IN_PROGRESS, stage=Stage.RESOLVE, deadline=resolve_deadline
            )
            ev.append((resolve_deadline + dt.timedelta(minutes=1), overdue, None))
        resolution = rng.choice(texts.resolutions(category.code, info.group))
        report = events.event_resolved(from_status=Status.IN_PROGRESS, resolution=resolution)
        ev.append((resolved, report, executor))
        self._resident_word(life, info, resolved, report, executor, late, mood)

    def _resident_word(self, life, info, resolved, report, executor, late, mood) -> None:
        """The resident confirms, rejects once (the work is redone) or lets it close itself."""
        rng = self.rng
        category = info.category
        ev = life.events
        for round_ in range(2):
            answer = rng.random()
            reply = resolved + dt.timedelta(minutes=30 + rng.expovariate(1 / (60 * 20)))
            if answer < 0.045 + 0.03 * late and round_ == 0:
                reason = rng.choice(texts.REOPEN_REASONS)
                rating = rng.choice((1, 2, 2, 3))
                rejected = events.event_rejected(
                    from_status=Status.RESOLVED, reason=reason, rating=rating
                )
                ev.append((reply, rejected, None))
                restarted = reply + dt.timedelta(minutes=30 + rng.expovariate(1 / 240))
                restart = events.event_status_changed(
                    from_status=Status.REOPENED, to_status=Status.IN_PROGRESS
                )
                ev.append((restarted, restart, executor))
                resolved = restarted + dt.timedelta(hours=2 + rng.expovariate(1 / 30))
                ev.append((resolved, report, executor))
                continue
            if answer < 0.62:
                score = 4.4 + mood - (1.4 if late else 0.0) + rng.gauss(0, 0.8)
                rating = min(5, max(1, round(score)))
                comment = rng.choice(texts.RATING_COMMENTS[rating])
                ev.append((reply, events.event_confirmed(rating=rating, comment=comment), None))
            else:
                closes = self.calendar.add(resolved, category.auto_close_days, TimeUnit.DAYS)
                ev.append((closes, self._auto_closed(category.auto_close_days), None))
            break

    def _auto_closed(self, days: int):
        event = self._auto_closed_events.get(days)
        if event is None:
            event = self._auto_closed_events[days] = events.event_auto_closed(days=days)
        return event
