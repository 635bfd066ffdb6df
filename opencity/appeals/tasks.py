"""Worker tasks of appeals: thin, each calls a service."""

import datetime as dt

from celery import shared_task

from opencity.appeals import services
from opencity.appeals.services import photos


@shared_task(name="opencity.appeals.tasks.appeals_mark_overdue")
def appeals_mark_overdue() -> int:
    return services.appeals_mark_overdue()


@shared_task(name="opencity.appeals.tasks.appeals_auto_close")
def appeals_auto_close() -> int:
    return services.appeals_auto_close()


@shared_task(name="opencity.appeals.tasks.photo_process")
def photo_process(photo_id: int) -> bool:
    return photos.photo_process(photo_id=photo_id)


@shared_task(name="opencity.appeals.tasks.photos_process_due")
def photos_process_due() -> int:
    return photos.photos_process_due()


@shared_task(name="opencity.appeals.tasks.kept_photos_purge")
def kept_photos_purge() -> int:
    return photos.kept_photos_purge(older_than=dt.timedelta(days=1))
