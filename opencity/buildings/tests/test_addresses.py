import pytest

from opencity.buildings.addresses import address_parse, address_search_text
from opencity.buildings.selectors import address_query_tokens


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
    parsed = address_parse(text)
    assert (parsed.street, parsed.house_number, parsed.corpus, parsed.structure) == (
        street,
        house,
        corpus,
        structure,
    )


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
