"""Login throttling: failed attempts counted per login and per client IP in Django's cache.

Per login strictly (one account of one municipality: its e-mail, phone and username count
together): settings.LOGIN_RATE_LIMIT failures per settings.LOGIN_RATE_WINDOW seconds, and
sign-in to it is refused without checking the password until the window ends, from any
address. Per address loosely: settings.LOGIN_RATE_LIMIT_PER_IP failures per window, and past
that the address may still sign in to any login that has not failed in the window; only
logins that already failed are refused unchecked from it. One address is often many people
(a city office, a carrier's NAT, a proxy): an attacker there gets one guess per login per
window once over the limit, but cannot lock out anyone else's correct sign-in. A limit of 0
or less turns it off.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from opencity.accounts.backends import normalise_phone, user_find_for_login
from opencity.core.web import client_ip


def _login_key(request, login: str) -> str:
    """Return the counter of one account: its e-mail, phone and username are one login."""
    memo = request.__dict__.setdefault("_login_throttle_keys", {})
    if login not in memo:
        municipality = getattr(request, "municipality", None)
        user = user_find_for_login(municipality=municipality, login=login)
        if user is not None:
            name = f"user:{user.pk}"
        else:  # no such account: still counted, so guessing is limited alike
            name = login.strip().lower()
            if "@" not in name:
                name = normalise_phone(name) or name
            name = f"{municipality.pk if municipality is not None else '-'}:{name}"
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        memo[login] = f"login-fail:user:{digest}"
    return memo[login]


def _ip_key(request) -> str:
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    return f"login-fail:ip:{digest}"


def _failures(key: str) -> tuple[int, float]:
    """Return the failures counted under the key and when its window ends (epoch seconds)."""
    count = cache.get(key) or 0
    if not count:
        return 0, 0.0
    return count, cache.get(key + ":reset") or time.time() + settings.LOGIN_RATE_WINDOW


def _seconds(until: float) -> int:
    wait = until - time.time()
    return int(wait + 0.999) if wait > 0 else 0


def login_wait_seconds(*, request, login: str) -> int:
    """Return how long sign-in to this login from this address stays refused (0: check it)."""
    login_failures, login_reset = _failures(_login_key(request, login)) if login else (0, 0.0)
    login_limit = int(settings.LOGIN_RATE_LIMIT)
    if login_limit > 0 and login_failures >= login_limit:
        return _seconds(login_reset)
    ip_limit = int(getattr(settings, "LOGIN_RATE_LIMIT_PER_IP", 100))
    if ip_limit > 0 and login_failures:
        ip_failures, ip_reset = _failures(_ip_key(request))
        if ip_failures >= ip_limit:
            # Either window's end lets this login be tried again from here.
            return _seconds(min(ip_reset, login_reset))
    return 0


def login_failure_record(*, request, login: str) -> None:
    """Count one failed sign-in against the login and the client address."""
    window = settings.LOGIN_RATE_WINDOW
    keys = [_ip_key(request)] + ([_login_key(request, login)] if login else [])
    for key in keys:
        # The window is fixed from the first failure: the count and its end expire together.
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
