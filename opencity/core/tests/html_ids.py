"""Check a page's ids: each one unique, and every reference to an id (a label's `for`, the
aria-* relations, a datalist) names one that is on the page."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

# Attributes that hold one id, or a space-separated list of them.
ONE_ID = ("for", "list", "aria-activedescendant", "form")
ID_LISTS = (
    "aria-describedby",
    "aria-labelledby",
    "aria-controls",
    "aria-owns",
    "aria-errormessage",
)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        for name in ONE_ID:
            if name == "for" and tag not in ("label", "output"):
                continue
            if name == "form" and tag not in ("button", "input", "select", "textarea"):
                continue
            if attrs.get(name):
                self.refs.append((tag, name, attrs[name]))
        for name in ID_LISTS:
            for ref in (attrs.get(name) or "").split():
                self.refs.append((tag, name, ref))

    handle_startendtag = handle_starttag


def html_id_problems(html: str) -> list[str]:
    """Return what is wrong with the page's ids (an empty list when nothing is)."""
    parser = _Ids()
    parser.feed(html)
    problems = [f"id {i!r} appears {n} times" for i, n in parser.ids.items() if n > 1]
    problems += [
        f"<{tag} {attr}={ref!r}> names no element"
        for tag, attr, ref in parser.refs
        if ref not in parser.ids
    ]
    return problems
