"""text_clean and deep_clean: the characters they drop and the normal form they return."""

import pytest

from opencity.core.text import deep_clean, text_clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain", "plain"),
        ("", ""),
        ("a\x00b", "ab"),
        ("tab\tnew\nline\r", "tab\tnew\nline\r"),
        ("\x01\x08\x0b\x0c\x0e\x1f", ""),
        ("del\x7f", "del"),
        ("c1\x80\x85\x9f", "c1"),
        ("lone\ud800high", "lonehigh"),
        ("lone\udfffl", "lonel"),
        ("non\ufffe\uffffchar", "nonchar"),
        ("e\u0301", "\u00e9"),  # NFD -> NFC
        ("\u00e9", "\u00e9"),
        ("\u202eevil\u202c", "\u202eevil\u202c"),  # bidi controls are text, kept
        ("😀 <script>alert(1)</script>", "😀 <script>alert(1)</script>"),
        ("Й", "Й"),
        ("И\u0306", "Й"),
    ],
)
def test_text_clean(raw, clean):
    assert text_clean(raw) == clean


def test_deep_clean_walks_containers():
    value = {"a\x00": ["x\x01", ("e\u0301", 1)], "n": None, "k": 2.5}
    assert deep_clean(value) == {"a": ["x", ("\u00e9", 1)], "n": None, "k": 2.5}
