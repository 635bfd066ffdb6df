"""Operational endpoints."""

from datetime import timedelta

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from opencity.core.models import WorkerHeartbeat

WORKER_STALE_AFTER = timedelta(minutes=3)


@never_cache
def health(request):
    """Answer a load balancer: 200 while the database answers; the worker's state is reported."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    alive = bool(last and timezone.now() - last.seen_at < WORKER_STALE_AFTER)
    return JsonResponse(
        {
            "status": "ok",
            "database": database,
            "worker": {"alive": alive, "last_seen": last.seen_at.isoformat() if last else None},
        }
    )
