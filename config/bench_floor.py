"""The floor of the performance bench (bench/bench_floor.py), never served in production.

With OPENCITY_BENCH_FLOOR=1 (refused with OPENCITY_MODE=production) the URLconf adds
`POST /bench/floor/`: a bare view that stores one row shaped like an appeal with one plain
INSERT and answers it in JSON — what the stack itself costs (server, middleware, database
round trip) with nothing of ours on top. The same setting adds a middleware that tells the
bench how many queries each request made (`X-Bench-Queries`).
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

FLOOR_TABLE = "bench_floor_appeal"
QUERIES_HEADER = "X-Bench-Queries"


def floor_table_create() -> None:
    """Create the floor's table (an appeal's columns that a filing writes, two indexes)."""
    key = (
        "bigserial PRIMARY KEY"
        if connection.vendor == "postgresql"
        else "integer PRIMARY KEY AUTOINCREMENT"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} ("
            f"id {key}, municipality_id bigint NOT NULL, number varchar(32) NOT NULL, "
            "category varchar(64) NOT NULL, description text NOT NULL, lat double precision, "
            "lon double precision, address varchar(400) NOT NULL, status varchar(16) NOT NULL, "
            "author_id bigint, created_at timestamp with time zone NOT NULL)"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {FLOOR_TABLE}_recent "
            f"ON {FLOOR_TABLE} (municipality_id, created_at)"
        )


@csrf_exempt
@require_POST
def floor(request):
    """Store one appeal-shaped row from the JSON body with one INSERT; answer it in JSON."""
    data = json.loads(request.body or b"{}")
    municipality = getattr(request, "municipality", None)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (municipality_id, number, category, description, lat, "
            "lon, address, status, author_id, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
            [
                municipality.pk if municipality else 0,
                "FLOOR",
                str(data.get("category", "")),
                str(data.get("description", "")),
                data.get("lat"),
                data.get("lon"),
                str(data.get("address", "")),
                "registered",
                request.user.pk if request.user.is_authenticated else None,
                now,
            ],
        )
        pk = cursor.fetchone()[0]
    return JsonResponse({"id": pk, "status": "registered", "created_at": now.isoformat()})


class QueryCountMiddleware:
    """Count the database queries of each request into a response header (the bench reads it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(count[0])
        return response
