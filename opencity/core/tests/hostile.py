"""The table of hostile strings every text input is tried with (issue 11, items 13 and 20).

Each row: an id, what a client sends, and what the platform must store and show — the text
with NUL, C0/C1 controls, DEL, lone surrogates and noncharacters dropped, NFC-normalised,
everything else (markup, SQL, right-to-left marks, emoji) kept as typed and escaped on output.
"""

from __future__ import annotations

HOSTILE = [
    ("nul", "a\x00b", "ab"),
    ("bell", "ring\x07 bell", "ring bell"),
    ("vertical-tab", "one\x0btwo", "onetwo"),
    ("escape", "red\x1b[31m text", "red[31m text"),
    ("del", "de\x7fl", "del"),
    ("c1-next-line", "c1\x85 next", "c1 next"),
    ("lone-high-surrogate", "x \ud800 y", "x  y"),
    ("lone-low-surrogate", "x \udfff y", "x  y"),
    ("noncharacter", "non\uffffchar\ufffe", "nonchar"),
    ("decomposed", "caf\u0065\u0301 Казан\u0443\u0306", "café Казанў"),
    ("markup", '<script>alert("x")</script>&amp;', '<script>alert("x")</script>&amp;'),
    ("sql", "'; DROP TABLE appeals_appeal; --", "'; DROP TABLE appeals_appeal; --"),
    ("rtl-override", "abc\u202edef", "abc\u202edef"),
    ("emoji", "крыша 🏚️ течёт", "крыша 🏚️ течёт"),
    ("tabs-and-newlines", "line one\r\nline\ttwo", "line one\r\nline\ttwo"),
]
HOSTILE_IDS = [row[0] for row in HOSTILE]


def form_encode(pairs: dict) -> str:
    """Form-encode as a client would, lone surrogates written as the bytes a buggy client sends."""
    from urllib.parse import quote

    return "&".join(
        f"{quote(str(k))}={quote(str(v).encode('utf-8', 'surrogatepass'), safe='')}"
        for k, v in pairs.items()
    )
