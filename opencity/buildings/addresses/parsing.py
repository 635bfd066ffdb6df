"""Parse one-string registry addresses into the parts the registry stores."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from opencity.buildings.addresses.vocabulary import (
    APARTMENT_WORDS,
    AREA_STREET_TYPES,
    CORPUS_WORDS,
    COUNTRY_NAMES,
    HOUSE_WORDS,
    LOCALITY_TYPES,
    REGION_WORDS,
    STREET_TYPES,
    STRUCTURE_WORDS,
    classify,
    fold,
    name_clean,
    word_key,
    words_of,
)

# A house number: 12, 12А, 12/1, 12А/1Б, 16-18, 26-Б; spaces, quotes and backslashes folded.
_HOUSE_VALUE = r"\d+(?:-?[а-я])?(?:[-/]\d+(?:-?[а-я])?){0,3}"
_PART_VALUE = r"\d+(?:-?[а-я])?|[а-я]\d*"
_HOUSE_TAIL = re.compile(
    rf"^(?P<house>{_HOUSE_VALUE})"
    rf"(?:(?:к|корп|корпус|кор)\.?(?P<corpus>{_PART_VALUE}))?"
    rf"(?:(?:с|стр|строен|строение)\.?(?P<structure>\d+(?:-?[а-я])?))?"
    rf"(?:(?:лит|литер|литера)\.?(?P<litera>[а-я]\d*))?$"
)
# The number at the start of a house part followed by words we do not know ("10 блок 2").
_HOUSE_START = re.compile(
    r"^(?P<house>\d+(?:-?[а-я](?![а-я]))?(?:[-/]\d+(?:-?[а-я](?![а-я]))?){0,3})(?!\d)"
)
_HOUSE_GLUED = re.compile(r"^(?:д|дом)(?=\d)")
_PART_ALONE = re.compile(rf"^(?:{_PART_VALUE})$")
# A corpus, structure or litera glued to its word: "к4", "стр2", "литА".
_PART_GLUED = re.compile(
    rf"^(?:(?:к|корп|корпус|кор)(?P<corpus>{_PART_VALUE})|(?:стр|строен|строение)(?P<structure>"
    rf"{_PART_VALUE})|(?:лит|литер|литера)(?P<litera>[а-я]\d*))$"
)
# An apartment glued to the house: "45кв3", "12пом1".
_APARTMENT_TAIL = re.compile(r"(?:кв|квартира|пом|помещение|комн?|комната|оф|офис)\d.*$")
_POSTCODE = re.compile(r"^\d{6}$")
_DUPLICATE = re.compile(r"\(?\s*\bдубл(?:ь|икат)\b\s*[-№#]?\s*(\d*)\s*\)?", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^()]*\)")
_QUOTED_LETTER = re.compile(r"(\d)\s*[\"'«»“”„]\s*([а-яёa-z])\s*[\"'«»“”„]?", re.IGNORECASE)
# Words that start a house, corpus, structure, litera or apartment glued to what comes
# before them: "ул. Баумана д. 12", "д. 27 лит. А", "41 kv 1 60".
_GLUED = re.compile(
    r"(?<=[^\s,])\s+(?=(?:(?:д|дом|корп|корпус|к|стр|строение|кв|kv|квартира|пом|помещение)"
    r"\.?\s*№?\s*\d|(?:лит|литер|литера)\.?\s*[а-яёa-z]\b))",
    re.IGNORECASE,
)
# A type word written twice in two spellings: "д. дом 7", "к. корпус 3", "ул. улица Ленина".
_DOUBLED = [
    re.compile(rf"\b(?:{a})\.?\s+(?=(?:{b})\b)", re.IGNORECASE)
    for a, b in (
        ("д|дом", "д|дом"),
        ("к|корп|корпус", "к|корп|корпус"),
        ("стр|строение", "стр|строение"),
        ("лит|литер|литера", "лит|литер|литера"),
        ("ул|улица", "ул|улица"),
        ("г|город", "г|город"),
        ("пр-кт|просп|проспект", "пр-кт|просп|проспект"),
        ("пер|переулок", "пер|переулок"),
        ("кв|квартира", "кв|квартира"),
    )
]
_DOUBLE_WORDS = (
    "д|дом|к|корп|корпус|стр|строение|лит|литер|литера|ул|улица|г|город|пр-кт|просп|проспект|"
    "пер|переулок|кв|квартира"
)
# Whether any type word is followed by another: most addresses need none of _DOUBLED.
_ANY_DOUBLED = re.compile(rf"\b(?:{_DOUBLE_WORDS})\.?\s+(?:{_DOUBLE_WORDS})\b", re.IGNORECASE)
# Latin capitals that look like the Cyrillic letters of house numbers.
_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")


@dataclass
class ParsedAddress:
    """A one-string address split into the parts the registry stores."""

    text: str
    postcode: str = ""
    region: str = ""
    locality: str = ""  # the settlement the house stands in, as shown: "с. Горный Щит"
    locality_type: str = ""
    locality_name: str = ""
    locality_parent: str = ""  # the settlements around it: "нп. Русский Остров"
    street: str = ""
    house_number: str = ""
    corpus: str = ""
    structure: str = ""
    apartment: str = ""  # an apartment glued to the house: read and left out
    duplicate: str | None = None  # "(дубль 2)" -> "2"; "(дубль)" -> ""
    localities: list[tuple[str, str]] = field(default_factory=list, repr=False)

    @property
    def is_complete(self) -> bool:
        return bool(self.street and (self.house_number or self.corpus))


_LETTER_HYPHEN = re.compile(r"-(?=[А-ЯЁ])")


def house_value_clean(value: str) -> str:
    """Fold a house number as the registry stores it: '12 а' -> '12А', '26-б' -> '26Б'."""
    text = value.replace(" ", "").replace("\\", "/").upper().translate(_LOOKALIKES)
    return _LETTER_HYPHEN.sub("", text)


_LATIN_LOWER = str.maketrans("abcehkmoptxy", "авсенкмортху", "\"'«»“”„№")
_SLASH_SPACES = re.compile(r"\s*/\s*")
_SPACES_DOTS = re.compile(r"[\s.]+")


def _compact(value: str) -> str:
    text = fold(value).replace("\\", "/").translate(_LATIN_LOWER)
    text = _SLASH_SPACES.sub("/", text)
    return _SPACES_DOTS.sub("", text.rstrip(". "))


def _house_reading(value: str, *, named: bool = False) -> tuple[str, str, str] | None:
    """Read '12', '12к2', '12/1 стр 3', '27 лит А', '16-18' as (house, corpus, structure)."""
    # `named`: the part said it is a house ('д. 10 блок 2'), so a number followed by words we
    # do not know is still its number.
    compact = _APARTMENT_TAIL.sub("", _compact(value))
    match = _HOUSE_TAIL.match(compact)
    if not match and named:
        match = _HOUSE_START.match(compact)
    if not match:
        return None
    parts = match.groupdict()
    structure = parts.get("structure") or parts.get("litera") or ""
    return (
        house_value_clean(parts["house"]),
        house_value_clean(parts.get("corpus") or ""),
        house_value_clean(structure),
    )


@dataclass(frozen=True)
class _Part:
    """What one comma-separated part can be (a pure function of its text, so cached)."""

    postcode: bool = False
    skip: bool = False  # a country name
    house: tuple[str, str, str] | None = None  # read as the house, when none is read yet
    after_house: tuple[str, str] | None = None  # ('corpus' | 'structure' | 'apartment', value)
    place: tuple | None = None  # ('region', text) or a place kind and value


@functools.lru_cache(maxsize=8192)
def _part_read(part: str) -> _Part:
    if _POSTCODE.match(part):
        return _Part(postcode=True)
    if fold(part) in COUNTRY_NAMES:
        return _Part(skip=True)
    words = words_of(part)
    folded = tuple(word_key(w) for w in words)
    head = folded[0] if folded else ""
    rest = " ".join(words[1:])
    # 'д. 12' is a house, 'д. Ивановка' a village: the house reading is tried first.
    house = None
    if head in HOUSE_WORDS and rest:
        house = _house_reading(rest, named=True)
    elif head in ("№", "n"):
        house = _house_reading(rest)
    else:
        whole = _compact(part)
        if _HOUSE_GLUED.match(whole):  # "д5", "дом12а"
            house = _house_reading(_HOUSE_GLUED.sub("", whole), named=True)
        else:
            house = _house_reading(part)
    after_house = None
    if head in APARTMENT_WORDS:
        after_house = ("apartment", rest)
    elif head in CORPUS_WORDS and rest and _PART_ALONE.match(_compact(rest)):
        after_house = ("corpus", house_value_clean(_compact(rest)))
    elif head in STRUCTURE_WORDS and rest and _PART_ALONE.match(_compact(rest)):
        after_house = ("structure", house_value_clean(_compact(rest)))
    else:
        glued = _PART_GLUED.match(_compact(part))
        if glued and glued["corpus"]:
            after_house = ("corpus", house_value_clean(glued["corpus"]))
        elif glued:
            after_house = ("structure", house_value_clean(glued["structure"] or glued["litera"]))
    typed = classify(words, folded)
    if typed is None and REGION_WORDS & set(folded):
        typed = ("region", "", part)
    if typed is None:
        place = ("untyped", name_clean(part))
    else:
        category, kind, name = typed
        if category == "region":
            place = ("region", part)
        elif category == "street":
            short = f"{STREET_TYPES[kind]} {name_clean(name)}"
            place = ("area" if kind in AREA_STREET_TYPES else "street", short)
        else:
            place = ("locality", (LOCALITY_TYPES.get(kind, kind), name_clean(name)))
    return _Part(house=house, after_house=after_house, place=place)


def _prepare(text: str) -> tuple[str, str | None]:
    """Take the duplicate marker and notes out, and split glued parts with commas."""
    duplicate = None
    match = _DUPLICATE.search(text)
    if match:
        duplicate = match.group(1) or ""
        text = text[: match.start()] + text[match.end() :]
    text = _PARENTHESES.sub(" ", text)
    text = _QUOTED_LETTER.sub(r"\1\2", text)
    text = text.replace("\\", "/").replace(";", ",")
    if _ANY_DOUBLED.search(text):
        for doubled in _DOUBLED:
            text = doubled.sub("", text)
    text = _GLUED.sub(", ", text)
    return text, duplicate


def address_parse(text: str) -> ParsedAddress:
    """Split a one-string address ('Респ. Татарстан, г. Казань, ул. Баумана, д. 12, корп. 2')."""
    parsed = ParsedAddress(text=(text or "").strip())
    prepared, parsed.duplicate = _prepare(parsed.text)
    # Each place part in order: (kind, value); kinds: locality, street, area, untyped.
    places: list[tuple[str, object]] = []
    house_at = None
    for raw in prepared.split(","):
        part = raw.strip(" .")
        if not part:
            continue
        read = _part_read(part)
        if read.postcode:
            parsed.postcode = part
            continue
        if read.skip:
            continue
        if not parsed.house_number and read.house:
            parsed.house_number, corpus, structure = read.house
            parsed.corpus = corpus or parsed.corpus
            parsed.structure = structure or parsed.structure
            house_at = len(places)
            continue
        if read.after_house and (parsed.house_number or read.after_house[0] == "corpus"):
            # A corpus with no house before it is the building's number ("г. Зеленоград,
            # к. 1106"); anything else after a house belongs to it.
            kind, value = read.after_house
            setattr(parsed, kind, value)
            if house_at is None:
                house_at = len(places)
            continue
        kind, value = read.place
        if kind == "region":
            parsed.region = f"{parsed.region}, {value}" if parsed.region else value
        else:
            places.append((kind, value))
    _assign_places(parsed, places, house_at)
    return parsed


def _assign_places(parsed: ParsedAddress, places: list, house_at: int | None) -> None:
    """Decide which place part is the street and which are the settlements around it."""
    # What follows the house is not its place, unless the address is written backwards.
    before = places if not house_at else places[:house_at]
    street_at = None
    for i, (kind, _value) in enumerate(before):
        if kind == "street":
            street_at = i
    if street_at is None:
        # No street type: a microdistrict or quarter next to the house is the street, else
        # an untyped name next to the house ('Казань, Баумана, 12').
        for i in range(len(before) - 1, -1, -1):
            kind = before[i][0]
            if kind in ("area", "untyped"):
                street_at = i
                break
            if kind == "locality":
                break
    localities: list[tuple[str, str]] = []
    for i, (kind, value) in enumerate(before):
        if i == street_at:
            parsed.street = value
        elif kind == "locality":
            localities.append(value)
        elif kind == "area" and (street_at is None or i < street_at):
            short, _sep, name = value.partition(" ")
            localities.append((short, name))
        elif kind == "untyped" and (street_at is None or i < street_at):
            localities.append(("", value))
    untyped = [loc for loc in localities if not loc[0]]
    if len(untyped) > 1:
        # Untyped names above the town are the region and its district: keep the last.
        localities = [loc for loc in localities if loc[0] or loc is untyped[-1]]
    if not parsed.house_number and parsed.street:
        _split_trailing_house(parsed)
    parsed.localities = localities
    if localities:
        kind, name = localities[-1]
        parsed.locality_type, parsed.locality_name = kind, name
        parsed.locality = f"{kind} {name}".strip()
        parsed.locality_parent = ", ".join(f"{k} {n}".strip() for k, n in localities[:-1])
    if not parsed.street and parsed.locality and (parsed.house_number or parsed.corpus):
        # Villages often have no streets: the house is numbered within the settlement.
        parsed.street = parsed.locality


def _split_trailing_house(parsed: ParsedAddress) -> None:
    """'ул. Баумана 12' with no house part: the last word of the street is the house."""
    words = parsed.street.split()
    house = _house_reading(words[-1]) if len(words) >= 3 else None
    if house:
        parsed.house_number, parsed.corpus, parsed.structure = house
        parsed.street = " ".join(words[:-1])
