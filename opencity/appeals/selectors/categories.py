"""Reads of the category tree residents choose from, and of each category's rules.

The tree, its questions and deadline policies are rules an admin edits rarely and intake
reads on every appeal: they come from the per-process reference cache (`core.refcache`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.formats import date_format

from opencity.appeals.models import Category, CategoryQuestion, DeadlinePolicy, QuestionType
from opencity.core.models import Municipality
from opencity.core.refcache import refcache_get


@dataclass(frozen=True)
class CategoryRules:
    """A municipality's categories with their questions and deadline policies (read-only)."""

    by_id: dict[int, Category]
    by_code: dict[str, Category]  # active ones
    active: list[Category]  # in the tree's order
    leaf_ids: frozenset[int]  # active categories without active children
    questions: dict[int, list[CategoryQuestion]]
    policies: dict[int, list[DeadlinePolicy]]  # in id order


def _rules_load(municipality_id: int) -> CategoryRules:
    categories = list(Category.objects.filter(municipality_id=municipality_id))
    questions: dict[int, list[CategoryQuestion]] = {}
    for question in CategoryQuestion.objects.filter(municipality_id=municipality_id):
        questions.setdefault(question.category_id, []).append(question)
    policies: dict[int, list[DeadlinePolicy]] = {}
    for policy in DeadlinePolicy.objects.filter(municipality_id=municipality_id).order_by("id"):
        policies.setdefault(policy.category_id, []).append(policy)
    active = [c for c in categories if c.is_active]
    parents = {c.parent_id for c in active if c.parent_id}
    for category in categories:
        # The form asks `category.questions.all()`: answer it without a query.
        category._prefetched_objects_cache = {"questions": questions.get(category.pk, [])}
    return CategoryRules(
        by_id={c.pk: c for c in categories},
        by_code={c.code: c for c in active},
        active=active,
        leaf_ids=frozenset(c.pk for c in active if c.pk not in parents),
        questions=questions,
        policies=policies,
    )


def category_rules(*, municipality_id: int) -> CategoryRules:
    """Return the municipality's category rules from the reference cache."""
    return refcache_get(("category_rules", municipality_id), lambda: _rules_load(municipality_id))


def category_list_changed_at(*, municipality: Municipality) -> dt.datetime | None:
    """Return when the municipality's categories (active or not) last changed, or None."""
    # The moment the list residents and Open311 clients see last changed.
    categories = category_rules(municipality_id=municipality.pk).by_id.values()
    return max((c.updated_at for c in categories), default=None)


def category_is_leaf(*, category: Category) -> bool:
    """Tell whether residents may file in this category (active, with no active children)."""
    return category.pk in category_rules(municipality_id=category.municipality_id).leaf_ids


def category_questions(*, category: Category) -> list[CategoryQuestion]:
    """Return the category's typed questions in their order."""
    rules = category_rules(municipality_id=category.municipality_id)
    return rules.questions.get(category.pk, [])


def category_policies(*, category: Category) -> list[DeadlinePolicy]:
    """Return the category's deadline policies (every stage and season) in id order."""
    rules = category_rules(municipality_id=category.municipality_id)
    return rules.policies.get(category.pk, [])


def category_list_grouped(*, municipality: Municipality, query: str = "") -> list[dict]:
    """Return the active leaf categories grouped under their parents, in the tree's order."""
    # A group's title names the whole branch ("Housing · In the apartment") for deeper trees.
    # A query keeps the leaves whose name, keywords, description or branch contain every word.
    categories = category_rules(municipality_id=municipality.pk).active
    by_id = {c.id: c for c in categories}
    parents = {c.parent_id for c in categories if c.parent_id}

    def branch(category) -> list[Category] | None:
        """Return the category's ancestors from the root; None when one of them is inactive."""
        path = []
        while category.parent_id:
            category = by_id.get(category.parent_id)
            if category is None:
                return None
            path.append(category)
        return path[::-1]

    words = query.casefold().replace("ё", "е").split()[:10]
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
        if _category_matches(category, group["title"], words):
            group["categories"].append(category)
    # Branches in the tree's order; leaves without a parent ("Other") last.
    found = [g for g in groups.values() if g["categories"]]
    return sorted(found, key=lambda g: (g["parent"] is None, g["sort"]))


def _category_matches(category, branch: str, words: list[str]) -> bool:
    text = " ".join((category.name, category.keywords or "", category.description or "", branch))
    text = text.casefold().replace("ё", "е")
    return all(word in text for word in words)


def category_get_leaf(*, municipality: Municipality, code: str) -> Category | None:
    """Return the active leaf category with this code (None for a group or an unknown code)."""
    rules = category_rules(municipality_id=municipality.pk)
    category = rules.by_code.get(code)
    return category if category is not None and category.pk in rules.leaf_ids else None


def category_list_for_filing(*, municipality: Municipality) -> list[Category]:
    """Return the active leaf categories residents file under, in the tree's order."""
    # Each with `group` (its branch's names) and its questions prefetched.
    result = []
    for group in category_list_grouped(municipality=municipality):
        for category in group["categories"]:
            # The cached rows are shared: this sets the same title every time.
            category.group = group["title"] or (group["parent"].name if group["parent"] else "")
            result.append(category)
    return result  # their questions come prefetched with the cached rules


def category_get_for_filing(*, municipality: Municipality, code: str) -> Category | None:
    """Return one leaf category residents may file under (with group and questions), or None."""
    return next(
        (c for c in category_list_for_filing(municipality=municipality) if c.code == code), None
    )


def category_get(*, municipality: Municipality, code: str) -> Category | None:
    """Return an active category (a group or a leaf) by its code, or None."""
    return category_rules(municipality_id=municipality.pk).by_code.get(code)


def _answer_text(question: CategoryQuestion | None, value, time_zone: str) -> str:
    if question is None:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    names = {
        str(item.get("key")): str(item.get("name") or item.get("key"))
        for item in question.values or []
        if isinstance(item, dict)
    }
    if question.datatype == QuestionType.SINGLE:
        return names.get(str(value), str(value))
    if question.datatype == QuestionType.MULTI:
        keys = value if isinstance(value, list) else [value]
        return ", ".join(names.get(str(key), str(key)) for key in keys)
    if question.datatype == QuestionType.DATETIME:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(ZoneInfo(time_zone))
        return date_format(moment, "DATETIME_FORMAT")
    return str(value)


def appeal_answers_shown(*, appeal) -> list[tuple[str, str]]:
    """Return the answers to the category's questions as (question, answer) for a page."""
    # The questions' own labels and the list values' names, in the questions' order; an answer
    # to a question since removed keeps its code.
    answers = appeal.answers or {}
    if not answers:
        return []
    questions = {q.code: q for q in category_questions(category=appeal.category)}
    order = {code: index for index, code in enumerate(questions)}
    time_zone = appeal.municipality.time_zone
    shown = []
    for code in sorted(answers, key=lambda c: (order.get(c, len(order)), c)):
        value = answers[code]
        if value in (None, "", []):
            continue
        question = questions.get(code)
        shown.append(
            (question.label if question else code, _answer_text(question, value, time_zone))
        )
    return shown
