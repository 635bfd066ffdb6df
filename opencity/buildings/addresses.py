"""Address text: what the search matches, and parsing one-string addresses."""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")


def address_normalise(text: str) -> str:
    """Fold an address for matching: lower case, ё → е, punctuation to spaces."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[,.;:\"«»()]", " ", text)
    return _SPACES.sub(" ", text).strip()


def address_search_text(
    *, street: str, house_number: str, corpus: str = "", structure: str = ""
) -> str:
    """Build the text a building is found by: 'ул баумана 12 к2'."""
    parts = [street, house_number]
    if corpus:
        parts.append(f"к{corpus}")
    if structure:
        parts.append(f"с{structure}")
    return address_normalise(" ".join(p for p in parts if p))
