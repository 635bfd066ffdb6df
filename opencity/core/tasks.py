from celery import shared_task

from opencity.core import idempotency, outbox
from opencity.core.services import worker_heartbeat_record


@shared_task(name="opencity.core.tasks.worker_heartbeat", bind=True)
def worker_heartbeat(self) -> str:
    hostname = self.request.hostname or "eager"
    worker_heartbeat_record(hostname=hostname)
    return hostname


@shared_task(name="opencity.core.tasks.outbox_deliver")
def outbox_deliver(message_id: int) -> str:
    return outbox.outbox_deliver(message_id=message_id)


@shared_task(name="opencity.core.tasks.outbox_deliver_many")
def outbox_deliver_many(message_ids: list[int]) -> list[str]:
    return [outbox.outbox_deliver(message_id=message_id) for message_id in message_ids]


@shared_task(name="opencity.core.tasks.outbox_sweep")
def outbox_sweep() -> int:
    return outbox.outbox_deliver_due()


@shared_task(name="opencity.core.tasks.idempotency_keys_purge")
def idempotency_keys_purge() -> int:
    return idempotency.idempotency_keys_purge()
