"""Worker tasks for appeal photos: thin, they call opencity.appeals.photos.

Celery's autodiscovery imports only `tasks.py`; `opencity/appeals/tasks.py` imports this module
so the worker registers these names.
"""

import datetime as dt

from celery import shared_task

from opencity.appeals import photos
from opencity.appeals.views.kept_photos import kept_photos_purge


@shared_task(name="opencity.appeals.tasks_photos.photo_process")
def photo_process_task(photo_id: int) -> bool:
    return photos.photo_process(photo_id=photo_id)


@shared_task(name="opencity.appeals.tasks_photos.photos_process_due")
def photos_process_due_task() -> int:
    return photos.photos_process_due()


@shared_task(name="opencity.appeals.tasks_photos.kept_photos_purge")
def kept_photos_purge_task() -> int:
    return kept_photos_purge(older_than=dt.timedelta(days=1))
