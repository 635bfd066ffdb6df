"""Writes of the outages app."""

from opencity.outages.services.lifecycle import (
    outage_announce,
    outage_cancel,
    outage_preview,
    outage_restore,
    outage_update,
)
from opencity.outages.services.residents import (
    outage_event_fanout,
    outage_events_fanout_due,
    outage_report_join,
    outage_subscribe,
    outage_unsubscribe,
)

__all__ = [
    "outage_announce",
    "outage_preview",
    "outage_cancel",
    "outage_event_fanout",
    "outage_events_fanout_due",
    "outage_report_join",
    "outage_restore",
    "outage_subscribe",
    "outage_unsubscribe",
    "outage_update",
]
