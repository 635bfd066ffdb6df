import pytest
from django.db import transaction

from opencity.core.models import Municipality
from opencity.demo.data import KAZAN, YELABUGA
from opencity.demo.services import demo_city_create


@pytest.fixture(scope="module")
def kazan_readonly(django_db_setup, django_db_blocker):
    """A small Kazan shared by a module's read-only tests, rolled back at the module's end.

    Every organisation, 400 buildings, 30 of them with apartments; users cannot sign in.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        demo_city_create(
            spec=KAZAN, seed=11, buildings=400, apartment_buildings=30, password_hash="!"
        )
        yield Municipality.objects.get(slug=KAZAN.slug)
        transaction.set_rollback(True)


@pytest.fixture
def kazan(kazan_readonly, db):
    return kazan_readonly


@pytest.fixture
def small_kazan(db):
    """A tiny Kazan of this test's own: every organisation and user, 40 buildings."""
    demo_city_create(spec=KAZAN, seed=11, buildings=40, apartment_buildings=5)
    return Municipality.objects.get(slug=KAZAN.slug)


@pytest.fixture
def yelabuga(db):
    """A small Yelabuga of this test's own: its organisations and users, 60 buildings."""
    demo_city_create(spec=YELABUGA, seed=11, buildings=60, apartment_buildings=10)
    return Municipality.objects.get(slug=YELABUGA.slug)
