"""Reads of the buildings registry; every one is scoped to a municipality."""

from __future__ import annotations

import math
from dataclasses import dataclass

import h3
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from opencity.buildings.addresses import (
    CORPUS_WORDS,
    HOUSE_WORDS,
    LOCALITY_TYPES,
    STREET_TYPES,
    STRUCTURE_WORDS,
    address_locality_text,
    address_normalise,
    locality_key,
    street_name,
)
from opencity.buildings.localities import municipality_main_locality
from opencity.buildings.models import AccountHolder, Building
from opencity.buildings.ordering import address_order
from opencity.core.errors import NotFound
from opencity.core.geo import H3_RESOLUTION, distance_m, h3_cell
from opencity.core.models import District, Municipality
from opencity.organisations.models import ManagementContract, OrganisationContact

MAX_TOKENS = 6
MIN_QUERY_CHARS = 2
# Words that say what kind of thing follows ('ул', 'дом') but never distinguish a building.
_NOISE = (set(STREET_TYPES) | HOUSE_WORDS) - {"пр"}
_CORPUS = CORPUS_WORDS
_STRUCTURE = STRUCTURE_WORDS - {"с"}
# Settlement types ('с', 'пгт') are noise before a name, not before a number ('12 г').
_LOCALITY_WORDS = {t for t in LOCALITY_TYPES if " " not in t and "." not in t}


@dataclass(frozen=True)
class BuildingHit:
    """A lightweight search result: enough to show and link an address."""

    id: int
    label: str
    address: str
    district: str
    # Where it stands (None when the registry has no point): places a map pin by address.
    lat: float | None = None
    lon: float | None = None


def address_query_tokens(query: str, *, main_locality: str = "") -> list[str]:
    """Split a typed address into search tokens: 'ул. Баумана, д.12 корп 2' → ['баумана', '12', 'к2']."""
    # The words of the municipality's own town ('Казань, Баумана 12') are dropped: its
    # buildings are found by street and house, as their labels read.
    words = address_normalise(query).split()
    main_words = set(main_locality.split())
    tokens: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in _CORPUS and nxt[:1].isdigit():
            tokens.append(f"к{nxt}")
            i += 2
            continue
        if word in _STRUCTURE and nxt[:1].isdigit():
            tokens.append(f"с{nxt}")
            i += 2
            continue
        if word in _LOCALITY_WORDS and nxt and not nxt[:1].isdigit():
            i += 1
            continue
        if word not in _NOISE and word not in main_words:
            tokens.append(word)
        i += 1
    # Most specific first: long words narrow the scan fastest.
    unique = list(dict.fromkeys(tokens))
    return unique[:MAX_TOKENS]


def building_search_example(*, municipality: Municipality) -> str:
    """Return a search example that exists here, as people type it ("Баумана 12"), or ""."""
    row = (
        Building.objects.filter(municipality=municipality)
        .exclude(street="")
        .exclude(house_number="")
        .order_by("pk")
        .values_list("street", "house_number")
        .first()
    )
    if row is None:
        return ""
    street, house = row
    return f"{street_name(street)} {house}"


def building_address_q(
    *, query: str, municipality: Municipality | None = None, prefix: str = ""
) -> Q | None:
    """Filter rows whose building's address has a word starting with each word of the query."""
    # 'Баумана 12' → the address has a word starting 'баумана' and one starting '12' (so 12 and
    # 12а, not 112). `prefix` reaches the building from another model ('building__'). None when
    # the query holds no address word (then it is no address).
    main = locality_key(municipality.name) if municipality is not None else ""
    tokens = address_query_tokens(query or "", main_locality=main)
    if sum(len(t) for t in tokens) < MIN_QUERY_CHARS:
        return None
    field = f"{prefix}search_text"
    filters = Q()
    for token in tokens:
        filters &= Q(**{f"{field}__startswith": token}) | Q(**{f"{field}__contains": f" {token}"})
    return filters


def building_search(
    *, municipality: Municipality, query: str, limit: int = 10
) -> list[BuildingHit]:
    """Autocomplete addresses: every token must occur; word-start and house matches rank first."""
    main = locality_key(municipality.name)
    tokens = address_query_tokens(query or "", main_locality=main)
    if sum(len(t) for t in tokens) < MIN_QUERY_CHARS:
        # One letter matches most of the city: nothing useful to suggest yet.
        return []
    filters = Q(municipality=municipality)
    rank = Value(0)
    for token in sorted(tokens, key=len, reverse=True):
        filters &= Q(search_text__contains=token)
        word_start = Q(search_text__startswith=token) | Q(search_text__contains=f" {token}")
        exact_word = Q(search_text__endswith=f" {token}") | Q(search_text__contains=f" {token} ")
        rank = rank + Case(
            When(exact_word, then=Value(3)),
            When(word_start, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        )
    # The same street and house in a village comes after the town's: its text is longer by
    # the settlement it names.
    rows = (
        Building.objects.filter(filters)
        .annotate(rank=rank, text_len=Length("search_text"))
        .order_by("-rank", *address_order()[:-1], "text_len", "id")
        .values(
            "id",
            "address",
            "street",
            "house_number",
            "corpus",
            "structure",
            "district__name",
            "locality_type",
            "locality_name",
            "locality_parent",
            "lat",
            "lon",
        )[: max(1, min(limit, 50))]
    )
    return [_hit(row, main=main) for row in rows]


def _hit(row: dict, *, main: str) -> BuildingHit:
    locality = address_locality_text(
        locality_type=row["locality_type"],
        locality_name=row["locality_name"],
        locality_parent=row["locality_parent"],
        street=row["street"],
        main=main,
    )
    label = ", ".join(p for p in (locality, row["street"], row["house_number"]) if p)
    if row["corpus"]:
        label += " " + _("bldg. %s") % row["corpus"]
    if row["structure"]:
        label += " " + _("str. %s") % row["structure"]
    return BuildingHit(
        id=row["id"],
        label=label or row["address"],
        address=row["address"],
        district=row["district__name"] or "",
        lat=row.get("lat"),
        lon=row.get("lon"),
    )


def building_hit(*, building: Building) -> BuildingHit:
    """Return the search result of one building, labelled as the search labels it."""
    row = {
        name: getattr(building, name)
        for name in (
            "id",
            "address",
            "street",
            "house_number",
            "corpus",
            "structure",
            "locality_type",
            "locality_name",
            "locality_parent",
        )
    }
    row["district__name"] = building.district.name if building.district_id else ""
    return _hit(row, main=municipality_main_locality(municipality_id=building.municipality_id))


# What filing and routing an appeal read of a building: its long passport stays unread. The
# address's parts are here because the notices of a new appeal spell the address out (each
# missing one cost a query of its own on every filing).
BRIEF_FIELDS = (
    "id",
    "municipality_id",
    "address",
    "street",
    "house_number",
    "corpus",
    "structure",
    "locality_type",
    "locality_name",
    "locality_parent",
    "lat",
    "lon",
    "district_id",
    "management_company_id",
)


def building_get_brief(*, municipality: Municipality, pk: int) -> Building | None:
    """Return a building of this municipality with its address, place and manager only."""
    # Plain SQL: every filed appeal reads it, and the ORM spent five times the query's own cost
    # composing it. The other passport fields load on first use, as with .only().
    meta = Building._meta
    quote = connection.ops.quote_name
    # from_db() takes the values in the model's field order.
    fields = [f for f in meta.concrete_fields if f.attname in BRIEF_FIELDS]
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.get_field('municipality').column)} = %s "
        f"AND {quote(meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [municipality.pk, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    return Building.from_db(connection.alias, [f.attname for f in fields], row)


def building_get_public(*, municipality: Municipality, pk: int) -> Building:
    """Return a building of this municipality with what its public page shows, or NotFound."""
    building = (
        Building.objects.select_related("district", "management_company")
        .filter(municipality=municipality, pk=pk)
        .first()
    )
    if building is None:
        raise NotFound(_("There is no such building."))
    return building


def building_list(
    *,
    municipality: Municipality,
    district: District | None = None,
    management_company=None,
    is_emergency: bool | None = None,
) -> QuerySet[Building]:
    """List a municipality's buildings, maybe of one district or one manager."""
    qs = Building.objects.filter(municipality=municipality).select_related(
        "district", "management_company"
    )
    if district is not None:
        qs = qs.filter(district=district)
    if management_company is not None:
        qs = qs.filter(management_company=management_company)
    if is_emergency is not None:
        qs = qs.filter(is_emergency=is_emergency)
    return qs.order_by(*address_order())


def building_manager_contacts(*, building: Building) -> list[OrganisationContact]:
    """Return the management company's public contacts not already shown as its own fields."""
    manager = building.management_company
    if manager is None:
        return []
    shown = {v.strip().lower() for v in (manager.phone, manager.email, manager.address) if v}
    contacts = OrganisationContact.objects.filter(
        municipality_id=building.municipality_id, organisation=manager, is_public=True
    )
    return [c for c in contacts if c.value.strip().lower() not in shown]


def building_contract_history(*, building: Building) -> list[ManagementContract]:
    """Return the building's management contracts, newest first."""
    return list(
        ManagementContract.objects.filter(
            municipality_id=building.municipality_id, building=building
        ).select_related("organisation")
    )


def building_nearest(
    *, municipality: Municipality, lat: float, lon: float, radius_m: float = 60
) -> Building | None:
    """Return the building closest to a point within radius_m (by the indexed H3 cells)."""
    edge = h3.average_hexagon_edge_length(H3_RESOLUTION, unit="m") * 0.8
    cells = sorted(h3.grid_disk(h3_cell(lat, lon), math.ceil(radius_m / edge) + 1))
    candidates = Building.objects.filter(
        municipality=municipality, h3_cell__in=cells, lat__isnull=False, lon__isnull=False
    ).only("id", "lat", "lon")[:500]
    best, best_distance = None, radius_m
    for building in candidates:
        distance = distance_m(lat, lon, building.lat, building.lon)
        if distance <= best_distance:
            best, best_distance = building, distance
    if best is None:
        return None
    return Building.objects.select_related("district").get(pk=best.pk)


def building_for_address(*, municipality: Municipality, text: str) -> Building | None:
    """Return the building a typed address names, when it names exactly one."""
    hits = building_search(municipality=municipality, query=(text or "")[:200], limit=2)
    if len(hits) != 1:
        return None
    return Building.objects.select_related("district").filter(pk=hits[0].id).first()


def account_holder_list(*, user) -> list:
    """Return the resident's linked personal accounts with their apartments and buildings."""
    if not getattr(user, "is_authenticated", False) or user.municipality_id is None:
        return []
    return list(
        AccountHolder.objects.filter(user=user, municipality_id=user.municipality_id)
        .select_related("account__apartment__building", "account__provider")
        .order_by("created_at", "id")
    )


def resident_building_ids(*, user) -> list[int]:
    """Return the ids of the buildings where the resident has a linked personal account."""
    if not getattr(user, "is_authenticated", False) or user.municipality_id is None:
        return []
    return list(
        AccountHolder.objects.filter(
            user=user, municipality_id=user.municipality_id, account__is_active=True
        )
        .values_list("account__apartment__building_id", flat=True)
        .distinct()
    )
