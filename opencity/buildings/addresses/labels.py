"""Labels of buildings and the text they are found by."""

from __future__ import annotations

import functools
import re

from opencity.buildings.addresses.vocabulary import (
    LOCALITY_TYPES,
    REGION_TYPES,
    classify,
    name_clean,
    phrase_index,
    type_at,
    word_key,
    words_of,
)

_SPACES = re.compile(r"\s+")


def address_normalise(text: str) -> str:
    """Fold an address for matching: lower case, ё → е, punctuation to spaces."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[,.;:\"«»()]", " ", text)
    return _SPACES.sub(" ", text).strip()


_NAME_TYPES = phrase_index({*LOCALITY_TYPES, *REGION_TYPES})


@functools.lru_cache(maxsize=4096)
def locality_key(name: str) -> str:
    """Fold a settlement name for comparing: 'г. Казань', 'город Казань', 'Казань' -> 'казань'."""
    words = words_of(name or "")
    while words:
        found = type_at(words, tuple(word_key(w) for w in words), _NAME_TYPES)
        if not found:
            break
        words = found[1].split()
    return " ".join(name_clean(" ".join(words)).lower().replace("ё", "е").split())


@functools.lru_cache(maxsize=8192)
def address_locality_text(
    *,
    locality_type: str = "",
    locality_name: str = "",
    locality_parent: str = "",
    street: str = "",
    main: str = "",
) -> str:
    """The settlement part of a label: 'нп. Русский Остров, п. Подножье', '' in the main town."""
    # `main` is the folded name of the municipality's own settlement (locality_key): a city's
    # buildings read as before ('ул. Баумана, 12'); its villages name themselves ('с. Горный
    # Щит, ул. Гагарина, 3'). A settlement already shown as the street is not repeated.
    parts = [p.strip() for p in locality_parent.split(",") if p.strip()]
    own = f"{locality_type} {locality_name}".strip()
    if locality_name:
        parts.append(own)
    shown = [p for p in parts if locality_key(p) != main and p != street]
    return ", ".join(dict.fromkeys(shown))


def address_search_text(
    *, street: str, house_number: str, corpus: str = "", structure: str = "", locality: str = ""
) -> str:
    """Build the text a building is found by: 'ул баумана 12 к2', 'с горный щит ул гагарина 3'."""
    parts = [locality, street, house_number]
    if corpus:
        parts.append(f"к{corpus}")
    if structure:
        parts.append(f"с{structure}")
    return address_normalise(" ".join(p for p in parts if p))


def address_short(
    *, street: str, house_number: str, corpus: str = "", structure: str = "", locality: str = ""
) -> str:
    """Label a building: 'ул. Баумана, 12 к2', 'с. Горный Щит, ул. Гагарина, 3'."""
    text = ", ".join(p for p in (locality, street, house_number) if p)
    if corpus:
        text += f" к{corpus}"
    if structure:
        text += f" с{structure}"
    return text


def street_name(street: str) -> str:
    """Return a street's name without its type word, as people type it ('ул. Баумана' -> 'Баумана')."""
    words = words_of(street)
    typed = classify(words, tuple(word_key(w) for w in words))
    if typed is not None and typed[0] == "street" and typed[2]:
        return typed[2]
    return street.strip()
