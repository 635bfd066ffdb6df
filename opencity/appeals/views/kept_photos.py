"""Photos kept across a failed submit of the filing form (browsers cannot refill file inputs).

Good photos of a submit that failed are stored privately and listed in the session; the form
shows them as "keep attached" checkboxes, and the next submit attaches the ticked ones. Only
ids from the user's own session are honoured, so nobody can attach another's file.
"""

from __future__ import annotations

import secrets

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from opencity.appeals.services.photos import PENDING_DIR, photo_validate
from opencity.core.errors import Invalid

SESSION_KEY = "appeal_kept_photos"
MAX_KEPT = 5


def kept_photos_list(request) -> list[dict]:
    """Return the photos kept for this session: [{"id", "name", "path", "content_type"}]."""
    return list(request.session.get(SESSION_KEY, []))


def kept_photos_chosen(request) -> list[dict]:
    """Return the kept photos the resident left ticked in this submit."""
    chosen = set(request.POST.getlist("keep_photo"))
    return [p for p in kept_photos_list(request) if p["id"] in chosen]


def kept_photos_open(photos: list[dict]) -> list[SimpleUploadedFile]:
    """Reopen kept photos as uploads the intake service accepts like fresh ones."""
    uploads = []
    for photo in photos:
        try:
            with default_storage.open(photo["path"], "rb") as file:
                content = file.read()
        except FileNotFoundError:
            continue
        uploads.append(SimpleUploadedFile(photo["name"], content, photo["content_type"]))
    return uploads


def kept_photos_store(request, *, uploads, keep: list[dict]) -> list[dict]:
    """Store the good new uploads next to the still-ticked kept ones; return the new list."""
    kept = list(keep)
    for upload in uploads:
        if len(kept) >= MAX_KEPT:
            break
        try:
            content_type = photo_validate(upload=upload)
        except Invalid:
            continue  # reported by the form; a bad file is not kept
        photo_id = secrets.token_urlsafe(9)
        upload.seek(0)
        path = default_storage.save(f"{PENDING_DIR}/{photo_id}.img", upload)
        kept.append(
            {"id": photo_id, "name": upload.name, "path": path, "content_type": content_type}
        )
    kept_photos_forget(request, keep=kept)
    request.session[SESSION_KEY] = kept
    return kept


def kept_photos_forget(request, *, keep: list[dict] = ()) -> None:
    """Delete the session's kept files except those in keep."""
    keep_ids = {p["id"] for p in keep}
    for photo in kept_photos_list(request):
        if photo["id"] not in keep_ids:
            default_storage.delete(photo["path"])
    if not keep_ids:
        request.session.pop(SESSION_KEY, None)
