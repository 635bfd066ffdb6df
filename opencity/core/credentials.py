"""Secrets given to programs (personal access tokens, organisations' API keys).

A credential reads `oc_<kind>_<prefix>_<secret>`: the prefix finds the row (it is stored in
clear and shown in lists), the whole string is stored only as its SHA-256 digest. The secret
has 192 bits of randomness, so a plain digest is as safe as a slow password hash here and
lets every API request check its credential in microseconds.

See docs/subsystems/api-and-open311.md.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.utils.crypto import constant_time_compare

PREFIX_LENGTH = 8
KINDS = ("pat", "key")


@dataclass(frozen=True)
class NewCredential:
    """A credential as created: `raw` is shown once and never stored."""

    raw: str
    prefix: str
    digest: str


def credential_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def credential_new(*, kind: str) -> NewCredential:
    """Return a fresh credential of the kind ("pat" or "key")."""
    if kind not in KINDS:
        raise ValueError(f"unknown credential kind {kind!r}")
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    raw = f"oc_{kind}_{prefix}_{secrets.token_urlsafe(24)}"
    return NewCredential(raw=raw, prefix=prefix, digest=credential_digest(raw))


def credential_parse(raw: str) -> tuple[str, str] | None:
    """Return the (kind, prefix) of a credential string, or None if it is not one of ours."""
    parts = (raw or "").strip().split("_", 3)
    if len(parts) != 4 or parts[0] != "oc" or parts[1] not in KINDS:
        return None
    if len(parts[2]) != PREFIX_LENGTH or not parts[3]:
        return None
    return parts[1], parts[2]


def credential_matches(*, raw: str, digest: str) -> bool:
    return constant_time_compare(credential_digest(raw.strip()), digest)
