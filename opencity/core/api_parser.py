"""The JSON API's body and query parser: Ninja's, with every string through the one sanitiser."""

from __future__ import annotations

from ninja.parser import Parser

from opencity.core.text import deep_clean


class CleanParser(Parser):
    """Parse as Ninja does, then clean every string (lone surrogates, NUL, controls) in it."""

    def parse_body(self, request):
        return deep_clean(super().parse_body(request))

    def parse_querydict(self, data, list_fields, request):
        return deep_clean(super().parse_querydict(data, list_fields, request))
