"""Login throttling: failed attempts counted per login and per client IP in Django's cache.

At most settings.LOGIN_RATE_LIMIT failures per settings.LOGIN_RATE_WINDOW seconds are allowed
for one login (inside one municipality) and for one client address; past that, sign-in is
refused without checking the password until the window ends.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from opencity.accounts.backends import normalise_phone
from opencity.core.web import client_ip


def _login_key(request, login: str) -> str:
    login = login.strip().lower()
    if "@" not in login:
        login = normalise_phone(login) or login
    municipality = getattr(request, "municipality", None)
    scope = municipality.pk if municipality is not None else "-"
    digest = hashlib.sha256(f"{scope}:{login}".encode()).hexdigest()[:32]
    return f"login-fail:user:{digest}"


def _ip_key(request) -> str:
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    return f"login-fail:ip:{digest}"


def _keys(request, login: str) -> list[str]:
    keys = [_ip_key(request)]
    if login:
        keys.append(_login_key(request, login))
    return keys


def login_wait_seconds(*, request, login: str) -> int:
    """Return how many seconds sign-in stays refused for this login or address (0 if allowed)."""
    limit = settings.LOGIN_RATE_LIMIT
    now = time.time()
    wait = 0.0
    for key in _keys(request, login):
        count = cache.get(key) or 0
        if count >= limit:
            reset_at = cache.get(key + ":reset") or now + settings.LOGIN_RATE_WINDOW
            wait = max(wait, reset_at - now)
    return int(wait + 0.999) if wait > 0 else 0


def login_failure_record(*, request, login: str) -> None:
    """Count one failed sign-in against the login and the client address."""
    window = settings.LOGIN_RATE_WINDOW
    for key in _keys(request, login):
        # The window is fixed from the first failure: both keys expire together.
        cache.add(key + ":reset", time.time() + window, window)
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, window)


def login_success_record(*, request, login: str) -> None:
    """Forget the failures counted against this login."""
    key = _login_key(request, login)
    cache.delete_many([key, key + ":reset"])
