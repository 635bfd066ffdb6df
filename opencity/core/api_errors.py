"""Errors of the JSON API: one body shape, {code, detail, errors}, for every failure."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _

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
    """A JSON error response (the API guard's renderer for /api/)."""
    return JsonResponse(
        error_body(status, message, **kwargs),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
