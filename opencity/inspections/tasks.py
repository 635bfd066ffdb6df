from celery import shared_task
from django.utils import timezone

from opencity.inspections import services


@shared_task(name="opencity.inspections.tasks.inspection_plans_schedule")
def inspection_plans_schedule() -> int:
    return services.plans_schedule(now=timezone.now())


@shared_task(name="opencity.inspections.tasks.inspections_mark_overdue")
def inspections_mark_overdue() -> int:
    """Mark and escalate overdue inspections; offer what the after-commit offers missed."""
    now = timezone.now()
    return services.inspections_mark_overdue(now=now) + services.offers_catch_up(now=now)


@shared_task(name="opencity.inspections.tasks.offer_from_appeal")
def offer_from_appeal(appeal_id: int) -> int:
    return services.offer_from_appeal(appeal_id=appeal_id)


@shared_task(name="opencity.inspections.tasks.offers_from_outage")
def offers_from_outage(outage_id: int) -> int:
    return services.offers_from_outage(outage_id=outage_id)
