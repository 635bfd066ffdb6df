from celery import shared_task

from opencity.outages import services


@shared_task(name="opencity.outages.tasks.outage_event_notify")
def outage_event_notify(event_id: int) -> int:
    return services.outage_event_fanout(event_id=event_id)


@shared_task(name="opencity.outages.tasks.outage_events_sweep")
def outage_events_sweep() -> int:
    return services.outage_events_fanout_due()
