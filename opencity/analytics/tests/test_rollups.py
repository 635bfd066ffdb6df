"""The rollups follow every lifecycle change incrementally and equal the direct counts."""

from __future__ import annotations

import pytest

from opencity.analytics.models import AppealFact
from opencity.analytics.services import rollups_sweep, rollups_update
from opencity.analytics.tests.helpers import (
    direct_daily,
    rebuilt_rows,
    rollup_daily,
    rollup_rows,
)
from opencity.appeals import events, services
from opencity.appeals.models import Channel, Status
from opencity.appeals.tests.city import City
from opencity.appeals.tests.lifecycle import world

__all__ = ["world"]


def _check(world: City) -> None:
    municipality = world.municipality
    incremental = rollup_rows(municipality)
    assert rollup_daily(municipality) == direct_daily(municipality)
    assert incremental == rebuilt_rows(municipality)


def test_every_lifecycle_change_reaches_the_rollups(
    world: City, django_capture_on_commit_callbacks
):
    # given: two appeals filed through intake (the feed runs after each commit)
    def step(call, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = call(**kwargs)
        _check(world)
        return result

    users = world.users
    first = step(
        services.appeal_create,
        municipality=world.municipality,
        category=world.leak,
        description="Water from the ceiling",
        channel=Channel.WEB,
        author=users["resident"],
        building=world.building,
        apartment_number="5",
    )
    second = step(
        services.appeal_create,
        municipality=world.municipality,
        category=world.leak,
        description="The same leak",
        channel=Channel.PHONE,
        author=users["other_resident"],
        building=world.building,
        apartment_number="6",
    )
    assert AppealFact.objects.filter(counted=True).count() == 2
    manager = users["manager"]
    first.refresh_from_db()
    if first.organisation_id != world.org.pk:
        first = step(
            services.appeal_reroute,
            appeal=first,
            actor=users["dispatcher"],
            organisation=world.org,
            reason="Theirs",
        )
    # when: the whole life of the first, reopened once, and the second merged into it
    first = step(services.appeal_accept, appeal=first, actor=manager)
    first = step(services.appeal_start, appeal=first, actor=manager)
    first = step(services.appeal_resolve, appeal=first, actor=manager, resolution="Fixed")
    first = step(services.appeal_reject, appeal=first, actor=users["resident"], reason="Still")
    first = step(services.appeal_start, appeal=first, actor=manager)
    first = step(services.appeal_resolve, appeal=first, actor=manager, resolution="Fixed")
    second.refresh_from_db()
    step(services.appeal_merge, appeal=second, actor=users["dispatcher"], into=first)
    step(services.appeal_confirm, appeal=first, actor=users["resident"], rating=5)
    # then: the rollups say one filed and closed, reopened, confirmed, and one merged
    totals = rollup_rows(world.municipality)["daily"]
    assert sum(r[5] for r in totals) == 2  # filed
    assert sum(r[6] for r in totals) == 1  # merged
    assert sum(r[9] for r in totals) == 1  # closed
    assert sum(r[10] for r in totals) == 1  # confirmed
    assert sum(r[11] for r in totals) == 1  # reopened
    assert sum(r[13] for r in totals) == 1  # one resolution timed


def test_a_fact_is_counted_once_however_often_the_task_runs(world: City):
    appeals = [world.appeal(Status.CLOSED, district=world.north) for _ in range(3)]
    ids = [a.pk for a in appeals]
    assert rollups_update(appeal_ids=ids) == 3
    once = rollup_rows(world.municipality)
    # when: the same nudge arrives again, and the sweep reads the same appeals
    assert rollups_update(appeal_ids=ids) == 0
    rollups_sweep()
    # then
    assert rollup_rows(world.municipality) == once
    assert sum(r[5] for r in once["daily"]) == 3


def test_a_deleted_appeal_leaves_the_rollups(world: City):
    appeal = world.appeal(Status.RESOLVED, district=world.south)
    rollups_update(appeal_ids=[appeal.pk])
    pk = appeal.pk
    appeal.events.all().delete()
    appeal.delete()
    rollups_update(appeal_ids=[pk])
    assert rollup_rows(world.municipality) == {"daily": [], "resolution": [], "cell": []}


@pytest.mark.parametrize("status", [Status.REGISTERED, Status.RESOLVED, Status.MERGED])
def test_rebuild_equals_direct_counts(world: City, status):
    for district in (world.north, world.south, None):
        world.appeal(status, district=district)
    rebuilt_rows(world.municipality)
    assert rollup_daily(world.municipality) == direct_daily(world.municipality)


def test_the_sweep_counts_what_a_lost_nudge_left_behind(world: City):
    # given: an event written but its after-commit nudge never run (the broker was down)
    appeal = world.appeal(Status.RESOLVED, district=world.north)
    events.event_record(
        appeal=appeal, event=events.event_resolved(from_status="in_progress", resolution="Done")
    )
    assert rollup_rows(world.municipality)["daily"] == []
    # when
    rollups_sweep()
    # then
    daily = rollup_rows(world.municipality)["daily"]
    assert [(r[5], r[8]) for r in daily] == [(1, 1)]  # filed, done
