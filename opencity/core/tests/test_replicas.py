"""The replica router: allowed public reads go to a replica; writes, transactions and a
client that just wrote stay on the primary."""

import json
import time

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from opencity.core.replicas import (
    PIN_COOKIE,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    replica_reads,
)
from opencity.core.tests.test_settings import manage

router = ReplicaRouter()


@pytest.fixture(autouse=True)
def _one_replica(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    settings.DATABASE_REPLICA_PIN_SECONDS = 5
    settings.DATABASE_REPLICA_VIEWS = ["appeals:public_*", "open311:*"]


def test_without_a_scope_every_read_goes_to_the_primary():
    assert router.db_for_read(None) == "default"
    assert router.db_for_write(None) == "default"


def test_allowed_reads_go_to_a_replica_until_the_block_writes():
    with replica_reads():
        assert router.db_for_read(None) == "replica1"
        assert router.db_for_write(None) == "default"
        # read-your-writes inside one request or task: after a write, the primary
        assert router.db_for_read(None) == "default"
    assert router.db_for_read(None) == "default"


def test_reads_are_spread_over_the_replicas(settings):
    settings.DATABASE_REPLICAS = ["replica1", "replica2"]
    with replica_reads():
        seen = {router.db_for_read(None) for _ in range(200)}
    assert seen == {"replica1", "replica2"}


def test_no_replicas_configured_means_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    with replica_reads():
        assert router.db_for_read(None) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary():
    with replica_reads():
        with transaction.atomic():
            assert router.db_for_read(None) == "default"
        assert router.db_for_read(None) == "replica1"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "appeals")
    assert not router.allow_migrate("replica1", "appeals")


def _serve(method: str, path: str, *, cookies=None, writes=False):
    """Run a request through the middleware; the view records where its reads would go."""
    seen = {}

    def view(request):
        if writes:
            router.db_for_write(None)
        seen["read"] = router.db_for_read(None)
        return HttpResponse("ok")

    def get_response(request):
        request.resolver_match = resolve(request.path_info)
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = ReplicaReadsMiddleware(get_response)
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies or {})
    response = middleware(request)
    return seen["read"], response


def test_a_public_page_reads_from_the_replica_and_a_private_one_from_the_primary():
    assert _serve("get", "/appeals/")[0] == "replica1"
    assert _serve("head", "/appeals/map/points/")[0] == "replica1"
    assert _serve("get", "/open311/v2/requests.json")[0] == "replica1"
    assert _serve("get", "/appeals/mine/")[0] == "default"


def test_a_post_reads_the_primary_and_pins_the_client_for_a_while():
    read, response = _serve("post", "/appeals/new/")
    assert read == "default"
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == 5 and pin["httponly"]
    assert time.time() + 4 < float(pin.value) <= time.time() + 5.01

    # the same client's next public page reads the primary: it sees what it just wrote
    assert _serve("get", "/appeals/", cookies={PIN_COOKIE: pin.value})[0] == "default"
    # once the pin is over (or for anyone else), the replica again
    expired = f"{time.time() - 1:.3f}"
    assert _serve("get", "/appeals/", cookies={PIN_COOKIE: expired})[0] == "replica1"
    assert _serve("get", "/appeals/", cookies={PIN_COOKIE: "junk"})[0] == "replica1"


def test_a_get_that_writes_reads_the_primary_afterwards_and_pins_the_client():
    read, response = _serve("get", "/appeals/", writes=True)
    assert read == "default"
    assert PIN_COOKIE in response.cookies
    assert PIN_COOKIE not in _serve("get", "/appeals/")[1].cookies


def test_replica_urls_become_database_aliases_with_the_router_installed(tmp_path):
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'replicas': s.DATABASE_REPLICAS, 'hosts': [s.DATABASES[a]['HOST'] for a in "
        "s.DATABASE_REPLICAS], 'routers': s.DATABASE_ROUTERS, "
        "'middleware': 'opencity.core.replicas.ReplicaReadsMiddleware' in s.MIDDLEWARE}))"
    )
    env = {
        "DATABASE_URL": "postgres://opencity@db1.internal/opencity",
        "DATABASE_REPLICA_URLS": "postgres://opencity@db2.internal/opencity,"
        "postgres://opencity@db3.internal/opencity",
    }
    result = manage(["shell", "-c", code], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "replicas": ["replica1", "replica2"],
        "hosts": ["db2.internal", "db3.internal"],
        "routers": ["opencity.core.replicas.ReplicaRouter"],
        "middleware": True,
    }
    code = "from django.conf import settings as s; print(s.DATABASE_ROUTERS)"
    embedded = manage(["shell", "-c", code], {}, tmp_path)
    assert embedded.stdout.strip().splitlines()[-1] == "[]"
