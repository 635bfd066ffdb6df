"""Photos of appeals: checked by their content, stored privately, published without EXIF.

Rules (decided here, used by intake, lifecycle and the public pages):

- Accepted: JPEG, PNG, WebP and HEIC/HEIF (HEIC needs `pillow-heif`; without it HEIC uploads are
  refused as an unsupported format). The type is the one Pillow reads from the content; the
  file's name and the browser's content type are ignored.
- Limits: `APPEAL_PHOTO_MAX_BYTES` (default 10 MB) and `APPEAL_PHOTO_MAX_PIXELS` (default
  50 megapixels); Pillow's own decompression-bomb guard is treated as an error too.
- The original is stored as received under an unguessable name and is never served publicly
  (MEDIA_ROOT is not exposed by the web server); staff views may stream it.
- The worker, after the transaction commits, writes the public copy (orientation applied,
  EXIF including GPS and every other metadata dropped, at most 2048 px, JPEG) and a 320 px
  JPEG thumbnail. A periodic sweep retries photos the worker missed.
- A photo is shown publicly only when `is_approved` and its public copy exists. Work-report
  photos (taken by staff) are approved at once; residents' photos are approved at once unless
  the category is moderated, in which case the moderator's approval (`appeal_photos_approve`,
  called by the moderation service) publishes them.
- A linked photo (an API or Open311 client's `media_url`) is an http(s) address, not a file:
  it is never fetched (no request from the server to an address a client chose), has no
  copy to make, and is never approved at once: a moderator who approves the appeal (or a
  staff member who approves that photo) makes it public. Pages show it from its address,
  without a referrer.
"""

from __future__ import annotations

import io
import logging
import secrets
import warnings
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from opencity.appeals.events import appeals_public_changed
from opencity.appeals.models import Appeal, AppealPhoto, PhotoKind
from opencity.appeals.permissions import AppealRole, appeal_roles
from opencity.core.errors import Invalid, PermissionDenied
from opencity.core.oncommit import task_after_commit

logger = logging.getLogger(__name__)

try:  # HEIC (iPhone photos) is optional: without the plugin it is an unsupported format.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the installation
    HEIC_SUPPORTED = False

MAX_PHOTOS = 5
# Where the filing form keeps the good photos of a submit that failed (views/kept_photos.py).
PENDING_DIR = "appeals/pending"
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000
PUBLIC_MAX_SIDE = 2048
THUMBNAIL_SIDE = 320
JPEG_QUALITY = 85

# Pillow's format name → (content type, file extension of the stored original).
FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
    "HEIF": ("image/heic", ".heic"),
}
EXTENSIONS = {content_type: ext for content_type, ext in FORMATS.values()}


def _max_bytes() -> int:
    return int(getattr(settings, "APPEAL_PHOTO_MAX_BYTES", MAX_BYTES))


def _max_pixels() -> int:
    return int(getattr(settings, "APPEAL_PHOTO_MAX_PIXELS", MAX_PIXELS))


def _name(upload: UploadedFile) -> str:
    return (upload.name or _("photo")).replace("\\", "/").rsplit("/", 1)[-1]


def _invalid(name: str, problem: str) -> Invalid:
    message = f"{name}: {problem}"
    return Invalid(message, errors={"photos": [message]})


def photo_validate(*, upload: UploadedFile) -> str:
    """Check an upload is a real image within limits; return its content type or raise Invalid."""
    name = _name(upload)
    max_bytes = _max_bytes()
    if upload.size is not None and upload.size > max_bytes:
        raise _invalid(
            name,
            _("the file is larger than %(mb)s MB.") % {"mb": f"{max_bytes / 1024 / 1024:g}"},
        )
    if not upload.size:
        raise _invalid(name, _("the file is empty."))
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind = image.format
                width, height = image.size
                if kind not in FORMATS:
                    raise _invalid(
                        name,
                        _("%(format)s images are not accepted; send a JPEG, PNG, WebP or HEIC.")
                        % {"format": kind},
                    )
                if width * height > _max_pixels():
                    raise _invalid(name, _("the image has too many pixels."))
                if kind == "JPEG":
                    # Decoding at 1/8 scale still reads the whole stream, at a fraction of the cost.
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid(name, _("the image has too many pixels.")) from None
    except UnidentifiedImageError:
        raise _invalid(
            name, _("this is not an image we can read; send a JPEG, PNG, WebP or HEIC.")
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise _invalid(name, _("the image is damaged or incomplete.")) from None
    finally:
        upload.seek(0)
    return FORMATS[kind][0]


def photo_auto_approved(*, appeal: Appeal, kind: str) -> bool:
    """Say whether a new photo may be public without moderation."""
    if kind == PhotoKind.REPORT:
        return True
    return not appeal.category.moderated


MEDIA_URL_MAX_LENGTH = 1000
_url_validator = URLValidator(schemes=["http", "https"])


def media_url_clean(value: str | None) -> str:
    """Return the stripped address of a linked photo ("" for none) or raise Invalid."""
    value = (value or "").strip()
    if not value:
        return ""
    problem = _("send the http:// or https:// address of a photo, at most %(n)d characters.") % {
        "n": MEDIA_URL_MAX_LENGTH
    }
    refused = Invalid(f"media_url: {problem}", errors={"media_url": [problem]})
    if len(value) > MEDIA_URL_MAX_LENGTH:
        raise refused
    try:
        _url_validator(value)
    except ValidationError:
        raise refused from None
    return value


def appeal_photo_link(
    *, appeal: Appeal, url: str, kind: str = PhotoKind.RESIDENT, actor=None, event=None
) -> AppealPhoto:
    """Attach the photo at `url` by its address; it waits for a moderator to be public."""
    url = media_url_clean(url) or media_url_clean("-")  # an empty address is refused too
    if AppealPhoto.objects.filter(appeal=appeal, kind=kind).count() >= MAX_PHOTOS:
        problem = _("at most %(count)d photos can be attached.") % {"count": MAX_PHOTOS}
        raise Invalid(
            _("media_url: %(problem)s") % {"problem": problem}, errors={"media_url": [problem]}
        )
    return AppealPhoto.objects.create(
        municipality_id=appeal.municipality_id,
        appeal=appeal,
        event=event,
        kind=kind,
        url=url,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        is_approved=False,  # someone else's address: a person looks before it is public
    )


def appeal_photo_add(
    *, appeal: Appeal, upload: UploadedFile, kind: str = PhotoKind.RESIDENT, actor=None, event=None
) -> AppealPhoto:
    """Store a validated photo for the appeal; its public copy and thumbnail come from the worker."""
    content_type = photo_validate(upload=upload)
    if AppealPhoto.objects.filter(appeal=appeal, kind=kind).count() >= MAX_PHOTOS:
        raise _invalid(
            _name(upload), _("at most %(count)d photos can be attached.") % {"count": MAX_PHOTOS}
        )
    photo = AppealPhoto(
        municipality_id=appeal.municipality_id,
        appeal=appeal,
        event=event,
        kind=kind,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        is_approved=photo_auto_approved(appeal=appeal, kind=kind),
    )
    upload.seek(0)
    # An unguessable name: the original keeps its EXIF and must never be found by guessing.
    photo.original.save(
        f"{secrets.token_hex(16)}{EXTENSIONS[content_type]}", ContentFile(upload.read()), save=False
    )
    photo.save()
    # The worker writes the public copy; if the broker is down, photos_process_due will.
    task_after_commit("opencity.appeals.tasks.photo_process", photo.pk)
    return photo


def _flatten(image: Image.Image) -> Image.Image:
    """Return an RGB image; transparency becomes white, as JPEG has none."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # No exif=, no icc/xmp passthrough: the public file carries pixels only.
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def photo_process(*, photo_id: int) -> bool:
    """Write the public copy and the thumbnail of one photo; return False if already done."""
    photo = AppealPhoto.objects.filter(pk=photo_id).first()
    if photo is None or photo.public_image or not photo.original:
        return False  # done already, or a linked photo (there is no file to copy)
    with photo.original.open("rb") as source, Image.open(source) as image:
        oriented = ImageOps.exif_transpose(image)
        public = _flatten(oriented)
    public.thumbnail((PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE), Image.Resampling.LANCZOS)
    thumbnail = public.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    token = secrets.token_hex(16)
    photo.public_image.save(f"{token}-public.jpg", ContentFile(_jpeg(public)), save=False)
    photo.thumbnail.save(f"{token}-thumb.jpg", ContentFile(_jpeg(thumbnail)), save=False)
    photo.width, photo.height = public.size
    photo.save(update_fields=["public_image", "thumbnail", "width", "height"])
    appeals_public_changed(appeals=[photo.appeal])  # the public pages show ready photos
    return True


def photos_process_due(*, older_than: timedelta = timedelta(minutes=1), limit: int = 200) -> int:
    """Process photos the worker has not handled yet (the broker was down); return how many."""
    cutoff = timezone.now() - older_than
    ids = list(
        AppealPhoto.objects.filter(public_image="", created_at__lte=cutoff)
        .exclude(original="")  # linked photos have no file to copy
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    done = 0
    for photo_id in ids:
        try:
            done += photo_process(photo_id=photo_id)
        except Exception:  # noqa: BLE001 - one unreadable original must not stop the sweep
            logger.exception("photos: could not process photo %s", photo_id)
    return done


def appeal_photos_approve(*, appeal: Appeal, actor=None) -> int:
    """Publish the appeal's photos after moderation; return how many became public."""
    done = AppealPhoto.objects.filter(appeal=appeal, is_approved=False).update(is_approved=True)
    appeals_public_changed(appeals=[appeal])
    return done


def appeal_photo_approve(*, photo: AppealPhoto, actor=None) -> None:
    """Put one photo on the public pages (a staff member looked at it, e.g. a linked one)."""
    photo.is_approved = True
    photo.save(update_fields=["is_approved"])
    appeals_public_changed(appeals=[photo.appeal])


PHOTO_REVIEWERS = frozenset({AppealRole.DISPATCHER, AppealRole.ADMIN})


def photo_review_allowed(*, appeal: Appeal, user) -> bool:
    """Tell whether the user may show or hide the appeal's photos (who moderates appeals)."""
    return bool(appeal_roles(appeal=appeal, user=user) & PHOTO_REVIEWERS)


def appeal_photo_review(*, photo: AppealPhoto, actor, approve: bool) -> AppealPhoto:
    """Show one photo publicly or hide it, as a dispatcher or administrator decided."""
    # This is how a linked photo of a category without moderation becomes public: it is never
    # approved at once (see the module's rules).
    if not photo_review_allowed(appeal=photo.appeal, user=actor):
        raise PermissionDenied(_("Only a dispatcher or an administrator may review photos."))
    if approve:
        appeal_photo_approve(photo=photo, actor=actor)
    else:
        appeal_photo_hide(photo=photo, actor=actor)
    return photo


def appeal_photo_hide(*, photo: AppealPhoto, actor=None) -> None:
    """Take a photo off the public pages (a moderator found it unfit)."""
    photo.is_approved = False
    photo.save(update_fields=["is_approved"])


def kept_photos_purge(*, older_than) -> int:
    """Delete kept photos of forms abandoned longer ago than `older_than`; return how many."""
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in files:
        path = f"{PENDING_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
