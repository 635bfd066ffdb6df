"""bench_appeals' intake over HTTP: residents POST the filing form to the served app.

Imported by bench_appeals.py, which sets Django up first; bench_open311.py and bench_floor.py
reuse it (and its filing mix) through bench_appeals.
"""

from __future__ import annotations

import os
import random
import threading
import time
import urllib.parse

from appeals_reads import percentiles
from appeals_server import CSRF_RE, Client, Server, cpu_seconds, postgres_pids, residents


def filing_mix(municipality):
    """Return (categories, weights, buildings as (id, lat, lon)) a bench files appeals with."""
    from django.db.models import Count

    from opencity.appeals.models import Category
    from opencity.buildings.models import Building

    # The categories residents can file in one step (no photo or answer required, not held for
    # moderation), weighted by how often the generated city files in them: a realistic mix of
    # building, utility, territory and city-department routing.
    mix = list(
        Category.objects.filter(
            municipality=municipality,
            children__isnull=True,
            photo_required=False,
            moderated=False,
            is_active=True,
        )
        .exclude(questions__required=True)
        .annotate(weight=Count("appeals"))
        .filter(weight__gt=0)
        .order_by("code")
    )
    weights = [category.weight for category in mix]
    buildings = list(
        Building.objects.filter(municipality=municipality, lat__isnull=False).values_list(
            "id", "lat", "lon"
        )
    )
    return mix, weights, buildings


def filing_where(category, buildings, rng: random.Random) -> dict:
    """Where a filed appeal is: a building and flat, or a point, as the category asks."""
    building, lat, lon = rng.choice(buildings)
    if category.needs_building:
        return {"building": building, "apartment_number": str(rng.randint(1, 200))}
    return {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "address": "у дома"}


def intake(municipality, *, threads: int, seconds: float, workers: str | None) -> None:
    from opencity.appeals.models import Appeal

    mix, weights, buildings = filing_mix(municipality)
    keys = residents(municipality, threads)
    with Server(workers) as server:
        port = server.port
        path = f"/appeals/new/?category={urllib.parse.quote(mix[0].code)}"
        clients = []
        for key in keys:
            client = Client(port, key)
            status, page = client.request("GET", path)
            token = CSRF_RE.search(page.decode())
            if status != 200 or token is None:
                raise RuntimeError(
                    f"the filing form answered {status} without a CSRF token:\n{server.log_tail()}"
                )
            clients.append((client, token.group(1)))
        before = Appeal.objects.filter(municipality=municipality).count()
        counts = {"created": 0, "other": 0}
        failures: list[str] = []
        latencies: list[float] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def run(client: Client, token: str, rng: random.Random) -> None:
            while time.monotonic() < stop_at:
                category = rng.choices(mix, weights)[0]
                where = filing_where(category, buildings, rng)
                body = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": token,
                        "category": category.code,
                        **where,
                        "description": "Не работает освещение на лестнице, темно.",
                        "contact_preference": "email",
                    }
                )
                started = time.perf_counter()
                status, _body = client.request("POST", "/appeals/new/", body)
                elapsed = (time.perf_counter() - started) * 1000
                # A browser shows the flash message on the page it is sent to; this client
                # follows no redirect, so it drops the message instead of piling them up.
                client.cookies.pop("messages", None)
                with lock:
                    latencies.append(elapsed)
                    counts["created" if status == 302 else "other"] += 1
                    if status != 302 and len(failures) < 3:
                        failures.append(f"{status}: {_body[:300]!r}")

        server_pids = server.pids()
        cpu_before = (
            cpu_seconds(server_pids),
            cpu_seconds(postgres_pids()),
            time.process_time(),
        )
        started = time.monotonic()
        pool = [
            threading.Thread(target=run, args=(client, token, random.Random(n)))
            for n, (client, token) in enumerate(clients)
        ]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.monotonic() - started
        cpu_after = (
            cpu_seconds(server_pids),
            cpu_seconds(postgres_pids()),
            time.process_time(),
        )
        created = Appeal.objects.filter(municipality=municipality).count() - before
        print(
            f"\nintake over HTTP ({server.describe}; {threads} client threads, "
            f"{elapsed:.1f} s; target >= 200/s):"
        )
        print(
            f"{created:,} appeals created, {created / elapsed:,.1f} appeals/s; "
            f"{counts['other']} responses other than a redirect"
        )
        if latencies:
            print(f"{'POST /appeals/new/':<34} {percentiles(latencies)}")
        for failure in failures:
            print(f"  e.g. {failure}")
        if created:
            web, db, client = (
                (after - before_) * 1000 / created
                for after, before_ in zip(cpu_after, cpu_before, strict=True)
            )
            print(
                f"CPU per appeal: web server {web:.1f} ms, PostgreSQL {db:.1f} ms "
                f"(all its processes), this client {client:.1f} ms; "
                f"load average {os.getloadavg()[0]:.2f}"
            )
