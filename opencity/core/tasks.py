from celery import shared_task

from opencity.core.services import worker_heartbeat_record


@shared_task(name="opencity.core.tasks.worker_heartbeat", bind=True)
def worker_heartbeat(self) -> str:
    hostname = self.request.hostname or "eager"
    worker_heartbeat_record(hostname=hostname)
    return hostname
