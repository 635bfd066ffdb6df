"""Property: on any generated history, the incremental rollups equal a rebuild from scratch.

Hypothesis generates histories of appeals — filed on several days, rerouted, resolved,
reopened, merged, cancelled, overdue, deleted — each change written with an event of the
appeals' trail, so the feed and the worker run as they do in production; sometimes a nudge
is delivered twice. After every history the rollups must be what rebuild_analytics makes.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencity.analytics.services import rollups_update
from opencity.analytics.tests.helpers import direct_daily, rebuilt_rows, rollup_daily, rollup_rows
from opencity.appeals import events
from opencity.appeals.models import Channel, Status
from opencity.appeals.tests.city import City
from opencity.appeals.tests.lifecycle import world

__all__ = ["world"]

NOW = timezone.now()

operations = st.lists(
    st.one_of(
        st.tuples(st.just("file"), st.integers(0, 3), st.integers(0, 2), st.integers(0, 2)),
        st.tuples(st.just("reroute"), st.integers(0, 9), st.integers(0, 2)),
        st.tuples(st.just("resolve"), st.integers(0, 9), st.integers(0, 200)),
        st.tuples(st.just("confirm"), st.integers(0, 9), st.booleans()),
        st.tuples(st.just("reopen"), st.integers(0, 9)),
        st.tuples(st.just("merge"), st.integers(0, 9), st.integers(0, 9)),
        st.tuples(st.just("cancel"), st.integers(0, 9)),
        st.tuples(st.just("overdue"), st.integers(0, 9)),
        st.tuples(st.just("recategorise"), st.integers(0, 9)),
        st.tuples(st.just("delete"), st.integers(0, 9)),
    ),
    min_size=1,
    max_size=14,
)


def _apply(world: City, appeals: list, op: tuple, capture) -> None:
    kind = op[0]
    if kind == "file":
        _, days_ago, district, channel = op
        districts = [world.north, world.south, None]
        appeal = world.appeal(
            Status.REGISTERED,
            created_at=NOW - dt.timedelta(days=days_ago, hours=1),
            district=districts[district],
            channel=[Channel.WEB, Channel.PHONE, Channel.API][channel],
            lat=55.79 + 0.02 * district,
        )
        appeals.append(appeal)
        event = events.event_created(status=appeal.status, channel=appeal.channel, photos=0)
    else:
        if not appeals:
            return
        appeal = appeals[op[1] % len(appeals)]
        before = appeal.status
        if kind == "reroute":
            appeal.organisation = [world.org, world.org_b, None][op[2]]
        elif kind == "resolve":
            appeal.status = Status.RESOLVED
            appeal.resolved_at = appeal.created_at + dt.timedelta(hours=op[2])
        elif kind == "confirm" and appeal.status == Status.RESOLVED:
            appeal.status = Status.CLOSED
            appeal.closed_by_resident = op[2]
        elif kind == "reopen" and appeal.status in (Status.RESOLVED, Status.CLOSED):
            appeal.status = Status.REOPENED
            appeal.reopened_count += 1
            appeal.closed_by_resident = False
        elif kind == "merge":
            target = appeals[op[2] % len(appeals)]
            if target.pk != appeal.pk:
                appeal.status = Status.MERGED
                appeal.merged_into = target
        elif kind == "cancel":
            appeal.status = Status.CANCELLED
        elif kind == "overdue":
            appeal.was_overdue = True
        elif kind == "recategorise":
            appeal.category = world.pothole if appeal.category_id == world.leak.pk else world.leak
        elif kind == "delete":
            with capture(execute=True):
                appeal.events.all().delete()
                appeal.merged.update(merged_into=None)
                pk = appeal.pk
                appeal.delete()
                appeals.remove(appeal)
            rollups_update(appeal_ids=[pk])  # a deletion writes no event: the sweep's case
            return
        appeal.save()
        event = events.event_status_changed(from_status=before, to_status=appeal.status)
    with capture(execute=True):
        events.event_record(appeal=appeal, event=event)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=operations, twice=st.booleans())
def test_rebuild_equals_incremental(
    world: City, django_capture_on_commit_callbacks, history, twice
):
    # The examples share the test's world: each history adds to what the last ones left,
    # which only makes the histories longer.
    appeals: list = []
    for op in history:
        _apply(world, appeals, op, django_capture_on_commit_callbacks)
        if twice and appeals:
            rollups_update(appeal_ids=[a.pk for a in appeals])
    incremental = rollup_rows(world.municipality)
    assert rollup_daily(world.municipality) == direct_daily(world.municipality)
    assert incremental == rebuilt_rows(world.municipality)
