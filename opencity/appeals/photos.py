"""Photos of appeals: checked by their content, stored privately, published without EXIF.

STUB: the photo engineer replaces this with real validation and processing; the signatures
below are the contract other modules call.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from opencity.appeals.models import Appeal, AppealPhoto, PhotoKind
from opencity.core.errors import Invalid

MAX_PHOTOS = 5
MAX_BYTES = 10 * 1024 * 1024


def photo_validate(*, upload: UploadedFile) -> str:
    """Check an upload is a real image within limits; return its content type or raise Invalid."""
    if upload.size > MAX_BYTES:
        raise Invalid(
            "The photo is too large.", errors={"photos": ["The photo is larger than 10 MB."]}
        )
    return upload.content_type or "application/octet-stream"


def appeal_photo_add(
    *, appeal: Appeal, upload: UploadedFile, kind: str = PhotoKind.RESIDENT, actor=None, event=None
) -> AppealPhoto:
    """Store a validated photo for the appeal; its public copy and thumbnail come from the worker."""
    content_type = photo_validate(upload=upload)
    return AppealPhoto.objects.create(
        municipality_id=appeal.municipality_id, appeal=appeal, event=event, kind=kind, original=upload,
        content_type=content_type, size=upload.size, uploaded_by=actor,
    )  # fmt: skip
