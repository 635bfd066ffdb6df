"""Open311 output in XML and JSON, as the GeoReport v2 spec writes them.

XML: a declared UTF-8 document, schemaless and without a namespace, lists as a plural element
holding singular ones (services/service, service_requests/request, errors/error, …). JSON: the
Spark convention's mapping of the same document: a root list becomes a JSON array.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

import orjson
from django.http import HttpResponse

from opencity.core.text import text_clean

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"

# The element each list's items are written as in XML.
ITEM_NAMES = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
    "photos": "photo",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if value is True:
        return "true"
    if value is False:
        return "false"
    # Whatever was stored, the document stays well-formed XML 1.0; a CR survives parsing.
    return escape(text_clean(str(value)), {"\r": "&#13;"})


def _element(name: str, value, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append(f"<{name}>")
        for key, item in value.items():
            _element(key, item, out)
        out.append(f"</{name}>")
    elif isinstance(value, list | tuple):
        item_name = ITEM_NAMES.get(name, "item")
        out.append(f"<{name}>")
        for item in value:
            _element(item_name, item, out)
        out.append(f"</{name}>")
    elif value is None or value == "":
        out.append(f"<{name}/>")
    else:
        out.append(f"<{name}>{_text(value)}</{name}>")


def to_xml(root: str, document) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    _element(root, document, out)
    return "".join(out)


def render(fmt: str, root: str, document, *, status: int = 200) -> HttpResponse:
    """Render a document (a list for plural roots, a dict otherwise) in the format."""
    if fmt == "json":
        # orjson: a thousand requests serialise in about a millisecond (the stdlib takes 15)
        return HttpResponse(orjson.dumps(document), content_type=JSON_TYPE, status=status)
    return HttpResponse(to_xml(root, document), content_type=XML_TYPE, status=status)


def render_errors(fmt: str, status: int, errors: list[tuple[int | str, str]]) -> HttpResponse:
    """Return the spec's error list: [{code, description}], with the HTTP status."""
    return render(
        fmt,
        "errors",
        [{"code": code, "description": description} for code, description in errors],
        status=status,
    )


def format_of(path: str) -> str:
    """Return the format a path asks for by its suffix (XML, the required one, by default)."""
    return "json" if path.rstrip("/").endswith(".json") else "xml"


def guard_error(request, status: int, message: str = "") -> HttpResponse:
    """Return the API guard's renderer for /open311/: an error list in the path's format."""
    from opencity.core.api_errors import default_message

    return render_errors(
        format_of(request.path_info), status, [(status, message or default_message(status))]
    )
