import pytest

from opencity.buildings.addresses import (
    address_locality_text,
    address_parse,
    address_search_text,
    address_short,
    locality_key,
    street_name,
)
from opencity.buildings.selectors import address_query_tokens


def _house_parts(parsed) -> tuple[str, str, str, str]:
    return (parsed.street, parsed.house_number, parsed.corpus, parsed.structure)


@pytest.mark.parametrize(
    ("text", "street", "house", "corpus", "structure"),
    [
        ("обл. Свердловская, п. Глубокое, ул. Алая, д. 1", "ул. Алая", "1", "", ""),
        ("Респ. Татарстан, г. Казань, ул. Баумана, д. 12, корп. 2", "ул. Баумана", "12", "2", ""),
        (
            "420111, Респ. Татарстан, г. Казань, ул. Баумана, д. 12 стр. 3",
            "ул. Баумана",
            "12",
            "",
            "3",
        ),
        ("г Казань, ул Баумана, д 12 к 2", "ул. Баумана", "12", "2", ""),
        ("Респ. Татарстан, г. Казань, ул. Баумана, д. 12к2", "ул. Баумана", "12", "2", ""),
        ("Казань, проспект Победы, 10", "пр-кт Победы", "10", "", ""),
        ("ул. Баумана, 12/1", "ул. Баумана", "12/1", "", ""),
        ("Татарстан Респ, Казань г, Чистопольская ул, дом 20", "ул. Чистопольская", "20", "", ""),
        ("Респ. Татарстан, г. Казань, Баумана ул., д. 5а", "ул. Баумана", "5А", "", ""),
        ("г. Казань, ул. 2-я Азинская, д.7", "ул. 2-я Азинская", "7", "", ""),
        (
            "г. Казань, ул. Ново-Савиновская, дом 3, строение 1",
            "ул. Ново-Савиновская",
            "3",
            "",
            "1",
        ),
        ("Респ. Татарстан, р-н. Лаишевский, д. Ивановка, д. 5", "д. Ивановка", "5", "", ""),
        ("Респ. Татарстан, г. Казань", "", "", "", ""),
    ],
)
def test_address_parse(text, street, house, corpus, structure):
    assert _house_parts(address_parse(text)) == (street, house, corpus, structure)


def test_address_parse_keeps_postcode_region_and_locality():
    parsed = address_parse("420111, Респ. Татарстан, г. Казань, ул. Баумана, д. 12")
    assert (parsed.postcode, parsed.region, parsed.locality) == (
        "420111",
        "Респ. Татарстан",
        "г. Казань",
    )
    assert parsed.is_complete
    assert not address_parse("г. Казань").is_complete


def test_search_text_is_stable():
    assert (
        address_search_text(street="ул. Баумана", house_number="12", corpus="2")
        == "ул баумана 12 к2"
    )
    assert (
        address_search_text(street="ул. Щёрса", house_number="1", structure="3") == "ул щерса 1 с3"
    )


@pytest.mark.parametrize(
    ("query", "tokens"),
    [
        ("Баумана 12", ["баумана", "12"]),
        ("ул. Баумана, д.12 корп 2", ["баумана", "12", "к2"]),
        ("улица Щёрса дом 5 стр 1", ["щерса", "5", "с1"]),
        ("ул.", []),
    ],
)
def test_query_tokens(query, tokens):
    assert address_query_tokens(query) == tokens


# Issue 11, item 3: every messy spelling real exports have, one row per pattern.
@pytest.mark.parametrize(
    ("text", "street", "house", "corpus", "structure"),
    [
        # a trailing dot
        ("обл. Свердловская, г. Екатеринбург, ул. Малышева, д. 83.", "ул. Малышева", "83", "", ""),
        ("г. Екатеринбург, ул. Малышева, д. 83А.", "ул. Малышева", "83А", "", ""),
        # a backslash or a slash in the number
        ("Респ. Башкортостан, г. Уфа, ул. Ленина, д. 44\\16", "ул. Ленина", "44/16", "", ""),
        ("г. Уфа, ул. Ленина, д. 44/16", "ул. Ленина", "44/16", "", ""),
        ("г. Уфа, ул. Ленина, д. 44 / 16", "ул. Ленина", "44/16", "", ""),
        ("г. Уфа, ул. Ленина, д. 12\\1, корп. 2", "ул. Ленина", "12/1", "2", ""),
        # a litera without a comma (stored as the structure, as with a comma)
        ("г. Санкт-Петербург, ул. Садовая, д. 27 лит. А", "ул. Садовая", "27", "", "А"),
        ("г. Санкт-Петербург, пр-кт Невский, д. 100 литер Б", "пр-кт Невский", "100", "", "Б"),
        ("г. Санкт-Петербург, ул. Марата, д. 10 к. 2 лит. А", "ул. Марата", "10", "2", "А"),
        # hyphenated numbers: a range, a letter
        ("г. Нижний Новгород, ул. Рождественская, д. 16-18", "ул. Рождественская", "16-18", "", ""),
        ("г. Нижний Новгород, ул. Рождественская, д. 26-б", "ул. Рождественская", "26Б", "", ""),
        ("г. Нижний Новгород, ул. Рождественская, д. 2-4/1", "ул. Рождественская", "2-4/1", "", ""),
        # doubled words
        (
            "г. Ростов-на-Дону, ул. Пушкинская, д. дом 7, к. корпус 3",
            "ул. Пушкинская",
            "7",
            "3",
            "",
        ),
        ("г. Ростов-на-Дону, ул. улица Пушкинская, д. 9", "ул. Пушкинская", "9", "", ""),
        (
            "г. Ростов-на-Дону, ул. Пушкинская, дом д. 13, стр. строение 2",
            "ул. Пушкинская",
            "13",
            "",
            "2",
        ),
        # apartments glued to the house
        ("г. Новосибирск, ул. Ленина, 41 kv 1 60", "ул. Ленина", "41", "", ""),
        ("г. Новосибирск, ул. Ленина, д. 41 кв. 12", "ул. Ленина", "41", "", ""),
        ("г. Новосибирск, ул. Ленина, д.45кв3", "ул. Ленина", "45", "", ""),
        ("г. Новосибирск, ул. Ленина, д. 43 пом. 2", "ул. Ленина", "43", "", ""),
        # the house glued to the street, the number glued to its word
        ("г. Казань, ул. Баумана д. 12", "ул. Баумана", "12", "", ""),
        ("г. Казань, ул. Баумана 16", "ул. Баумана", "16", "", ""),
        ("г. Орск, ул Мира д5", "ул. Мира", "5", "", ""),
        ("г. Казань, ул. Баумана, д. № 20", "ул. Баумана", "20", "", ""),
        # letters: quoted, spaced, Latin
        ('г. Казань, ул. Баумана, д. 24 "а"', "ул. Баумана", "24А", "", ""),
        ("г. Казань, ул. Баумана, д. 26«б»", "ул. Баумана", "26Б", "", ""),
        ("г. Казань, ул. Баумана, д. 30a", "ул. Баумана", "30А", "", ""),
        ("г. Казань, ул. Баумана, д. 32к2с1", "ул. Баумана", "32", "2", "1"),
        # words after the house we do not know, notes in brackets
        ("г. Орск, ул. Ленина, д. 10 блок 2", "ул. Ленина", "10", "", ""),
        (
            "г. Екатеринбург, ул. Мамина-Сибиряка, д. 101 (общежитие)",
            "ул. Мамина-Сибиряка",
            "101",
            "",
            "",
        ),
        # types after the name, long forms, in capitals
        ("Свердловская обл, Шабровский п, Мира ул, д. 4", "ул. Мира", "4", "", ""),
        (
            "Свердловская область, город Екатеринбург, улица Малышева, дом 5, корпус 1",
            "ул. Малышева",
            "5",
            "1",
            "",
        ),
        ("обл. Свердловская, г. Екатеринбург, УЛ. МАЛЫШЕВА, Д. 13", "ул. МАЛЫШЕВА", "13", "", ""),
        # a region written as words, a microdistrict as the street
        (
            "Кемеровская область - Кузбасс, г. Кемерово, ул. Весенняя, д. 5",
            "ул. Весенняя",
            "5",
            "",
            "",
        ),
        ("обл. Самарская, г. Тольятти, мкр. 3, д. 12", "мкр. 3", "12", "", ""),
        # a corpus standing for the house (Zelenograd)
        ("г. Москва, г. Зеленоград, к. 1106", "г. Зеленоград", "", "1106", ""),
    ],
)
def test_address_parse_messy_exports(text, street, house, corpus, structure):
    parsed = address_parse(text)
    assert _house_parts(parsed) == (street, house, corpus, structure)
    assert parsed.is_complete


@pytest.mark.parametrize(
    ("text", "duplicate", "house"),
    [
        ("г. Казань, ул. Баумана, д. 5 (дубль 1)", "1", "5"),
        ("г. Казань, ул. Баумана, д. 5 (Дубль 2)", "2", "5"),
        ("г. Тольятти, ул. Мира, д. 12(дубль)", "", "12"),
        ("г. Владивосток, ул. Светланская, д. 3 стр. 1 (дубль 2)", "2", "3"),
        ("г. Казань, ул. Баумана, д. 5", None, "5"),
    ],
)
def test_address_parse_flags_the_duplicate_marker_and_keeps_the_house(text, duplicate, house):
    parsed = address_parse(text)
    assert (parsed.duplicate, parsed.house_number, parsed.street) == (
        duplicate,
        house,
        parsed.street,
    )
    assert parsed.is_complete


# Issue 11, item 4: the settlement is part of the address.
@pytest.mark.parametrize(
    ("text", "locality_type", "locality_name", "parent", "street"),
    [
        (
            "обл. Свердловская, г. Екатеринбург, ул. Гагарина, д. 3",
            "г.",
            "Екатеринбург",
            "",
            "ул. Гагарина",
        ),
        (
            "обл. Свердловская, с. Горный Щит, ул. Гагарина, д. 3",
            "с.",
            "Горный Щит",
            "",
            "ул. Гагарина",
        ),
        (
            "край. Приморский, нп. Русский Остров, п. Подножье, д. 26",
            "п.",
            "Подножье",
            "нп. Русский Остров",
            "п. Подножье",
        ),
        (
            "г. Москва, п. Сосенское, д. Сосенки, ул. Летняя, д. 1",
            "д.",
            "Сосенки",
            "г. Москва, п. Сосенское",
            "ул. Летняя",
        ),
        ("обл. Свердловская, пгт. Арти, ул. Ленина, д. 5", "пгт", "Арти", "", "ул. Ленина"),
        (
            "обл. Свердловская, поселок городского типа Арти, ул. Ленина, д. 7",
            "пгт",
            "Арти",
            "",
            "ул. Ленина",
        ),
        (
            "обл. Свердловская, р.п. Белоярский, ул. Ленина, д. 3",
            "рп",
            "Белоярский",
            "",
            "ул. Ленина",
        ),
        (
            "край. Краснодарский, станица Динская, ул. Красная, д. 52",
            "ст-ца",
            "Динская",
            "",
            "ул. Красная",
        ),
        ("край. Краснодарский, хутор Ленина, д. 4", "х.", "Ленина", "", "х. Ленина"),
        (
            "Респ. Татарстан, г. Казань, мкр. Юдино, ул. Ильича, д. 5",
            "мкр.",
            "Юдино",
            "г. Казань",
            "ул. Ильича",
        ),
        ("Казань, Баумана, 12", "", "Казань", "", "Баумана"),
        (
            "Респ. Татарстан, м.р-н Лаишевский, с.п. Столбищенское, с. Столбище, ул. Советская, д. 5",
            "с.",
            "Столбище",
            "",
            "ул. Советская",
        ),
    ],
)
def test_address_parse_reads_the_settlement(text, locality_type, locality_name, parent, street):
    parsed = address_parse(text)
    assert (parsed.locality_type, parsed.locality_name, parsed.locality_parent, parsed.street) == (
        locality_type,
        locality_name,
        parent,
        street,
    )


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Казань", "казань"),
        ("г. Казань", "казань"),
        ("город Казань", "казань"),
        ("городской округ Королёв", "королев"),
        ("Елабужский муниципальный район", "елабужский"),
    ],
)
def test_locality_key(name, key):
    assert locality_key(name) == key


@pytest.mark.parametrize(
    ("parts", "main", "shown"),
    [
        # the municipality's own town is left out; its villages name themselves
        (("г.", "Екатеринбург", "", "ул. Гагарина"), "екатеринбург", ""),
        (("с.", "Горный Щит", "", "ул. Гагарина"), "екатеринбург", "с. Горный Щит"),
        # a district municipality (named after no settlement) shows every settlement
        (("г.", "Екатеринбург", "", "ул. Гагарина"), "сысертский", "г. Екатеринбург"),
        # both parts of a nested settlement, the street not repeated
        (
            ("п.", "Подножье", "нп. Русский Остров", "п. Подножье"),
            "владивосток",
            "нп. Русский Остров",
        ),
        (
            ("п.", "Подножье", "г. Владивосток, нп. Русский Остров", "п. Подножье"),
            "владивосток",
            "нп. Русский Остров",
        ),
        (("", "", "", "ул. Баумана"), "казань", ""),
    ],
)
def test_address_locality_text(parts, main, shown):
    locality_type, locality_name, parent, street = parts
    text = address_locality_text(
        locality_type=locality_type,
        locality_name=locality_name,
        locality_parent=parent,
        street=street,
        main=main,
    )
    assert text == shown


def test_labels_and_search_text_carry_the_settlement():
    assert (
        address_short(street="ул. Гагарина", house_number="3", locality="с. Горный Щит")
        == "с. Горный Щит, ул. Гагарина, 3"
    )
    assert address_short(street="ул. Гагарина", house_number="3") == "ул. Гагарина, 3"
    assert (
        address_search_text(street="ул. Гагарина", house_number="3", locality="с. Горный Щит")
        == "с горный щит ул гагарина 3"
    )


def test_query_tokens_drop_settlement_types_and_the_main_town():
    assert address_query_tokens("с. Горный Щит, Гагарина 3") == ["горный", "щит", "гагарина", "3"]
    assert address_query_tokens("г. Казань, Баумана 12", main_locality="казань") == [
        "баумана",
        "12",
    ]
    # a letter after the number is the house's, not a settlement type
    assert address_query_tokens("Баумана 12 г") == ["баумана", "12", "г"]


@pytest.mark.parametrize(
    ("street", "name"),
    [
        ("ул. Баумана", "Баумана"),
        ("улица Баумана", "Баумана"),
        ("Большая Красная ул.", "Большая Красная"),
        ("пр-т Ямашева", "Ямашева"),
        ("Баумана", "Баумана"),
    ],
)
def test_a_streets_name_is_read_without_its_type_word(street, name):
    assert street_name(street) == name
