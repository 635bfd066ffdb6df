"""Read replicas: public pages and analytics read from a streaming replica, the rest from the primary.

Rules (one home for them):

- Every write goes to the primary ("default"), and so does every read inside a transaction
  on it (a transaction sees its own rows) and every read of a request that has written.
- A read goes to a replica only where it was allowed: a GET or HEAD of a view named in
  DATABASE_REPLICA_VIEWS (public lists, maps, an appeal's page, Open311 and API lists, the
  ratings), or code run inside `replica_reads()` (an analytics report, a bench).
- Read-your-writes: a request that writes marks its user with a short cookie; for
  DATABASE_REPLICA_PIN_SECONDS after it every request of that browser or client reads from
  the primary, so a resident sees the appeal they just filed even on a replica that lags.
- Without DATABASE_REPLICA_URLS (the embedded default) there are no replicas and the router
  is not installed.
"""

from __future__ import annotations

import contextlib
import contextvars
import fnmatch
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PIN_COOKIE = "oc_primary"


@dataclass
class ReadScope:
    replica_allowed: bool = False
    wrote: bool = False


_scope: contextvars.ContextVar[ReadScope | None] = contextvars.ContextVar(
    "opencity_read_scope", default=None
)


def replica_aliases() -> list[str]:
    """The database aliases of the configured replicas."""
    return list(getattr(settings, "DATABASE_REPLICAS", []))


@contextlib.contextmanager
def replica_reads(allowed: bool = True):
    """Let the reads in this block go to a replica (or forbid it with allowed=False)."""
    token = _scope.set(ReadScope(replica_allowed=allowed))
    try:
        yield
    finally:
        _scope.reset(token)


class ReplicaRouter:
    """Send allowed reads to a random replica; writes, transactions and the rest to the primary."""

    def db_for_read(self, model, **hints):
        scope = _scope.get()
        if scope is None or not scope.replica_allowed or scope.wrote:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        aliases = replica_aliases()
        return random.choice(aliases) if aliases else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _view_allowed(view_name: str) -> bool:
    patterns = getattr(settings, "DATABASE_REPLICA_VIEWS", ())
    return any(fnmatch.fnmatchcase(view_name, pattern) for pattern in patterns)


def _pinned(request) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReplicaReadsMiddleware:
    """Open a read scope per request; pin a client that wrote to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = ReadScope()
        token = _scope.set(scope)
        try:
            response = self.get_response(request)
        finally:
            _scope.reset(token)
        if scope.wrote or request.method not in {"GET", "HEAD", "OPTIONS"}:
            seconds = int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 5))
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        scope = _scope.get()
        match = getattr(request, "resolver_match", None)
        if scope is None or match is None or scope.wrote:
            return None
        scope.replica_allowed = (
            request.method in {"GET", "HEAD"}
            and not _pinned(request)
            and _view_allowed(match.view_name)
        )
        return None
