"""The demo generator is deterministic: a seed makes one city, always the same."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from opencity.core.models import Municipality
from opencity.demo.data import KAZAN
from opencity.demo.selectors import demo_city_dump
from opencity.demo.services import demo_city_create, demo_city_delete


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


_DIGEST_SCRIPT = """
import hashlib, django
django.setup()
from opencity.demo.data import KAZAN
from opencity.demo.generator import CityGenerator
from opencity.demo.services import DEFAULT_TODAY
plan = CityGenerator(KAZAN, seed=9, buildings=60, today=DEFAULT_TODAY, apartment_buildings=3).plan()
rows = [
    [str(getattr(o, f.attname)) for f in type(o)._meta.concrete_fields if not f.is_relation]
    for o in [*plan.districts, *plan.organisations.organisations, *plan.buildings, *plan.apartments]
]
print(hashlib.sha256(repr(rows).encode()).hexdigest())
"""


def _digest_in_process(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", _DIGEST_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return result.stdout.strip().splitlines()[-1]


def test_the_plan_does_not_depend_on_hash_randomisation():
    assert _digest_in_process("1") == _digest_in_process("2")
