"""The demo generator is deterministic: a seed makes one city, always the same."""

import hashlib
import os
import subprocess
import sys

import pytest
from django.conf import settings

from opencity.core.models import Municipality
from opencity.demo import services as demo_services
from opencity.demo.data import KAZAN
from opencity.demo.generator import CityGenerator
from opencity.demo.selectors import demo_city_dump
from opencity.demo.services import DEFAULT_TODAY, demo_city_create, demo_city_delete


def _generate(seed, buildings=120):
    demo_city_create(spec=KAZAN, seed=seed, buildings=buildings, apartment_buildings=4)
    municipality = Municipality.objects.get(slug=KAZAN.slug)
    return demo_city_dump(municipality=municipality)


@pytest.mark.django_db
def test_the_same_seed_generates_the_same_city():
    # given a city generated once
    first = _generate(seed=5)
    # when it is deleted and generated again with the same seed
    assert demo_city_delete(slug=KAZAN.slug)
    second = _generate(seed=5)
    # then every row is the same
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table
    assert len(first["buildings"]) == 120
    assert len(first["apartments"]) > 40


@pytest.mark.django_db
def test_another_seed_generates_another_city():
    first = _generate(seed=5)
    demo_city_delete(slug=KAZAN.slug)
    second = _generate(seed=6)
    assert first["buildings"] != second["buildings"]
    assert first["organisations"] != second["organisations"]
    # the shape of the city stays: same districts, same number of organisations
    assert first["districts"] == second["districts"]
    assert len(first["organisations"]) == len(second["organisations"])


@pytest.mark.django_db
def test_organisations_do_not_depend_on_the_building_count():
    small = _generate(seed=3, buildings=20)
    demo_city_delete(slug=KAZAN.slug)
    large = _generate(seed=3, buildings=120)
    assert small["organisations"] == large["organisations"]
    assert small["contacts"] == large["contacts"]


def _plan_digest() -> str:
    plan = CityGenerator(
        KAZAN, seed=9, buildings=60, today=DEFAULT_TODAY, apartment_buildings=3
    ).plan()
    objects = [
        *plan.districts,
        *plan.organisations.organisations,
        *plan.buildings,
        *plan.apartments,
    ]
    rows = [
        [str(getattr(o, f.attname)) for f in type(o)._meta.concrete_fields if not f.is_relation]
        for o in objects
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


_DIGEST_SCRIPT = """
import django
django.setup()
from opencity.demo.tests.test_determinism import _plan_digest
print(_plan_digest())
"""


def test_the_plan_does_not_depend_on_hash_randomisation():
    # string hashing differs between these two processes: sets would iterate differently
    env = {**os.environ, "PYTHONHASHSEED": "12345", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", _DIGEST_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.strip().splitlines()[-1] == _plan_digest()


@pytest.mark.django_db
def test_the_fast_insert_writes_what_bulk_create_writes(monkeypatch):
    # given a city written with the demo's own executemany insert
    fast = _generate(seed=8, buildings=60)
    demo_city_delete(slug=KAZAN.slug)
    # when the same city is written with bulk_create
    monkeypatch.setattr(
        demo_services,
        "rows_insert",
        lambda model, rows: model.objects.bulk_create(rows, batch_size=500),
    )
    slow = _generate(seed=8, buildings=60)
    # then every row is the same
    assert fast.keys() == slow.keys()
    for table in fast:
        assert fast[table] == slow[table], table
