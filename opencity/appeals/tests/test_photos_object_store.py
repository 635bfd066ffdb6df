"""Photos on an S3-compatible object store over real HTTP: any web node serves any photo.

moto's standalone server stands in for MinIO or Ceph's RGW; it speaks the S3 protocol on a
local port, and django-storages talks to it exactly as it would to a production store.
"""

import io
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from config.settings import s3_storage
from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import Appeal, ResponsibleKind
from opencity.appeals.tests.factories import CategoryFactory, DeadlinePolicyFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.core.tests.pages import url
from opencity.organisations.tests.factories import OrganisationFactory

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")
pytest.importorskip("storages")

BUCKET = "opencity-media"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port())
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint):
    """Point the media storage at the object store, as the environment of a node would."""
    environ = {
        "OPENCITY_S3_BUCKET": BUCKET,
        "OPENCITY_S3_ENDPOINT": s3_endpoint,
        "OPENCITY_S3_ACCESS_KEY": "node-key",
        "OPENCITY_S3_SECRET_KEY": "node-secret",
        "OPENCITY_S3_REGION": "us-east-1",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="other-key",
        aws_secret_access_key="other-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(environ)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _jpeg(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_without_a_bucket_media_stay_local_files():
    assert s3_storage({}) is None


@pytest.mark.django_db
def test_a_photo_filed_on_one_node_is_served_by_another_from_the_object_store(
    s3, settings, django_capture_on_commit_callbacks
):
    # given a city where a resident files through the web form of node A
    city = MunicipalityFactory(slug="kazan", code="KZN")
    DistrictFactory(municipality=city)
    company = OrganisationFactory(municipality=city)
    building = ManagedBuildingFactory(municipality=city, manager=company)
    category = CategoryFactory(
        municipality=city, code="leak", responsible_kind=ResponsibleKind.BUILDING_MANAGER
    )
    DeadlinePolicyFactory(category=category)
    resident = UserFactory(municipality=city, role=Role.RESIDENT, email="r@example.org")
    node_a = Client()
    node_a.force_login(resident)

    # when the appeal is filed with a photo (the worker's copy runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        response = node_a.post(
            url(city, "appeals:new"),
            {
                "category": "leak",
                "building": building.pk,
                "apartment_number": "45",
                "description": "Water drips from the ceiling in the kitchen",
                "contact_preference": "email",
                "photos": [_jpeg("kitchen.jpg")],
            },
        )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    photo = appeal.photos.get()

    # then the original and the public copy are objects in the bucket, nothing on local disk
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert {photo.original.name, photo.public_image.name, photo.thumbnail.name} <= keys
    assert not any(settings.MEDIA_ROOT.rglob("*.*")) if settings.MEDIA_ROOT.exists() else True
    stored = s3.get_object(Bucket=BUCKET, Key=photo.public_image.name)["Body"].read()

    # and node B, another client that never saw the upload, serves that very copy
    node_b = Client()
    response = node_b.get(url(city, "appeals:public_photo", appeal.number, photo.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    body = b"".join(response.streaming_content)
    assert body == stored
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == (64, 48)
