"""Address text: what the search matches, labels, and parsing one-string addresses.

A registry address is one string of comma-separated parts ("обл. Свердловская, с. Горный
Щит, ул. Гагарина, д. 3"); real exports spell every part in several ways, glue parts
together ("ул. Баумана д. 12", "41 kv 1 60"), double the type words ("д. дом 7") and mark
records ("(дубль 2)"). The parser reads each part by what it is — region, settlement,
street, house, corpus, structure or litera, apartment — whatever the order and spelling.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

_SPACES = re.compile(r"\s+")


def address_normalise(text: str) -> str:
    """Fold an address for matching: lower case, ё → е, punctuation to spaces."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[,.;:\"«»()]", " ", text)
    return _SPACES.sub(" ", text).strip()


# Street types: every spelling seen in registries -> the short form we store.
STREET_TYPES: dict[str, str] = {
    "ул": "ул.",
    "улица": "ул.",
    "пр-кт": "пр-кт",
    "пр-т": "пр-кт",
    "просп": "пр-кт",
    "проспект": "пр-кт",
    "пр": "пр-кт",
    "пер": "пер.",
    "переулок": "пер.",
    "б-р": "б-р",
    "бул": "б-р",
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
    "пр-зд": "проезд",
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
    "сквер": "сквер",
    "спуск": "спуск",
    "съезд": "съезд",
    "въезд": "въезд",
    "проулок": "проулок",
    "просек": "просек",
    "дор": "дор.",
    "дорога": "дор.",
    "городок": "городок",
    "км": "км",
    "ряд": "ряд",
    "парк": "парк",
    "кольцо": "кольцо",
    "снт": "снт",
    "днт": "днт",
}
# Street-level types that can also be a part of a settlement with streets of its own
# ("мкр. Юдино, ул. Ильича"): a settlement part when a street follows, else the street.
AREA_STREET_TYPES = {"мкр", "мкр-н", "микрорайон", "кв-л", "квартал", "тер", "территория",
                     "снт", "днт", "городок"}  # fmt: skip
# Settlement types (the locality of the address), every spelling -> the short form.
LOCALITY_TYPES: dict[str, str] = {
    "г": "г.",
    "гор": "г.",
    "город": "г.",
    "п": "п.",
    "пос": "п.",
    "поселок": "п.",
    "пгт": "пгт",
    "поселок городского типа": "пгт",
    "рп": "рп",
    "р.п": "рп",
    "р п": "рп",
    "раб.пос": "рп",
    "рабочий поселок": "рп",
    "гп": "гп",
    "городской поселок": "гп",
    "кп": "кп",
    "курортный поселок": "кп",
    "дп": "дп",
    "дачный поселок": "дп",
    "с": "с.",
    "село": "с.",
    "д": "д.",
    "дер": "д.",
    "деревня": "д.",
    "х": "х.",
    "хут": "х.",
    "хутор": "х.",
    "ст-ца": "ст-ца",
    "станица": "ст-ца",
    "ст": "ст.",
    "станция": "ст.",
    "нп": "нп.",
    "населенный пункт": "нп.",
    "аул": "аул",
    "сл": "сл.",
    "слобода": "сл.",
    "м": "м.",
    "местечко": "м.",
    "п/ст": "п/ст",
    "поселок при станции": "п/ст",
    "ж/д ст": "ж/д ст.",
    "ж/д_ст": "ж/д ст.",
    "рзд": "рзд",
    "разъезд": "рзд",
    "высел": "высел.",
    "выселки": "высел.",
    "починок": "починок",
    "заимка": "заимка",
    "кордон": "кордон",
    "погост": "погост",
    "улус": "улус",
}
REGION_TYPES = {
    "обл", "область", "респ", "республика", "край", "ао", "аобл", "автономный округ",
    "автономная область", "р-н", "район", "муниципальный район", "м.р-н", "мр", "г.о",
    "го", "городской округ", "м.о", "муниципальный округ", "г.п", "городское поселение",
    "поселение", "с.п", "сп", "сельское поселение", "с/п", "с/с", "сельсовет",
    "с/о", "сельский округ", "п/о", "вн.тер.г", "внутригородская территория", "у",
    "волость", "муниципальное образование", "мо",
}  # fmt: skip
COUNTRY_NAMES = {"россия", "рф", "российская федерация"}
HOUSE_WORDS = {"д", "дом", "зд", "здание", "влд", "владение", "вл", "домовладение", "двлд",
               "уч", "участок", "з/у"}  # fmt: skip
CORPUS_WORDS = {"к", "корп", "корпус", "кор"}
STRUCTURE_WORDS = {"стр", "строен", "строение", "стр-е", "с", "сооруж", "соор", "сооружение",
                   "литера", "лит", "литер"}  # fmt: skip
# Words that make an untyped part a region: "Кемеровская область - Кузбасс".
REGION_WORDS = {"область", "республика", "край", "округ", "район", "обл", "респ", "р-н"}
LITERA_WORDS = {"литера", "лит", "литер"}
APARTMENT_WORDS = {"кв", "kv", "квартира", "пом", "помещение", "ком", "комн", "комната",
                   "оф", "офис"}  # fmt: skip

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
_PHRASE_TOKENS = {
    phrase: tuple(t for t in re.split(r"[ .]", phrase) if t)
    for phrase in (*LOCALITY_TYPES, *REGION_TYPES, *STREET_TYPES)
}


def _phrase_index(phrases) -> tuple[dict, dict]:
    """Index type phrases by their first and their last word, longest first."""
    by_first: dict[str, list] = {}
    by_last: dict[str, list] = {}
    for phrase in sorted(phrases, key=lambda p: -len(_PHRASE_TOKENS[p])):
        tokens = _PHRASE_TOKENS[phrase]
        by_first.setdefault(tokens[0], []).append((phrase, tokens))
        by_last.setdefault(tokens[-1], []).append((phrase, tokens))
    return by_first, by_last


_CATEGORIES = (
    ("street", _phrase_index(STREET_TYPES)),
    ("locality", _phrase_index(LOCALITY_TYPES)),
    ("region", _phrase_index(REGION_TYPES)),
)


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


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def _key(word: str) -> str:
    return _fold(word).rstrip(".")


_DOT_WORD = re.compile(r"\.(?=[^\s.,])")


def _words(part: str) -> list[str]:
    """Split a part into words, a dot ending a word ('ул.Баумана' -> 'ул.', 'Баумана')."""
    return _DOT_WORD.sub(". ", part).split()


def _type_at(words: list[str], folded: tuple, index) -> tuple[str, str, str] | None:
    """Find a type phrase at the start or end of the words: (type key, name, where).

    A phrase is matched by its words, so 'г.о.', 'г. о.' and 'г.о' are one type; the longest
    phrase wins, one at the start before one at the end ('с. Красный Край' is a village).
    """
    if len(words) < 2:
        return None
    by_first, by_last = index
    for phrase, tokens in by_first.get(folded[0], ()):
        if len(words) > len(tokens) and folded[: len(tokens)] == tokens:
            return phrase, " ".join(words[len(tokens) :]), "start"
    for phrase, tokens in by_last.get(folded[-1], ()):
        if len(words) > len(tokens) and folded[-len(tokens) :] == tokens:
            return phrase, " ".join(words[: -len(tokens)]), "end"
    return None


def _classify(words: list[str], folded: tuple) -> tuple[str, str, str] | None:
    """Tell what a typed part is: ('region' | 'street' | 'locality', type key, name)."""
    found = [(category, _type_at(words, folded, index)) for category, index in _CATEGORIES]
    for where in ("start", "end"):
        best = None
        for category, match in found:
            if match is None or match[2] != where:
                continue
            size = len(_PHRASE_TOKENS[match[0]])
            if best is None or size > best[0]:
                best = (size, category, match[0], match[1])
        if best is not None:
            return best[1], best[2], best[3]
    return None


def _clean_name(name: str) -> str:
    return name.strip(" .,\"'«»").strip()


_LETTER_HYPHEN = re.compile(r"-(?=[А-ЯЁ])")


def house_value_clean(value: str) -> str:
    """Fold a house number as the registry stores it: '12 а' -> '12А', '26-б' -> '26Б'."""
    text = value.replace(" ", "").replace("\\", "/").upper().translate(_LOOKALIKES)
    return _LETTER_HYPHEN.sub("", text)


_LATIN_LOWER = str.maketrans("abcehkmoptxy", "авсенкмортху", "\"'«»“”„№")
_SLASH_SPACES = re.compile(r"\s*/\s*")
_SPACES_DOTS = re.compile(r"[\s.]+")


def _compact(value: str) -> str:
    text = _fold(value).replace("\\", "/").translate(_LATIN_LOWER)
    text = _SLASH_SPACES.sub("/", text)
    return _SPACES_DOTS.sub("", text.rstrip(". "))


def _house_reading(value: str, *, named: bool = False) -> tuple[str, str, str] | None:
    """Read '12', '12к2', '12/1 стр 3', '27 лит А', '16-18' as (house, corpus, structure).

    `named`: the part said it is a house ('д. 10 блок 2'), so a number followed by words we
    do not know is still its number.
    """
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
    if _fold(part) in COUNTRY_NAMES:
        return _Part(skip=True)
    words = _words(part)
    folded = tuple(_key(w) for w in words)
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
    typed = _classify(words, folded)
    if typed is None and REGION_WORDS & set(folded):
        typed = ("region", "", part)
    if typed is None:
        place = ("untyped", _clean_name(part))
    else:
        category, kind, name = typed
        if category == "region":
            place = ("region", part)
        elif category == "street":
            short = f"{STREET_TYPES[kind]} {_clean_name(name)}"
            place = ("area" if kind in AREA_STREET_TYPES else "street", short)
        else:
            place = ("locality", (LOCALITY_TYPES.get(kind, kind), _clean_name(name)))
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


# Labels and search text ------------------------------------------------------------------

_NAME_TYPES = _phrase_index({*LOCALITY_TYPES, *REGION_TYPES})


@functools.lru_cache(maxsize=4096)
def locality_key(name: str) -> str:
    """Fold a settlement name for comparing: 'г. Казань', 'город Казань', 'Казань' -> 'казань'."""
    words = _words(name or "")
    while words:
        found = _type_at(words, tuple(_key(w) for w in words), _NAME_TYPES)
        if not found:
            break
        words = found[1].split()
    return " ".join(_clean_name(" ".join(words)).lower().replace("ё", "е").split())


@functools.lru_cache(maxsize=8192)
def address_locality_text(
    *,
    locality_type: str = "",
    locality_name: str = "",
    locality_parent: str = "",
    street: str = "",
    main: str = "",
) -> str:
    """The settlement part of a label: 'нп. Русский Остров, п. Подножье', '' in the main town.

    `main` is the folded name of the municipality's own settlement (locality_key): a city's
    buildings read as before ('ул. Баумана, 12'); its villages name themselves ('с. Горный
    Щит, ул. Гагарина, 3'). A settlement already shown as the street is not repeated.
    """
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
