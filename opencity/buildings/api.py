"""The buildings JSON API: address autocomplete and building passports."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

try:  # django-ninja >= 1.5 wants Status(...) instead of a (code, body) tuple
    from ninja import Status
except ImportError:  # pragma: no cover

    def Status(code, body):  # noqa: N802
        return code, body


from opencity.accounts.api_auth import ANYONE
from opencity.buildings.schemas import BuildingHitOut, BuildingOut
from opencity.buildings.selectors import building_get_public, building_search
from opencity.core.api_context import municipality_of
from opencity.core.api_errors import ErrorOut, Text, responses
from opencity.core.errors import NotFound

router = Router(tags=["buildings"])


class SearchParams(Schema):
    q: Annotated[Text, Field(max_length=200)] = ""
    limit: Annotated[int, Field(ge=1, le=50)] = 10


@router.get(
    "/search",
    response=responses({200: list[BuildingHitOut]}),
    **ANYONE,
    summary="Autocomplete an address",
)
def search(request: HttpRequest, params: Query[SearchParams]):
    hits = building_search(
        municipality=municipality_of(request),
        query=params.q[:200],
        limit=min(max(params.limit, 1), 50),
    )
    return [
        {
            "id": hit.id,
            "label": hit.label,
            "address": hit.address,
            "district": hit.district,
            "url": request.build_absolute_uri(_detail_path(hit.id)),
        }
        for hit in hits
    ]


def _detail_path(pk: int) -> str:
    return reverse("buildings:detail", args=[pk])


@router.get(
    "/{int:building_id}",
    response=responses({200: BuildingOut, 404: ErrorOut}),
    **ANYONE,
    summary="A building's technical passport",
)
def detail(request: HttpRequest, building_id: Annotated[int, Field(ge=1, le=2**62)]):
    try:
        building = building_get_public(municipality=municipality_of(request), pk=building_id)
    except NotFound as exc:
        return Status(404, {"code": exc.code, "detail": exc.message, "errors": {}})
    data = {
        field.name: getattr(building, field.name)
        for field in building._meta.concrete_fields
        if field.name in BuildingOut.model_fields
    }
    manager = building.management_company
    data.update(
        url=request.build_absolute_uri(_detail_path(building.pk)),
        district=(
            {
                "id": building.district.pk,
                "name": building.district.name,
                "slug": building.district.slug,
            }
            if building.district_id
            else None
        ),
        management_company=(
            {
                "id": manager.pk,
                "name": manager.name,
                "kind": manager.kind,
                "phone": manager.phone,
                "email": manager.email,
                "website": manager.website,
                "since": building.management_since,
            }
            if manager
            else None
        ),
    )
    return Status(200, data)
