"""Address text: what the search matches, labels, and parsing one-string addresses.

A registry address is one string of comma-separated parts ("обл. Свердловская, с. Горный
Щит, ул. Гагарина, д. 3"); real exports spell every part in several ways, glue parts
together ("ул. Баумана д. 12", "41 kv 1 60"), double the type words ("д. дом 7") and mark
records ("(дубль 2)"). The parser reads each part by what it is — region, settlement,
street, house, corpus, structure or litera, apartment — whatever the order and spelling.
"""

from opencity.buildings.addresses.labels import (
    address_locality_text,
    address_normalise,
    address_search_text,
    address_short,
    locality_key,
    street_name,
)
from opencity.buildings.addresses.parsing import ParsedAddress, address_parse, house_value_clean
from opencity.buildings.addresses.vocabulary import (
    APARTMENT_WORDS,
    AREA_STREET_TYPES,
    CORPUS_WORDS,
    COUNTRY_NAMES,
    HOUSE_WORDS,
    LITERA_WORDS,
    LOCALITY_TYPES,
    REGION_TYPES,
    REGION_WORDS,
    STREET_TYPES,
    STRUCTURE_WORDS,
)

__all__ = [
    "APARTMENT_WORDS",
    "AREA_STREET_TYPES",
    "CORPUS_WORDS",
    "COUNTRY_NAMES",
    "HOUSE_WORDS",
    "LITERA_WORDS",
    "LOCALITY_TYPES",
    "REGION_TYPES",
    "REGION_WORDS",
    "STREET_TYPES",
    "STRUCTURE_WORDS",
    "ParsedAddress",
    "address_locality_text",
    "address_normalise",
    "address_parse",
    "address_search_text",
    "address_short",
    "house_value_clean",
    "locality_key",
    "street_name",
]
