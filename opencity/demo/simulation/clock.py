"""When a simulated organisation takes its next step on an appeal: a plausible, repeatable clock.

Each delay is drawn from a hash of the appeal's id and the step, so the same appeal always waits
the same time, whichever worker looks and however often. It counts from the moment the appeal
entered its current status and always ends before the running deadline.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from opencity.appeals.models import Status

MINUTE = dt.timedelta(minutes=1)

# The step each status leads to, and the delay's range before it is taken.
STEP_OF_STATUS = {
    Status.REGISTERED: "accept",
    Status.ACCEPTED: "start",
    Status.REOPENED: "start",
    Status.IN_PROGRESS: "resolve",
}
ACCEPT_MINUTES = (2, 10)
START_MINUTES = (3, 20)
# The work takes this share of the time left to resolve, kept within these bounds.
WORK_SHARE = (0.1, 0.5)
WORK_MINUTES = (20, 180)
# No step waits past this share of the time left to the running stage's deadline.
DEADLINE_SHARE = 0.8


def clock_unit(*, appeal_id: int, step: str) -> float:
    """Return a number in [0, 1) fixed by the appeal's id and the step."""
    digest = hashlib.blake2b(f"{appeal_id}:{step}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _between(low: float, high: float, unit: float) -> float:
    return low + (high - low) * unit


def step_delay(
    *,
    appeal_id: int,
    step: str,
    entered: dt.datetime,
    deadline_at: dt.datetime | None,
    resolve_deadline_at: dt.datetime | None,
) -> dt.timedelta:
    """Return how long after entering its status the appeal waits for the step."""
    unit = clock_unit(appeal_id=appeal_id, step=step)
    if step == "accept":
        delay = _between(*ACCEPT_MINUTES, unit) * MINUTE
    elif step == "start":
        delay = _between(*START_MINUTES, unit) * MINUTE
    else:
        bounds = WORK_MINUTES[0] * MINUTE, WORK_MINUTES[1] * MINUTE
        delay = _between(*bounds, unit)
        target = resolve_deadline_at or deadline_at
        if target is not None and target > entered:
            share = (target - entered) * _between(*WORK_SHARE, unit)
            delay = min(max(share, bounds[0]), bounds[1])
    if deadline_at is not None and deadline_at > entered:
        delay = min(delay, (deadline_at - entered) * DEADLINE_SHARE)
    return delay


def step_due(
    *,
    appeal_id: int,
    status: str,
    entered: dt.datetime,
    deadline_at: dt.datetime | None,
    resolve_deadline_at: dt.datetime | None,
) -> tuple[str, dt.datetime] | None:
    """Return the next step for an appeal in this status and when it is due (None: no step)."""
    step = STEP_OF_STATUS.get(status)
    if step is None:
        return None
    delay = step_delay(
        appeal_id=appeal_id,
        step=step,
        entered=entered,
        deadline_at=deadline_at,
        resolve_deadline_at=resolve_deadline_at,
    )
    return step, entered + delay
