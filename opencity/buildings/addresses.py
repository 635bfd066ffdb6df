"""Address text: what the search matches, and parsing one-string addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


# Street types: every spelling seen in registries -> the short form we store.
STREET_TYPES: dict[str, str] = {
    "ул": "ул.",
    "улица": "ул.",
    "пр-кт": "пр-кт",
    "просп": "пр-кт",
    "проспект": "пр-кт",
    "пр": "пр-кт",
    "пер": "пер.",
    "переулок": "пер.",
    "б-р": "б-р",
    "бульв": "б-р",
    "бульвар": "б-р",
    "ш": "ш.",
    "шоссе": "ш.",
    "пл": "пл.",
    "площадь": "пл.",
    "наб": "наб.",
    "набережная": "наб.",
    "проезд": "проезд",
    "пр-д": "проезд",
    "туп": "туп.",
    "тупик": "туп.",
    "аллея": "аллея",
    "ал": "аллея",
    "мкр": "мкр.",
    "мкр-н": "мкр.",
    "микрорайон": "мкр.",
    "тракт": "тракт",
    "линия": "линия",
    "кв-л": "кв-л",
    "квартал": "кв-л",
    "тер": "тер.",
    "территория": "тер.",
}
# Settlement types (a locality part of the address, not the street).
LOCALITY_TYPES = {
    "г", "город", "п", "пос", "поселок", "пгт", "рп", "с", "село", "д", "деревня", "х",
    "хутор", "ст", "станица", "снт", "нп", "аул", "сл", "слобода", "м",
}  # fmt: skip
REGION_TYPES = {
    "обл", "область", "респ", "республика", "край", "ао", "автономный", "р-н", "район",
    "г.о", "го", "м.р-н", "мр", "муниципальный", "городской", "округ", "у",
}  # fmt: skip
HOUSE_WORDS = {"д", "дом", "зд", "здание", "влд", "владение", "вл"}
CORPUS_WORDS = {"к", "корп", "корпус"}
STRUCTURE_WORDS = {"стр", "строение", "с", "сооруж", "соор", "литера", "лит"}

_WORD = re.compile(r"[^\s.]+\.?")
_HOUSE_VALUE = re.compile(r"^\d+[а-яa-z]?(?:/\d+[а-яa-z]?)?$", re.IGNORECASE)
_POSTCODE = re.compile(r"^\d{6}$")
# "12к2", "12 корп 2", "12/1 стр. 3", "12а, корп. 2"
_HOUSE_TAIL = re.compile(
    r"^(?P<house>\d+\s?[а-яa-z]?(?:/\d+[а-яa-z]?)?)"
    r"(?:\s*(?:к|корп\.?|корпус)\s*\.?\s*(?P<corpus>[\dа-яa-z]+))?"
    r"(?:\s*(?:с|стр\.?|строение)\s*\.?\s*(?P<structure>[\dа-яa-z]+))?$",
    re.IGNORECASE,
)


@dataclass
class ParsedAddress:
    """A one-string address split into the parts the registry stores."""

    text: str
    postcode: str = ""
    region: str = ""
    locality: str = ""
    street: str = ""
    house_number: str = ""
    corpus: str = ""
    structure: str = ""

    @property
    def is_complete(self) -> bool:
        return bool(self.street and self.house_number)


def _key(word: str) -> str:
    return word.lower().rstrip(".").replace("ё", "е")


def _split_type(part: str, types) -> tuple[str, str] | None:
    """Find a type word at the start or end of a part: ('ул', 'Баумана') for 'ул. Баумана'."""
    words = part.replace(".", ". ").split()
    if len(words) < 2:
        return None
    first, last = _key(words[0]), _key(words[-1])
    if first in types:
        return first, " ".join(words[1:]).replace(" .", ".").strip()
    if last in types:
        return last, " ".join(words[:-1]).replace(" .", ".").strip()
    return None


def _clean_house(value: str) -> str:
    return value.replace(" ", "").upper() if value else ""


def _take_house(part: str, parsed: ParsedAddress) -> bool:
    """Read 'д. 12', 'дом 12А', '12к2', 'корп. 2', 'стр. 3' into the parsed address."""
    words = part.replace(".", ". ").split()
    head = _key(words[0]) if words else ""
    rest = " ".join(words[1:]).replace(" .", ".").strip()
    if head in CORPUS_WORDS and rest and parsed.house_number:
        parsed.corpus = _clean_house(rest)
        return True
    if head in STRUCTURE_WORDS and rest and parsed.house_number:
        parsed.structure = _clean_house(rest)
        return True
    value = rest if head in HOUSE_WORDS else part.strip()
    match = _HOUSE_TAIL.match(value.replace("..", "."))
    if not match:
        return False
    if head not in HOUSE_WORDS and parsed.house_number:
        return False
    parsed.house_number = _clean_house(match["house"])
    parsed.corpus = _clean_house(match["corpus"] or "") or parsed.corpus
    parsed.structure = _clean_house(match["structure"] or "") or parsed.structure
    return True


def address_parse(text: str) -> ParsedAddress:
    """Split a one-string address ('Респ. Татарстан, г. Казань, ул. Баумана, д. 12, корп. 2')."""
    parsed = ParsedAddress(text=(text or "").strip())
    parts = [p.strip() for p in parsed.text.split(",") if p.strip()]
    for part in parts:
        if _POSTCODE.match(part):
            parsed.postcode = part
            continue
        # 'д. 12' is a house, 'д. Ивановка' a village: try the house reading first.
        if _take_house(part, parsed):
            continue
        street = _split_type(part, STREET_TYPES)
        if street and not parsed.street:
            kind, name = street
            parsed.street = f"{STREET_TYPES[kind]} {name}"
            continue
        locality = _split_type(part, LOCALITY_TYPES)
        if locality and not parsed.locality:
            parsed.locality = part
            continue
        if _split_type(part, REGION_TYPES):
            parsed.region = f"{parsed.region}, {part}" if parsed.region else part
            continue
        if not parsed.street and parsed.locality and not parsed.house_number:
            # An untyped name after the town is most likely the street: 'Казань, Баумана, 12'.
            parsed.street = part
            continue
        if not parsed.locality and not parsed.street:
            parsed.locality = part
    if not parsed.street and parsed.locality and parsed.house_number:
        # Villages often have no streets: the house is numbered within the settlement.
        parsed.street = parsed.locality
    return parsed
