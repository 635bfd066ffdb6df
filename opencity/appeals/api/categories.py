"""The categories API: the leaf categories residents file appeals under, with their questions."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Router

from opencity.accounts.api_auth import ANYONE
from opencity.appeals import selectors
from opencity.appeals.schemas import CategoryOut
from opencity.core.api_context import municipality_of
from opencity.core.api_errors import Text, responses
from opencity.core.errors import NotFound

categories_router = Router(tags=["categories"])


def category_out(category) -> dict:
    return {
        "code": category.code,
        "name": category.name,
        "group": category.group,
        "description": category.description,
        "priority": category.priority,
        "needs_building": category.needs_building,
        "photo_required": category.photo_required,
        "moderated": category.moderated,
        "questions": [
            {
                "code": q.code,
                "label": q.label,
                "help_text": q.help_text,
                "datatype": q.datatype,
                "required": q.required,
                "order": q.order,
                "values": [
                    {"key": str(v.get("key", "")), "name": str(v.get("name", ""))}
                    for v in q.values or []
                    if isinstance(v, dict)
                ],
            }
            for q in category.questions.all()
        ],
    }


@categories_router.get(
    "", response=responses({200: list[CategoryOut]}), **ANYONE, summary="Categories to file"
)
def category_list(request):
    """The leaf categories residents file appeals under, with their questions."""
    return [
        category_out(c)
        for c in selectors.category_list_for_filing(municipality=municipality_of(request))
    ]


@categories_router.get(
    "/{code}",
    response=responses({200: CategoryOut}, 404),
    **ANYONE,
    summary="One category and its questions",
)
def category_detail(request, code: Annotated[Text, Field(max_length=64)]):
    category = selectors.category_get_for_filing(municipality=municipality_of(request), code=code)
    if category is None:
        raise NotFound(_("No such category."))
    return category_out(category)
