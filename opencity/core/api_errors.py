"""Errors of the JSON API: one body shape, {code, detail, errors}, for every failure.

See docs/subsystems/api-and-open311.md.
"""

from __future__ import annotations

import logging
from typing import Annotated

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError, ValidationError
from pydantic import BeforeValidator

CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
    500: "server_error",
}


def default_message(status: int) -> str:
    messages = {
        400: _("The request is not valid."),
        401: _("Authentication is required: send a token or an API key."),
        403: _("You may not do this."),
        404: _("Nothing is found at this address."),
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
        415: _("This content type is not accepted here."),
        429: _("Too many requests: wait before trying again."),
        500: _("Something went wrong on our side; it has been logged."),
    }
    return str(messages.get(status, _("The request failed.")))


def error_body(
    status: int, message: str = "", *, code: str = "", errors: dict | None = None
) -> dict:
    return {
        "code": code or CODES.get(status, "error"),
        "detail": message or default_message(status),
        "errors": errors or {},
    }


def error_response(request, status: int, message: str = "", **kwargs) -> JsonResponse:
    """Return a JSON error response (the API guard's renderer for /api/)."""
    return JsonResponse(
        error_body(status, message, **kwargs),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _strip_nul(value):
    # PostgreSQL text cannot hold NUL; a client's stray \x00 is dropped, not a server error.
    return value.replace("\x00", "") if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_strip_nul)]


class ErrorOut(Schema):
    """Every error: a code, a sentence for people, and the problems by field."""

    code: str
    detail: str
    errors: dict[str, list[str]] = {}


# The errors any operation may answer (auth, validation, limits).
COMMON_ERRORS = (400, 401, 403, 413, 422, 429)


def responses(success: dict, *extra: int) -> dict:
    """Return the responses of an operation: its successes plus the errors it may answer."""
    result = dict(success)
    for status in (*COMMON_ERRORS, *extra):
        result.setdefault(status, ErrorOut)
    return result


def install_handlers(api) -> None:
    """Map every failure inside the API to the JSON error body (never HTML, never a bare 500)."""
    logger = logging.getLogger("opencity.api")

    def respond(request, status, message="", **kwargs):
        return api.create_response(request, error_body(status, message, **kwargs), status=status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            location = [str(part) for part in item.get("loc", ())]
            if len(location) > 2 and location[0] in ("body", "form"):
                del location[1]  # the operation's parameter name says nothing to a client
            field = ".".join(location[1:]) or (location[0] if location else "__all__")
            errors.setdefault(field, []).append(str(item.get("msg", "")))
        return respond(
            request, 422, str(_("Some values are missing or of the wrong type.")), errors=errors
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        response = respond(request, exc.status_code, str(exc.message))
        wait = getattr(exc, "wait", None)
        if wait:
            response["Retry-After"] = str(int(wait))
        return response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, str(exc) if str(exc) else "")

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return respond(request, 413)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500)
