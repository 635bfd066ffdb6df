from celery import shared_task

from opencity.meters import services


@shared_task(name="opencity.meters.tasks.meters_remind")
def meters_remind() -> int:
    return services.meters_remind()
