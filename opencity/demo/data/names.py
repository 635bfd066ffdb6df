"""Word lists for invented organisation and people names."""

from __future__ import annotations

# Contractor trade names are a root and a suffix glued together: «ЛифтСервис».
CONTRACTOR_ROOTS = (
    "Лифт",
    "Кровля",
    "Тепло",
    "Водо",
    "Электро",
    "Фасад",
    "Сантех",
    "Газ",
    "Вент",
    "Дор",
    "Благо",
    "Дез",
    "Домофон",
    "Строй",
    "Ремонт",
    "Монтаж",
    "Спец",
    "Инж",
    "Техно",
    "Эко",
    "Жил",
    "Двор",
    "Окна",
    "Свет",
    "Энерго",
)

CONTRACTOR_SUFFIXES = (
    "Сервис",
    "Монтаж",
    "Строй",
    "Ремонт",
    "Групп",
    "Комплекс",
    "Профи",
    "Мастер",
    "Техника",
    "Систем",
    "Альянс",
    "Плюс",
    "Центр",
    "Идель",
    "Регион",
)

LEGAL_FORMS = (("ООО", 0.85), ("АО", 0.05), ("ИП", 0.10))

SURNAMES = (
    "Хасанов",
    "Галиев",
    "Сафин",
    "Иванов",
    "Петров",
    "Зарипов",
    "Гарипов",
    "Николаев",
    "Мухаметшин",
    "Валиев",
    "Кузнецов",
    "Шакиров",
    "Ахметов",
    "Смирнов",
    "Гилязов",
    "Абдуллин",
    "Федоров",
    "Латыпов",
    "Морозов",
    "Хайруллин",
    "Яковлев",
    "Файзуллин",
    "Соколов",
    "Нуриев",
    "Волков",
    "Садыков",
    "Лебедев",
    "Миннуллин",
    "Егоров",
    "Юсупов",
)

INITIALS = "АБВГДЕИКЛМНОПРСТФЭЮЯ"

_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}


def slugify_ru(text: str) -> str:
    """Transliterate Russian text into a lower-case ASCII slug: 'УК «Азино»' → 'uk-azino'."""
    out = []
    for ch in text.lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            out.append("-")
    return "-".join(part for part in "".join(out).split("-") if part)
