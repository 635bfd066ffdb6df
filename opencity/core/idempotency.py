"""Idempotency-Key on create operations: a client whose connection dropped after it filed may
retry with the same key and body and gets the first result back, once, instead of a duplicate.

A key is remembered per scope (the operation, the municipality and the authenticated caller:
two clients' keys never meet) for KEY_TTL; after that it counts as absent. Only a creation that
succeeded is remembered: a refused request (400, 404 …) rolls back with its key, so the client
may correct it and retry with the same key.

    outcome = idempotent(request, scope=f"api:appeals:{user.pk}", create=lambda: {...})

- no header: create() runs as if there were no idempotency at all;
- a key that is not 1–200 printable ASCII characters: Invalid (400);
- a new key: create() runs in the same transaction as the key's row, and its JSON result
  (what the caller needs to answer again, e.g. the appeal's id) is stored with it;
- the same key and body again: the stored result, outcome.replayed is True (the caller answers
  as the first time and adds `Idempotent-Replayed: true`);
- the same key with another method, path, query or body: IdempotencyKeyReused (422);
- the same key while its first request is still being processed: IdempotencyKeyInFlight, a
  Conflict (409). The key's row is written in the creation's transaction, so a concurrent
  request with the key waits for the first to commit and then replays it; the 409 answers a
  row left without a result.

See docs/subsystems/api-and-open311.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.core.errors import Conflict, DomainError, Invalid
from opencity.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_TTL = dt.timedelta(hours=24)
KEY_MAX_LENGTH = 200
_KEY = re.compile(r"[\x20-\x7e]+")
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


class IdempotencyKeyReused(DomainError):
    """The key was used before for a different request: its body, path or query differ."""

    status_code = 422
    code = "idempotency_key_reused"


class IdempotencyKeyInFlight(Conflict):
    """The key's first request is still being processed (or ended without a result)."""


# The refusals only a request with an Idempotency-Key meets: an edge whose protocol answers
# its other refusals as 400 (Open311) keeps these statuses, which a client that sends the
# header reads.
IDEMPOTENCY_ERRORS = (IdempotencyKeyReused, IdempotencyKeyInFlight)


@dataclass(frozen=True)
class Outcome:
    result: dict
    status_code: int
    replayed: bool = False


def idempotency_key_of(request) -> str | None:
    """Return the request's Idempotency-Key (None without the header), or raise Invalid."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not 1 <= len(key) <= KEY_MAX_LENGTH or not _KEY.fullmatch(key):
        rule = _("1 to %(max)d printable ASCII characters, e.g. a UUID.") % {"max": KEY_MAX_LENGTH}
        raise Invalid(
            _("The Idempotency-Key header is not valid: send %(rule)s") % {"rule": rule},
            errors={HEADER: [rule]},
        )
    return key


def request_fingerprint(request, *, path: str | None = None) -> str:
    """Return the SHA-256 of what the request asks for: method, path, query and body."""
    # A form's fields (and its files' digests) are read parsed, so a multipart retry with a new
    # boundary is the same request; a JSON body is compared by its value, not its spacing. `path`
    # replaces the request's where a part of it does not change what is asked (Open311's format).
    query = sorted((name, sorted(values)) for name, values in request.GET.lists())
    content_type = (request.content_type or "").lower()
    body = None
    if content_type in _FORMS:
        # A body that only claims to be a form is compared by its bytes (a JSON operation
        # reads it as JSON whatever its Content-Type).
        with contextlib.suppress(MultiPartParserError):
            body = _form_body(request)
    if body is None:
        try:
            body = _canonical_body(request.body)
        except RawPostDataException:
            body = ""
    document = json.dumps([request.method, path or request.path, query, body], ensure_ascii=False)
    return hashlib.sha256(document.encode("utf-8", "surrogatepass")).hexdigest()


def _form_body(request) -> str:
    fields = sorted((name, sorted(values)) for name, values in request.POST.lists())
    files = sorted(
        (name, upload.name or "", _file_digest(upload))
        for name, uploads in request.FILES.lists()
        for upload in uploads
    )
    return json.dumps([fields, files], ensure_ascii=False)


def _canonical_body(raw: bytes) -> str:
    try:
        return json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False)
    except ValueError:
        return hashlib.sha256(raw).hexdigest()


def _file_digest(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def idempotent(
    request,
    *,
    scope: str,
    create: Callable[[], dict],
    status_code: int = 201,
    path: str | None = None,
) -> Outcome:
    """Run create() once per Idempotency-Key in the scope; a retry gets its stored result."""
    key = idempotency_key_of(request)
    if key is None:
        return Outcome(create(), status_code)
    fingerprint = request_fingerprint(request, path=path)
    with transaction.atomic():
        row, claimed = _claim(scope=scope, key=key, fingerprint=fingerprint)
        if not claimed:
            return _replay(row=row, fingerprint=fingerprint)
        result = create()
        row.result = result
        row.status_code = status_code
        row.save(update_fields=["result", "status_code"])
    return Outcome(result, status_code)


def _claim(*, scope: str, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """Return the key's row and whether this request owns it (a new key, or an expired one)."""
    while True:
        now = timezone.now()
        try:
            # A savepoint: a key that is taken must not break the request's transaction. On
            # PostgreSQL the insert waits while another transaction holds the same key.
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    scope=scope, key=key, fingerprint=fingerprint, created_at=now
                )
            return row, True
        except IntegrityError:
            pass
        row = IdempotencyKey.objects.select_for_update().filter(scope=scope, key=key).first()
        if row is None:
            continue  # purged in between: claim it afresh
        if row.created_at <= now - KEY_TTL:
            row.fingerprint = fingerprint
            row.created_at = now
            row.result = None
            row.status_code = None
            row.save(update_fields=["fingerprint", "created_at", "result", "status_code"])
            return row, True
        return row, False


def _replay(*, row: IdempotencyKey, fingerprint: str) -> Outcome:
    if row.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _(
                "This Idempotency-Key was used for a different request (another body, path or "
                "query): send a new key for a new request."
            )
        )
    if row.result is None:
        raise IdempotencyKeyInFlight(
            _(
                "A request with this Idempotency-Key is still being processed: retry in a "
                "moment with the same key."
            )
        )
    return Outcome(row.result, row.status_code or 200, replayed=True)


def idempotency_keys_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the keys older than KEY_TTL (they count as absent already); return how many."""
    cutoff = (now or timezone.now()) - KEY_TTL
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lte=cutoff).delete()
    return deleted
