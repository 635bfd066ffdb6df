"""The category tree seed: complete, consistent with the calendar, idempotent, editable."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from opencity.appeals.models import (
    Category,
    CategoryQuestion,
    DeadlinePolicy,
    Priority,
    QuestionType,
    ResponsibleKind,
    Stage,
)
from opencity.appeals.seeds import CATEGORIES, categories_seed, category_leaves
from opencity.appeals.services import appeal_deadline_refresh
from opencity.appeals.tests.factories import AppealFactory
from opencity.core.calendar import TimeUnit
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import DepartmentArea, OrganisationKind, Resource


def test_seed_rows_are_consistent():
    codes = [row["code"] for row in CATEGORIES]
    assert len(codes) == len(set(codes))
    seen = set()
    for row in CATEGORIES:
        assert row.get("parent") is None or row["parent"] in seen, row["code"]
        seen.add(row["code"])
    leaves = category_leaves()
    assert 35 <= len(leaves) <= 60
    for row in leaves:
        kind = row["responsible_kind"]
        assert kind in ResponsibleKind.values
        assert (kind == "utility") == bool(row.get("resource")), row["code"]
        assert row.get("resource", "") in ("", *Resource.values)
        assert row.get("territory_kind", "") in ("", *OrganisationKind.values)
        assert row.get("department_area", "") in ("", *DepartmentArea.values)
        assert kind != "city_department" or row.get("department_area"), row["code"]
        assert row.get("priority", "normal") in Priority.values
        assert any(d["stage"] == "resolve" for d in row["deadlines"]), row["code"]
        for policy in row["deadlines"]:
            assert policy["stage"] in Stage.values
            assert policy["unit"] in TimeUnit.values
            assert policy["source"], row["code"]
        for question in row.get("questions", []):
            assert question["datatype"] in QuestionType.values


@pytest.mark.django_db
def test_seed_writes_the_tree_with_deadlines_from_the_regulations():
    city = MunicipalityFactory()

    count = categories_seed(municipality=city)

    assert count == len(CATEGORIES) == Category.objects.filter(municipality=city).count()
    chute = Category.objects.get(municipality=city, code="garbage-chute")
    assert chute.parent.code == "housing-entrance"
    assert chute.parent.parent.code == "housing"
    resolve = chute.deadlines.get(stage=Stage.RESOLVE)
    assert (resolve.amount, resolve.unit) == (2, TimeUnit.HOURS)
    assert (resolve.window_start, resolve.window_end) == (dt.time(8), dt.time(23))
    assert "416" in resolve.source

    flood = Category.objects.get(municipality=city, code="flood-from-above")
    assert flood.priority == Priority.EMERGENCY
    respond = flood.deadlines.get(stage=Stage.RESPOND)
    assert (respond.amount, respond.unit) == (30, TimeUnit.MINUTES)
    flowing = flood.questions.get(code="water_flowing")
    assert flowing.datatype == QuestionType.SINGLE and flowing.required
    assert {v["key"] for v in flowing.values} >= {"yes", "no"}
    assert flood.questions.get(code="floor").datatype == QuestionType.NUMBER

    windows = Category.objects.get(municipality=city, code="entrance-windows")
    by_months = {p.months: p.amount for p in windows.deadlines.filter(stage=Stage.RESOLVE)}
    assert by_months == {"10,11,12,1,2,3,4": 1, "5,6,7,8,9": 3}

    sidewalk = Category.objects.get(municipality=city, code="snow-sidewalk")
    assert sidewalk.deadlines.get(stage=Stage.RESOLVE).amount == 6
    assert sidewalk.photo_required and not sidewalk.needs_building
    assert (
        Category.objects.get(municipality=city, code="snow-yard")
        .deadlines.get(stage=Stage.RESOLVE)
        .amount
        == 12
    )
    assert Category.objects.filter(municipality=city, moderated=True).exists()
    # every leaf has all the stages it needs to start a clock
    leaf_codes = [row["code"] for row in category_leaves()]
    for category in Category.objects.filter(municipality=city, code__in=leaf_codes):
        stages = set(category.deadlines.values_list("stage", flat=True))
        assert {Stage.ACKNOWLEDGE, Stage.RESOLVE} <= stages, category.code
    assert CategoryQuestion.objects.filter(
        municipality=city, datatype=QuestionType.DATETIME
    ).exists()


@pytest.mark.django_db
def test_seed_is_idempotent_and_updates_by_code():
    city = MunicipalityFactory(slug="seeded")
    other = MunicipalityFactory(slug="other-seeded")
    call_command("seed_categories", "--municipality", "seeded")
    policies = DeadlinePolicy.objects.filter(municipality=city).count()
    questions = CategoryQuestion.objects.filter(municipality=city).count()
    roof = Category.objects.get(municipality=city, code="roof-leak")
    roof.name = "Renamed by someone"
    roof.save()

    call_command("seed_categories", "--municipality", "seeded")

    assert Category.objects.filter(municipality=city).count() == len(CATEGORIES)
    assert DeadlinePolicy.objects.filter(municipality=city).count() == policies
    assert CategoryQuestion.objects.filter(municipality=city).count() == questions
    roof.refresh_from_db()
    assert roof.name == "Протекает крыша"
    assert not Category.objects.filter(municipality=other).exists()
    call_command("seed_categories", "--all")
    assert Category.objects.filter(municipality=other).count() == len(CATEGORIES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "registered", "resolve_by"),
    [
        ("garbage-chute", "2026-03-10T22:30", "2026-03-11T09:30"),  # 2 h within 08:00–23:00
        ("sewage-blockage", "2026-03-10T22:30", "2026-03-11T00:30"),  # 2 h, day and night
        ("entrance-windows", "2026-01-13T10:00", "2026-01-14T10:00"),  # winter: 1 day
        ("entrance-windows", "2026-07-14T10:00", "2026-07-17T10:00"),  # summer: 3 days
        ("snow-sidewalk", "2026-01-13T20:00", "2026-01-14T02:00"),  # 6 h
        ("other-question", "2026-03-06T10:00", "2026-03-23T18:00"),  # 10 working days
    ],
)
def test_seeded_deadlines_drive_the_appeal_clock(code, registered, resolve_by):
    msk = ZoneInfo("Europe/Moscow")
    city = MunicipalityFactory()
    categories_seed(municipality=city)
    category = Category.objects.get(municipality=city, code=code)
    created = dt.datetime.fromisoformat(registered).replace(tzinfo=msk)
    appeal = AppealFactory(municipality=city, category=category, created_at=created)

    appeal_deadline_refresh(appeal=appeal, now=created)

    assert appeal.stage == Stage.ACKNOWLEDGE
    assert appeal.resolve_deadline_at.astimezone(msk) == dt.datetime.fromisoformat(
        resolve_by
    ).replace(tzinfo=msk)
