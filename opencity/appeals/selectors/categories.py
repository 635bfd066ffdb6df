"""Reads of the category tree residents choose from."""

from __future__ import annotations

from opencity.appeals.models import Category
from opencity.core.models import Municipality


def category_list_grouped(*, municipality: Municipality) -> list[dict]:
    """Return the active leaf categories grouped under their parents, in the tree's order.

    A group's title names the whole branch ("Housing · In the apartment") for deeper trees.
    """
    categories = list(
        Category.objects.filter(municipality=municipality, is_active=True).order_by("order", "name")
    )
    by_id = {c.id: c for c in categories}
    parents = {c.parent_id for c in categories if c.parent_id}

    def branch(category) -> list[Category] | None:
        """The category's ancestors from the root; None when one of them is inactive."""
        path = []
        while category.parent_id:
            category = by_id.get(category.parent_id)
            if category is None:
                return None
            path.append(category)
        return path[::-1]

    groups: dict[int | None, dict] = {}
    for category in categories:
        if category.id in parents:
            continue
        path = branch(category)
        if path is None:
            continue
        key = path[-1].id if path else None
        group = groups.setdefault(
            key,
            {
                "parent": path[-1] if path else None,
                "title": " · ".join(c.name for c in path),
                "sort": [(c.order, c.name) for c in path],
                "categories": [],
            },
        )
        group["categories"].append(category)
    # Branches in the tree's order; leaves without a parent ("Other") last.
    return sorted(groups.values(), key=lambda g: (g["parent"] is None, g["sort"]))


def category_get_leaf(*, municipality: Municipality, code: str) -> Category | None:
    """Return the active leaf category with this code (None for a group or an unknown code)."""
    category = Category.objects.filter(municipality=municipality, code=code, is_active=True).first()
    if category is None or category.children.filter(is_active=True).exists():
        return None
    return category


def category_list_for_filing(*, municipality: Municipality) -> list[Category]:
    """Return the active leaf categories residents file under, in the tree's order, each with
    `group` (its branch's names) and its questions prefetched."""
    from django.db.models import Prefetch, prefetch_related_objects

    from opencity.appeals.models import CategoryQuestion

    result = []
    for group in category_list_grouped(municipality=municipality):
        for category in group["categories"]:
            category.group = group["title"] or (group["parent"].name if group["parent"] else "")
            result.append(category)
    prefetch_related_objects(
        result,
        Prefetch("questions", queryset=CategoryQuestion.objects.order_by("order", "id")),
    )
    return result


def category_get_for_filing(*, municipality: Municipality, code: str) -> Category | None:
    """Return one leaf category residents may file under (with group and questions), or None."""
    return next(
        (c for c in category_list_for_filing(municipality=municipality) if c.code == code), None
    )


def category_get(*, municipality: Municipality, code: str) -> Category | None:
    """Return an active category (a group or a leaf) by its code, or None."""
    return Category.objects.filter(municipality=municipality, code=code, is_active=True).first()
