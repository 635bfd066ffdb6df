"""What one request works out more than once, worked out once: its credential's row, the
caller's standing in the municipality.

`RequestMemoMiddleware` opens a memo for each request (a context variable, so each thread
and each request has its own); `request_memo(key, compute)` returns the value computed first
for the key in this request. Outside a request (tasks, the shell, services called by tests)
there is no memo and `compute` runs every time, as before. A write that changes what a key
describes forgets it (`request_memo_forget`), so the rest of the request reads it afresh.

Nothing here outlives the request or is shared between requests.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "opencity_request_memo", default=None
)


def request_memo(key: Hashable, compute: Callable[[], T]) -> T:
    """Return what `compute` gave for `key` earlier in this request (computing it once)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


def request_memo_peek(key: Hashable):
    """Return what this request kept for `key`, or None (nothing is computed)."""
    memo = _memo.get()
    return None if memo is None else memo.get(key)


def request_memo_forget(kind: str) -> None:
    """Forget every value of this kind (a key's first part) kept in this request."""
    memo = _memo.get()
    if memo:
        for key in [k for k in memo if isinstance(k, tuple) and k and k[0] == kind]:
            del memo[key]


class RequestMemoMiddleware:
    """Give each request its own memo (see request_memo); it ends with the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
