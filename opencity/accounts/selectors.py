"""Reads on accounts: personal access tokens, and who a credential stands for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.accounts.models import PersonalAccessToken, User
from opencity.core.credentials import credential_matches, credential_parse
from opencity.core.errors import NotFound
from opencity.core.models import Municipality
from opencity.core.requestmemo import request_memo

# last_used_at is written at most this often per credential (not on every request).
LAST_USED_GRANULARITY = timedelta(minutes=1)

# The usable row of a credential by its kind (core.credentials.KINDS), looked up by prefix.
# Apps above accounts add theirs at ready(): organisations its API keys.
_CREDENTIAL_ROWS: dict[str, Callable[[str], Any | None]] = {}


def credential_kind_register(*, kind: str, row_for_prefix: Callable[[str], Any | None]) -> None:
    """Let a credential kind act as a user: `row_for_prefix` returns its usable row or None."""
    # The row carries `digest`, `user` and `last_used_at`.
    _CREDENTIAL_ROWS[kind] = row_for_prefix


def _personal_token_for_prefix(prefix: str) -> PersonalAccessToken | None:
    row = PersonalAccessToken.objects.select_related("user").filter(prefix=prefix).first()
    return row if row is not None and row.is_active else None


credential_kind_register(kind="pat", row_for_prefix=_personal_token_for_prefix)


def personal_token_list(*, user: User) -> QuerySet[PersonalAccessToken]:
    """List the user's tokens, newest first (the secrets themselves are never kept)."""
    return PersonalAccessToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def _touch(row) -> None:
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_GRANULARITY:
        type(row).objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now


def _in_municipality(user: User, municipality: Municipality | None) -> bool:
    if user.is_superuser:
        return True
    return municipality is not None and user.municipality_id == municipality.pk


def _credential_row(raw: str):
    """Return the live token or API key row whose secret is `raw`, with its active user."""
    # Once per request: the API's gate asks (for its rate limit), then its authentication.
    return request_memo(("credential", raw), lambda: _credential_row_read(raw))


def _credential_row_read(raw: str):
    parsed = credential_parse(raw)
    if parsed is None:
        return None
    kind, prefix = parsed
    row_for_prefix = _CREDENTIAL_ROWS.get(kind)
    row = row_for_prefix(prefix) if row_for_prefix is not None else None
    if row is None or not credential_matches(raw=raw, digest=row.digest):
        return None
    return row if row.user.is_active else None


def credential_active(*, raw: str) -> bool:
    """Tell whether a token or API key is live somewhere (the API's rate limits key on it)."""
    return _credential_row(raw) is not None


def user_for_credential(*, raw: str, municipality: Municipality | None) -> User | None:
    """Return the active user a token or API key acts as here, or None if it is not valid."""
    # The user carries `api_credential` (the token or key row) for callers that record it.
    row = _credential_row(raw)
    if row is None:
        return None
    user = row.user
    if not _in_municipality(user, municipality):
        return None
    _touch(row)
    user.api_credential = row
    return user


def user_get_in_municipality(*, municipality: Municipality, pk: int) -> User:
    """Return an active user of the municipality, or raise NotFound."""
    user = User.objects.filter(municipality=municipality, pk=pk, is_active=True).first()
    if user is None:
        raise NotFound(_("No such person here."))
    return user


def user_get_by_phone(*, municipality: Municipality, phone: str) -> User | None:
    """Return the municipality's user with this (normalised) phone, or None."""
    if not phone:
        return None
    return User.objects.filter(municipality=municipality, phone=phone).first()
