"""What anonymous visitors read, shared between them: ETags with 304s and cached JSON answers.

The public lists (the list page, the map's GeoJSON, the API's public list, Open311's
requests) and an appeal's public page are the same for every anonymous visitor of a city in
one language. PublicCacheMiddleware serves the views named in settings.PUBLIC_CACHE_VIEWS:

- every answer carries an ETag made of the city's (or the appeal's) generation, the
  reference data's generation (core.refcache), the address and the language; a visitor who
  sends it back gets 304 Not Modified without the view running;
- a JSON answer (no CSRF token in it) is kept in the shared cache under its ETag, so the
  next anonymous visitor gets it without the view; an HTML page holds the visitor's CSRF
  token, so its ETag also names the visitor's CSRF cookie and its body is not shared.

The generations move when the services say something changed (`public_changed`, called
where every change of an appeal writes its event, after the commit). Entries also age out
(`BUCKET_SECONDS` in the ETag) for changes that bypass the services, and an HTML page's ETag
changes every minute, since it shows the time left.

Signed-in users, API keys and tokens are never served from here.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from opencity.core.oncommit import after_commit
from opencity.core.refcache import GENERATION_KEY

logger = logging.getLogger(__name__)

BUCKET_SECONDS = 300
HTML_BUCKET_SECONDS = 60
BODY_TTL_SECONDS = 300
PREFIX = "opencity:public:"
CACHE_CONTROL = "public, max-age=0, must-revalidate"


def _generation_key(scope: tuple) -> str:
    return PREFIX + "gen:" + ":".join(str(part) for part in scope)


def public_changed(*scopes: tuple) -> None:
    """Say that what these scopes show changed: their ETags and cached answers expire on commit."""
    keys = [_generation_key(scope) for scope in scopes]
    # Now (this transaction's own later reads, and tests, which never commit) and again after
    # the commit: an answer another request cached in between shows the old rows.
    _announce(keys)
    after_commit(_announce, keys, what="publiccache")


def _announce(keys: list[str]) -> None:
    token = uuid.uuid4().hex
    try:
        cache.set_many(dict.fromkeys(keys, token), None)
    except Exception:  # noqa: BLE001 - entries still age out within BUCKET_SECONDS
        logger.warning("publiccache: cannot announce a change of %s", keys)


@dataclass
class Fragment:
    """HTML that everyone with the same `parts` sees of `scope` (see shared_fragments)."""

    scope: tuple
    parts: list
    render: Callable[[], str]


def shared_fragments(fragments: dict[str, Fragment]) -> dict[str, str]:
    """Return each fragment's HTML, rendered once a minute at most and again as soon as its
    scope changes (its generation moves); all of them in two round trips to the cache."""
    scopes = {_generation_key(f.scope) for f in fragments.values()}
    generations = cache.get_many([*scopes, GENERATION_KEY])
    bucket = str(int(time.time()) // HTML_BUCKET_SECONDS)  # clocks ("2 h left") move by the minute
    language = get_language() or ""
    keys = {}
    for name, fragment in fragments.items():
        key_parts = [
            generations.get(_generation_key(fragment.scope)),
            generations.get(GENERATION_KEY),
            bucket,
            language,
            fragment.scope,
            *fragment.parts,
        ]
        keys[name] = PREFIX + "fragment:" + _etag(key_parts).strip('"')
    found = cache.get_many(list(keys.values()))
    html, rendered = {}, {}
    for name, key in keys.items():
        if key in found:
            html[name] = found[key]
        else:
            html[name] = rendered[key] = str(fragments[name].render())
    if rendered:
        cache.set_many(rendered, HTML_BUCKET_SECONDS)
    # Rendered by templates, which escaped them.
    return {name: mark_safe(text) for name, text in html.items()}  # noqa: S308


def shared_fragment(*, scope: tuple, parts: list, render: Callable[[], str]) -> str:
    """Return HTML that everyone with the same `parts` sees of `scope`, rendered once a minute
    at most and again as soon as the scope changes (its generation moves)."""
    return shared_fragments({"html": Fragment(scope=scope, parts=parts, render=render)})["html"]


def _anonymous(request) -> bool:
    if request.headers.get("Authorization") or request.headers.get("X-API-Key"):
        return False
    if "api_key" in request.GET or request.COOKIES.get("messages"):
        return False
    return not request.user.is_authenticated


def _etag(parts: list) -> str:
    return '"' + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest() + '"'


class PublicCacheMiddleware:
    """Answer anonymous GETs of the public views from their ETag or the shared cache."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = getattr(settings, "PUBLIC_CACHE_VIEWS", {})

    def __call__(self, request):
        response = self.get_response(request)
        plan = getattr(request, "_public_cache", None)
        if plan is None or response.status_code != 200 or response.streaming:
            return response
        etag, body_key, parts = plan
        if body_key is None:
            # An HTML page holds a token of the visitor's CSRF secret, perhaps a new one this
            # answer sets: its ETag names the secret the page was rendered with.
            etag = _etag([*parts, request.META.get("CSRF_COOKIE", "")])
        if response.has_header("Set-Cookie") and body_key:
            body_key = None  # a cookie for this visitor alone: do not share the answer
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        if body_key:
            try:
                cache.set(
                    body_key,
                    (response.content, response["Content-Type"], response.get("Content-Language")),
                    BODY_TTL_SECONDS,
                )
            except Exception:  # noqa: BLE001 - serving goes on without the shared copy
                logger.warning("publiccache: cannot keep %s", request.path)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        kind = self.views.get(match.view_name) if match else None
        if kind is None or request.method not in ("GET", "HEAD") or not _anonymous(request):
            return None
        municipality = getattr(request, "municipality", None)
        if municipality is None:
            return None
        scope = ("appeals", municipality.pk)
        if kind == "appeal-html":
            scope = ("appeal", municipality.pk, view_kwargs.get("number", ""))
        html = kind.endswith("html")
        now = int(time.time())
        generations = cache.get_many([_generation_key(scope), GENERATION_KEY])
        parts = [
            generations.get(_generation_key(scope)),
            generations.get(GENERATION_KEY),
            str(now // (HTML_BUCKET_SECONDS if html else BUCKET_SECONDS)),
            request.get_full_path(),
            get_language() or "",
            scope,
        ]
        etag = _etag([*parts, request.META.get("CSRF_COOKIE", "")] if html else parts)
        body_key = None if html else PREFIX + "body:" + etag.strip('"')
        request._public_cache = (etag, body_key, parts)
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            response["Cache-Control"] = CACHE_CONTROL
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            request._public_cache = None
            return response
        if body_key:
            kept = cache.get(body_key)
            if kept is not None:
                content, content_type, language = kept
                response = HttpResponse(content, content_type=content_type)
                if language:
                    response["Content-Language"] = language
                return response
        return None
