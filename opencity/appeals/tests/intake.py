"""What the tests of intake share: the fixtures ``city`` and ``resident``, a JPEG and a list
of answers.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from opencity.accounts.tests.factories import UserFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory

LIST = [{"key": "cold", "name": "Cold water"}, {"key": "hot", "name": "Hot water"}]


def jpeg(name="leak.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def city():
    municipality = MunicipalityFactory(code="KZN")
    district = DistrictFactory(municipality=municipality, name="Vakhitovsky")  # 55.7–55.9
    return municipality, district


@pytest.fixture
def resident(city):
    return UserFactory(municipality=city[0], email="anna@example.org", full_name="Anna")
