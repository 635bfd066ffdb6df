from celery import shared_task
from django.utils import timezone

from opencity.inspections import services


@shared_task(name="opencity.inspections.tasks.inspection_plans_schedule")
def inspection_plans_schedule() -> int:
    return services.plans_schedule(now=timezone.now())
