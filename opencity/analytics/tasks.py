"""The analytics' worker tasks: thin, each calls a service."""

from celery import shared_task

from opencity.analytics import services
from opencity.core.models import Municipality


@shared_task(name="opencity.analytics.tasks.rollups_update")
def rollups_update(appeal_ids: list[int]) -> int:
    return services.rollups_update(appeal_ids=appeal_ids)


@shared_task(name="opencity.analytics.tasks.rollups_sweep")
def rollups_sweep() -> int:
    return services.rollups_sweep()


@shared_task(name="opencity.analytics.tasks.rollups_rebuild")
def rollups_rebuild(municipality_id: int) -> int:
    municipality = Municipality.objects.get(pk=municipality_id)
    return services.rollups_rebuild(municipality=municipality)
