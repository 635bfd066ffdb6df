"""Appeal photos: the real type is checked, bombs and non-images refused, public copies clean."""

import datetime as dt
import io
import os
import struct
import time
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import selectors
from opencity.appeals.models import AppealPhoto, PhotoKind, Status
from opencity.appeals.services import appeal_moderate, photos
from opencity.appeals.services.photos import PENDING_DIR, kept_photos_purge
from opencity.appeals.tests.factories import AppealFactory
from opencity.core.errors import Invalid


def _image_bytes(fmt: str, size=(200, 100), exif=None, mode="RGB") -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128))
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def _jpeg_with_gps() -> bytes:
    """Return a 200x100 JPEG taken "rotated" (orientation 6) at a spot in Kazan."""
    exif = Image.new("RGB", (1, 1)).getexif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[1], gps[2], gps[3], gps[4] = "N", (55.0, 47.0, 30.0), "E", (49.0, 6.0, 0.0)
    return _image_bytes("JPEG", exif=exif)


def _png_bomb(width=100_000, height=100_000) -> bytes:
    """Return a tiny PNG whose header claims ten billion pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _upload(name: str, data: bytes, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_accepted_formats_report_their_real_type(fmt, expected):
    assert photos.photo_validate(upload=_upload("x.bin", _image_bytes(fmt))) == expected


@pytest.mark.skipif(not photos.HEIC_SUPPORTED, reason="pillow-heif is not installed")
def test_heic_is_accepted():
    data = _image_bytes("HEIF")
    assert photos.photo_validate(upload=_upload("IMG_0001.HEIC", data)) == "image/heic"


def test_a_png_named_jpg_is_taken_as_png():
    upload = _upload("photo.jpg", _image_bytes("PNG"), content_type="image/jpeg")
    assert photos.photo_validate(upload=upload) == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", b"just some text, not a picture\n" * 20, "notes.jpg: this is not an image"),
        ("bomb.png", _png_bomb(), "bomb.png: the image has too many pixels"),
        ("anim.jpg", _image_bytes("GIF"), "anim.jpg: GIF images are not accepted"),
        ("cut.jpg", _image_bytes("JPEG", size=(400, 400))[:300], "cut.jpg: the image is damaged"),
        ("empty.jpg", b"", "empty.jpg: the file is empty"),
    ],
)
def test_non_images_and_bombs_are_refused_with_the_file_name(name, data, message):
    with pytest.raises(Invalid) as caught:
        photos.photo_validate(upload=_upload(name, data))
    assert caught.value.errors["photos"][0].startswith(message)


def test_more_pixels_than_the_setting_allows_is_refused(settings):
    settings.APPEAL_PHOTO_MAX_PIXELS = 10_000
    with pytest.raises(Invalid, match="big.png: the image has too many pixels"):
        photos.photo_validate(upload=_upload("big.png", _image_bytes("PNG", size=(200, 100))))


def test_the_size_limit_is_a_setting(settings):
    settings.APPEAL_PHOTO_MAX_BYTES = 1024 * 1024
    data = _image_bytes("PNG", size=(10, 10)) + b"\x00" * (1024 * 1024)
    with pytest.raises(Invalid) as caught:
        photos.photo_validate(upload=_upload("huge.png", data))
    assert caught.value.errors == {"photos": ["huge.png: the file is larger than 1 MB."]}


@pytest.mark.django_db
def test_the_public_copy_has_no_exif_and_is_upright(django_capture_on_commit_callbacks):
    appeal = AppealFactory()
    original = _jpeg_with_gps()
    with django_capture_on_commit_callbacks(execute=True):
        photo = photos.appeal_photo_add(
            appeal=appeal, upload=_upload("IMG_1.jpg", original), kind=PhotoKind.RESIDENT
        )
    photo.refresh_from_db()

    # The original is kept as received (private), under a name nobody can guess.
    assert photo.original.read() == original
    assert "IMG_1" not in photo.original.name
    assert photo.content_type == "image/jpeg"
    # The public copy: orientation applied (200x100 shot turned upright), no metadata at all.
    with Image.open(photo.public_image) as public:
        assert public.size == (100, 200)
        assert "exif" not in public.info
        exif = public.getexif()
        assert dict(exif) == {}
        assert dict(exif.get_ifd(ExifTags.IFD.GPSInfo)) == {}
    assert (photo.width, photo.height) == (100, 200)
    with Image.open(photo.thumbnail) as thumb:
        assert max(thumb.size) <= photos.THUMBNAIL_SIDE
        assert "exif" not in thumb.info
    assert list(selectors.appeal_photos_public(appeal=appeal)) == [photo]


@pytest.mark.django_db
def test_a_large_photo_gets_a_320px_thumbnail_and_transparency_becomes_white(
    django_capture_on_commit_callbacks,
):
    appeal = AppealFactory()
    data = _image_bytes("PNG", size=(1600, 1200), mode="RGBA")
    with django_capture_on_commit_callbacks(execute=True):
        photo = photos.appeal_photo_add(appeal=appeal, upload=_upload("plan.png", data))
    photo.refresh_from_db()
    with Image.open(photo.thumbnail) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (320, 240)
        red, green, blue = thumb.getpixel((10, 10))
        assert green > 100 and blue > 100  # half-transparent red on white, not on black


@pytest.mark.django_db
def test_photos_of_a_moderated_category_wait_for_approval(django_capture_on_commit_callbacks):
    appeal = AppealFactory(category__moderated=True)
    with django_capture_on_commit_callbacks(execute=True):
        resident = photos.appeal_photo_add(
            appeal=appeal, upload=_upload("a.jpg", _image_bytes("JPEG"))
        )
        report = photos.appeal_photo_add(
            appeal=appeal, upload=_upload("b.jpg", _image_bytes("JPEG")), kind=PhotoKind.REPORT
        )
    assert list(selectors.appeal_photos_public(appeal=appeal)) == [report]

    assert photos.appeal_photos_approve(appeal=appeal) == 1
    assert set(selectors.appeal_photos_public(appeal=appeal)) == {resident, report}

    photos.appeal_photo_hide(photo=resident)
    assert list(selectors.appeal_photos_public(appeal=appeal)) == [report]


@pytest.mark.django_db
def test_a_photo_is_not_public_before_its_clean_copy_exists():
    appeal = AppealFactory()
    # No on_commit execution: the worker has not run yet.
    photo = photos.appeal_photo_add(appeal=appeal, upload=_upload("a.jpg", _jpeg_with_gps()))
    assert photo.is_approved
    assert list(selectors.appeal_photos_public(appeal=appeal)) == []

    # The sweep picks up what the worker missed.
    assert photos.photos_process_due(older_than=dt.timedelta(0)) == 1
    assert list(selectors.appeal_photos_public(appeal=appeal)) == [photo]
    assert photos.photos_process_due(older_than=dt.timedelta(0)) == 0


@pytest.mark.django_db
def test_at_most_five_photos_of_a_kind():
    appeal = AppealFactory()
    for index in range(photos.MAX_PHOTOS):
        photos.appeal_photo_add(appeal=appeal, upload=_upload(f"{index}.png", _image_bytes("PNG")))
    with pytest.raises(Invalid, match="6.png: at most 5 photos"):
        photos.appeal_photo_add(appeal=appeal, upload=_upload("6.png", _image_bytes("PNG")))
    assert AppealPhoto.objects.filter(appeal=appeal).count() == 5


@pytest.mark.django_db
def test_approving_a_moderated_appeal_publishes_its_photos(django_capture_on_commit_callbacks):
    # given a resident's photo on an appeal waiting for moderation
    appeal = AppealFactory(category__moderated=True, status=Status.MODERATION)
    with django_capture_on_commit_callbacks(execute=True):
        photos.appeal_photo_add(appeal=appeal, upload=_upload("a.jpg", _image_bytes("JPEG")))
    assert list(selectors.appeal_photos_public(appeal=appeal)) == []
    # when a dispatcher approves the appeal
    dispatcher = UserFactory(municipality=appeal.municipality, role=Role.DISPATCHER)
    appeal_moderate(appeal=appeal, actor=dispatcher, approve=True)
    # then its photos appear on the public pages
    assert len(selectors.appeal_photos_public(appeal=appeal)) == 1


def test_photos_kept_for_an_abandoned_form_are_purged_after_a_day(settings, tmp_path):
    old = default_storage.save(f"{PENDING_DIR}/old.img", io.BytesIO(b"x"))
    fresh = default_storage.save(f"{PENDING_DIR}/fresh.img", io.BytesIO(b"y"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))

    assert kept_photos_purge(older_than=dt.timedelta(days=1)) == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh)
