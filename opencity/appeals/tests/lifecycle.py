"""What the tests of the appeal state machine share: their test city, the fixture ``world``."""

from __future__ import annotations

import pytest

from opencity.appeals.tests.city import City, city_create


@pytest.fixture
def world(db) -> City:
    return city_create(resident_email="author@example.org")
