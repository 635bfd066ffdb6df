"""The words of addresses: street, settlement and region types, part words, and reading them."""

from __future__ import annotations

import re

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
AREA_STREET_TYPES = {
    "мкр",
    "мкр-н",
    "микрорайон",
    "кв-л",
    "квартал",
    "тер",
    "территория",
    "снт",
    "днт",
    "городок",
}
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
    "обл",
    "область",
    "респ",
    "республика",
    "край",
    "ао",
    "аобл",
    "автономный округ",
    "автономная область",
    "р-н",
    "район",
    "муниципальный район",
    "м.р-н",
    "мр",
    "г.о",
    "го",
    "городской округ",
    "м.о",
    "муниципальный округ",
    "г.п",
    "городское поселение",
    "поселение",
    "с.п",
    "сп",
    "сельское поселение",
    "с/п",
    "с/с",
    "сельсовет",
    "с/о",
    "сельский округ",
    "п/о",
    "вн.тер.г",
    "внутригородская территория",
    "у",
    "волость",
    "муниципальное образование",
    "мо",
}
COUNTRY_NAMES = {"россия", "рф", "российская федерация"}
HOUSE_WORDS = {
    "д",
    "дом",
    "зд",
    "здание",
    "влд",
    "владение",
    "вл",
    "домовладение",
    "двлд",
    "уч",
    "участок",
    "з/у",
}
CORPUS_WORDS = {"к", "корп", "корпус", "кор"}
STRUCTURE_WORDS = {
    "стр",
    "строен",
    "строение",
    "стр-е",
    "с",
    "сооруж",
    "соор",
    "сооружение",
    "литера",
    "лит",
    "литер",
}
# Words that make an untyped part a region: "Кемеровская область - Кузбасс".
REGION_WORDS = {"область", "республика", "край", "округ", "район", "обл", "респ", "р-н"}
LITERA_WORDS = {"литера", "лит", "литер"}
APARTMENT_WORDS = {
    "кв",
    "kv",
    "квартира",
    "пом",
    "помещение",
    "ком",
    "комн",
    "комната",
    "оф",
    "офис",
}


PHRASE_TOKENS = {
    phrase: tuple(t for t in re.split(r"[ .]", phrase) if t)
    for phrase in (*LOCALITY_TYPES, *REGION_TYPES, *STREET_TYPES)
}


def phrase_index(phrases) -> tuple[dict, dict]:
    """Index type phrases by their first and their last word, longest first."""
    by_first: dict[str, list] = {}
    by_last: dict[str, list] = {}
    for phrase in sorted(phrases, key=lambda p: -len(PHRASE_TOKENS[p])):
        tokens = PHRASE_TOKENS[phrase]
        by_first.setdefault(tokens[0], []).append((phrase, tokens))
        by_last.setdefault(tokens[-1], []).append((phrase, tokens))
    return by_first, by_last


CATEGORIES = (
    ("street", phrase_index(STREET_TYPES)),
    ("locality", phrase_index(LOCALITY_TYPES)),
    ("region", phrase_index(REGION_TYPES)),
)


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def word_key(word: str) -> str:
    return fold(word).rstrip(".")


_DOT_WORD = re.compile(r"\.(?=[^\s.,])")


def words_of(part: str) -> list[str]:
    """Split a part into words, a dot ending a word ('ул.Баумана' -> 'ул.', 'Баумана')."""
    return _DOT_WORD.sub(". ", part).split()


def type_at(words: list[str], folded: tuple, index) -> tuple[str, str, str] | None:
    """Find a type phrase at the start or end of the words: (type key, name, where)."""
    # A phrase is matched by its words, so 'г.о.', 'г. о.' and 'г.о' are one type; the longest
    # phrase wins, one at the start before one at the end ('с. Красный Край' is a village).
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


def classify(words: list[str], folded: tuple) -> tuple[str, str, str] | None:
    """Tell what a typed part is: ('region' | 'street' | 'locality', type key, name)."""
    found = [(category, type_at(words, folded, index)) for category, index in CATEGORIES]
    for where in ("start", "end"):
        best = None
        for category, match in found:
            if match is None or match[2] != where:
                continue
            size = len(PHRASE_TOKENS[match[0]])
            if best is None or size > best[0]:
                best = (size, category, match[0], match[1])
        if best is not None:
            return best[1], best[2], best[3]
    return None


def name_clean(name: str) -> str:
    return name.strip(" .,\"'«»").strip()
