"""Operational endpoints and the site-wide error pages."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache

from opencity.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

WORKER_STALE_AFTER = timedelta(minutes=3)


@never_cache
def health(request):
    """Answer a load balancer: 200 while the database answers; the worker's state is reported."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        # The error text names hosts, users and databases: it goes to the log, not to the probe.
        logger.warning("health check: the database does not answer", exc_info=True)
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    database = "ok"
    alive = bool(last and timezone.now() - last.seen_at < WORKER_STALE_AFTER)
    return JsonResponse(
        {
            "status": "ok",
            "database": database,
            "worker": {"alive": alive, "last_seen": last.seen_at.isoformat() if last else None},
        }
    )


def bad_request(request, exception=None):
    """Show a refused request as a page in the visitor's language (413 for a body too large)."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return render(request, "errors/413.html", {"limit": limit}, status=413)
    return render(request, "errors/400.html", status=400)


def favicon(request):
    """Send browsers asking for /favicon.ico (whatever the page links) to the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
