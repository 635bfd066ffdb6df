"""The per-process cache of reference data: edits are seen at once here and soon elsewhere."""

import pytest
from django.core.cache import cache
from django.db import transaction

from opencity.core import refcache
from opencity.core.models import Municipality
from opencity.core.tenancy import municipality_for_host, municipality_for_slug
from opencity.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_an_edit_in_this_process_is_seen_by_the_next_read():
    # given a municipality read once (so it sits in the cache)
    city = MunicipalityFactory(slug="kazan", hosts="kazan.example.org")
    assert municipality_for_host("kazan.example.org") == city

    # when an admin adds a host name
    city.hosts = "kazan.example.org kzn.example.org"
    city.save()

    # then the very next request on the new name finds it
    assert municipality_for_host("kzn.example.org") == city


def test_a_change_announced_by_another_process_is_seen_after_the_check_interval(monkeypatch):
    # given this process has read the municipalities
    clock = [1000.0]
    monkeypatch.setattr(refcache.time, "monotonic", lambda: clock[0])
    MunicipalityFactory(slug="kazan")
    assert municipality_for_slug("yelabuga") is None

    # when another process writes a row this process's signals never see, and announces it
    Municipality.objects.bulk_create([Municipality(slug="yelabuga", name="Елабуга", code="ELB")])
    cache.set(refcache.GENERATION_KEY, "another-process")

    # then within the check interval the old copy may still answer...
    clock[0] += refcache.CHECK_SECONDS / 2
    assert municipality_for_slug("yelabuga") is None
    # ...and after it, the change is read
    clock[0] += refcache.CHECK_SECONDS
    assert municipality_for_slug("yelabuga").code == "ELB"


def test_a_change_that_bypasses_the_orm_is_read_once_the_entry_expires(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(refcache.time, "monotonic", lambda: clock[0])
    MunicipalityFactory(slug="kazan")
    assert municipality_for_slug("yelabuga") is None

    Municipality.objects.bulk_create([Municipality(slug="yelabuga", name="Елабуга", code="ELB")])
    clock[0] += refcache.TTL_SECONDS + 1

    assert municipality_for_slug("yelabuga") is not None


def test_a_committed_change_moves_the_shared_generation(django_capture_on_commit_callbacks):
    before = cache.get(refcache.GENERATION_KEY)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        MunicipalityFactory(slug="kazan")
        # not announced before the commit: others must not reload the old rows meanwhile
        assert cache.get(refcache.GENERATION_KEY) == before

    assert cache.get(refcache.GENERATION_KEY) not in (None, before)


def test_a_value_loaded_while_a_change_lands_is_not_kept():
    calls = []

    def loader():
        calls.append(1)
        refcache.refcache_changed()  # a save lands while the old rows are being read
        return "stale"

    assert refcache.refcache_get(("race",), loader) == "stale"
    assert refcache.refcache_get(("race",), lambda: "fresh") == "fresh"
    assert len(calls) == 1
