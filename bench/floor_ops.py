"""The floor bench's operations: its clients, its fixtures, the requests each one sends."""

from __future__ import annotations

import json
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_appeals  # noqa: E402  (sets Django up; its loader and server are reused)

from config.bench_floor import QUERIES_HEADER  # noqa: E402

DESCRIPTION = "Не работает освещение на лестнице, темно."


def fixtures(municipality, clients: int) -> dict:
    """Signed-in users, tokens and keys, the filing mix and the appeals the reads open."""
    from django.db.models import Count

    from opencity.accounts.models import PersonalAccessToken, User
    from opencity.accounts.services import personal_token_create
    from opencity.appeals.models import Appeal
    from opencity.organisations.models import Membership
    from opencity.organisations.services import api_key_create

    mix, weights, buildings = bench_appeals.filing_mix(municipality)
    keys = bench_appeals.residents(municipality, clients)
    users = list(
        User.objects.filter(
            municipality=municipality, username__contains=":bench", role="resident"
        ).order_by("pk")[:clients]
    )
    PersonalAccessToken.objects.filter(user__in=users).delete()  # a kept database has some
    tokens = [personal_token_create(user=user, name="Bench")[1] for user in users]
    dispatcher = User.objects.filter(municipality=municipality, role="dispatcher").first()
    busiest = (
        Appeal.objects.filter(municipality=municipality, organisation__isnull=False)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    manager = (
        Membership.objects.filter(
            municipality=municipality, role="manager", organisation_id=busiest["organisation"]
        ).first()
        or Membership.objects.filter(municipality=municipality, role="manager").first()
    )
    _key, api_key = api_key_create(
        actor=manager.user, organisation=manager.organisation, name="Bench", role="manager"
    )
    numbers = list(
        Appeal.objects.filter(municipality=municipality, is_public=True)
        .exclude(status="moderation")
        .order_by("-created_at")
        .values_list("number", flat=True)[:2000]
    )
    return {
        "mix": mix,
        "weights": weights,
        "buildings": buildings,
        "resident_sessions": keys,
        "tokens": tokens,
        "dispatcher": bench_appeals.session_key(dispatcher),
        "manager": bench_appeals.session_key(manager.user),
        "api_key": api_key,
        "numbers": numbers,
        "slug": municipality.slug,
    }


def operations(fx: dict) -> dict:
    """Each operation: (who the clients are, a function rng, n -> (method, path, body, headers))."""
    mix, weights, buildings = fx["mix"], fx["weights"], fx["buildings"]

    def category(rng):
        return rng.choices(mix, weights)[0]

    def floor(rng, n):
        building, lat, lon = rng.choice(buildings)
        body = {"category": category(rng).code, "description": DESCRIPTION, "lat": lat}
        body["lon"] = lon
        return "POST", "/bench/floor/", json.dumps(body), {"Content-Type": "application/json"}

    def file_form(rng, n, token):
        c = category(rng)
        fields = {
            "csrfmiddlewaretoken": token,
            "category": c.code,
            **bench_appeals.filing_where(c, buildings, rng),
            "description": DESCRIPTION,
            "contact_preference": "email",
        }
        return "POST", "/appeals/new/", urllib.parse.urlencode(fields), {}

    def file_api(rng, n):
        c = category(rng)
        where = bench_appeals.filing_where(c, buildings, rng)
        body = {"category": c.code, "description": DESCRIPTION, "contact_preference": "email"}
        if "building" in where:
            body["building_id"] = where["building"]
            body["apartment_number"] = where["apartment_number"]
        else:
            body.update(lat=float(where["lat"]), lon=float(where["lon"]), address="у дома")
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {fx['tokens'][n % len(fx['tokens'])]}",
        }
        return "POST", "/api/v1/appeals/", json.dumps(body), headers

    building_codes = [c for c in mix if c.needs_building] or mix

    def file_open311(rng, n):
        body = {
            "jurisdiction_id": fx["slug"],
            "api_key": fx["api_key"],
            "service_code": rng.choice(building_codes).code,
            "address_id": rng.choice(buildings)[0],
            "description": DESCRIPTION,
            "email": "resident@bench.opencity",
            "first_name": "Житель",
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        return "POST", "/open311/v2/requests.json", urllib.parse.urlencode(body), headers

    def get(path):
        return lambda rng, n: ("GET", path, None, {})

    def appeal_page(rng, n):
        return "GET", f"/appeals/{rng.choice(fx['numbers'])}/", None, {}

    def miss(path):
        # A query parameter no view reads, new each time: the shared cache has no answer for it
        # (its key holds the full path), so the view runs every time.
        sep = "&" if "?" in path else "?"
        return lambda rng, n: ("GET", f"{path}{sep}bench_miss={rng.getrandbits(64):x}", None, {})

    residents = "residents"
    return {
        "floor": (residents, floor),
        "file_form": ("form", file_form),
        "file_api": ("anonymous", file_api),
        "file_open311": ("anonymous", file_open311),
        "public_list": ("anonymous", get("/appeals/")),
        "map_geojson": ("anonymous", get("/appeals/map/points/")),
        "api_list": ("anonymous", get("/api/v1/appeals/?scope=public")),
        "open311_list": (
            "anonymous",
            get(f"/open311/v2/requests.json?jurisdiction_id={fx['slug']}"),
        ),
        "dispatcher": ("dispatcher", get("/appeals/staff/queue/")),
        "org_queue": ("manager", get("/appeals/staff/organisation/")),
        "appeal_page": ("anonymous", appeal_page),
        # New visitors: no cookies, no If-None-Match (what the shared cache serves them).
        "public_list_new": ("fresh", get("/appeals/")),
        "map_new": ("fresh", get("/appeals/map/points/")),
        "api_list_new": ("fresh", get("/api/v1/appeals/?scope=public")),
        "open311_list_new": (
            "fresh",
            get(f"/open311/v2/requests.json?jurisdiction_id={fx['slug']}"),
        ),
        # Cache misses: a new visitor whose address the shared cache has not seen.
        "public_list_miss": ("fresh", miss("/appeals/")),
        "map_miss": ("fresh", miss("/appeals/map/points/")),
        "api_list_miss": ("fresh", miss("/api/v1/appeals/?scope=public")),
        "open311_list_miss": (
            "fresh",
            miss(f"/open311/v2/requests.json?jurisdiction_id={fx['slug']}"),
        ),
    }


EXPECTED = {"POST": {200, 201, 302}, "GET": {200, 304}}


class Browser(bench_appeals.Client):
    """A client that keeps ETags per path and revalidates with If-None-Match, as browsers do."""

    def __init__(self, port: int, session_key: str | None, fresh: bool = False):
        super().__init__(port, session_key or "")
        if not session_key:
            self.cookies = {}
        self.etags: dict[str, str] = {}
        self.token = ""
        self.fresh = fresh  # a new visitor each request: no cookies, no ETags kept

    def send(self, method, path, body, headers):
        headers = dict(headers)
        if self.fresh:
            self.cookies, self.etags = {}, {}
        if method == "GET" and path in self.etags:
            headers["If-None-Match"] = self.etags[path]
        status, data = self.request(method, path, body, headers)
        etag = self.headers.get("ETag")
        if method == "GET" and etag:
            self.etags[path] = etag
        # A browser shows the flash message on the next page; this one follows no redirect.
        self.cookies.pop("messages", None)
        return status, data, int(self.headers.get(QUERIES_HEADER, 0))


def browsers(port: int, fx: dict, clients: int) -> dict:
    """The client threads of each kind: residents, the form's residents with CSRF, staff."""
    sessions = fx["resident_sessions"]
    kinds = {
        "anonymous": [Browser(port, None) for _ in range(clients)],
        "fresh": [Browser(port, None, fresh=True) for _ in range(clients)],
        "residents": [Browser(port, sessions[n % len(sessions)]) for n in range(clients)],
        "dispatcher": [Browser(port, fx["dispatcher"]) for _ in range(clients)],
        "manager": [Browser(port, fx["manager"]) for _ in range(clients)],
    }
    form = []
    first = fx["mix"][0].code
    for n in range(clients):
        browser = Browser(port, sessions[n % len(sessions)])
        status, page = browser.request("GET", f"/appeals/new/?category={first}")
        token = bench_appeals.CSRF_RE.search(page.decode())
        if status != 200 or token is None:
            raise RuntimeError(f"the filing form answered {status} without a CSRF token")
        browser.token = token.group(1)
        form.append(browser)
    kinds["form"] = form
    return kinds
