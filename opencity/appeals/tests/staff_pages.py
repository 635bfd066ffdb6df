"""What the tests of the staff pages share: their test city (the fixture ``city``), its appeals, a
PNG and the phone intake form's data.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from opencity.appeals.models import Appeal, Stage
from opencity.appeals.tests.city import City, city_create

HTMX = {"HTTP_HX_REQUEST": "true"}


def png(name="report.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def city():
    return city_create(org_name="УК Альфа", org_short_name="", house_number="19")


def staff_appeal(city: City, *, hours_left=24, **fields) -> Appeal:
    """Create an appeal of the building in the north district, its deadline hours away."""
    defaults = {
        "district": city.north,
        "building": city.building,
        "executor": None,
        "contact_name": "Пётр Жилец",
        "apartment_number": "12",
        "deadline_at": city.now + timedelta(hours=hours_left),
        "stage": Stage.RESOLVE,
    }
    return city.appeal(**{**defaults, **fields})


def rows(response) -> list[str]:
    """Return the appeal numbers listed on a queue page, in order."""
    return [row["appeal"].number for row in response.context["rows"]]


def intake_data(city, **overrides):
    data = {
        "phone": "+7 917 555-44-33",
        "name": "Анна Звонкова",
        "building": city.building.pk,
        "apartment_number": "7",
        "entrance_number": "2",
        "address": "",
        "category": city.leak.pk,
        "description": "Нет горячей воды второй день",
        "contact_preference": "phone",
    }
    data.update(overrides)
    return data
