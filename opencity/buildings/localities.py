"""Which settlement a municipality is named after: its buildings' labels leave it out."""

from __future__ import annotations

from opencity.buildings.addresses import locality_key
from opencity.core.models import Municipality
from opencity.core.refcache import refcache_get


def _main_localities() -> dict[int, str]:
    return {pk: locality_key(name) for pk, name in Municipality.objects.values_list("pk", "name")}


def municipality_main_locality(*, municipality_id: int | None) -> str:
    """Return the folded name of the municipality's own settlement ('казань' for Казань)."""
    # A city's buildings are labelled without it ('ул. Баумана, 12'); the villages of its
    # export name themselves ('с. Горный Щит, ул. Гагарина, 3'). A municipality named after
    # no settlement (a district) shows every building's settlement. Read once per process.
    if municipality_id is None:
        return ""
    return refcache_get(("main_localities",), _main_localities).get(municipality_id, "")
