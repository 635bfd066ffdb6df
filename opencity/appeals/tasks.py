from celery import shared_task

from opencity.appeals import (
    services,
    tasks_photos,  # noqa: F401  (the worker registers the photo tasks)
)


@shared_task(name="opencity.appeals.tasks.appeals_mark_overdue")
def appeals_mark_overdue() -> int:
    return services.appeals_mark_overdue()


@shared_task(name="opencity.appeals.tasks.appeals_auto_close")
def appeals_auto_close() -> int:
    return services.appeals_auto_close()
