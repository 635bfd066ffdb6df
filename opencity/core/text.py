"""One sanitiser for hostile text: drop characters nothing should store, then NFC-normalise."""

from __future__ import annotations

import re
import unicodedata

# NUL and C0 controls except \t \n \r, DEL, C1 controls, lone surrogates, the two noncharacters.
FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def text_clean(s: str) -> str:
    """Return s without forbidden characters, NFC-normalised."""
    return unicodedata.normalize("NFC", FORBIDDEN_RE.sub("", s))


def deep_clean(value):
    """Clean every str inside dicts, lists and tuples (keys too); leave other values alone."""
    if isinstance(value, str):
        return text_clean(value)
    if isinstance(value, dict):
        return {deep_clean(k): deep_clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_clean(v) for v in value]
    if isinstance(value, tuple):
        return tuple(deep_clean(v) for v in value)
    return value
