import datetime as dt

import factory
from django.utils import timezone

from opencity.appeals.models import (
    Appeal,
    AppealEvent,
    Category,
    CategoryQuestion,
    DeadlinePolicy,
    EventKind,
    Priority,
    QuestionType,
    ResponsibleKind,
    Stage,
    Status,
)
from opencity.core.calendar import TimeUnit
from opencity.core.geo import h3_cell
from opencity.core.tests.factories import MunicipalityFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    """A leaf category routed to the building's management company."""

    class Meta:
        model = Category

    municipality = factory.SubFactory(MunicipalityFactory)
    parent = None
    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    responsible_kind = ResponsibleKind.BUILDING_MANAGER
    priority = Priority.NORMAL
    needs_building = True


class DeadlinePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlinePolicy

    category = factory.SubFactory(CategoryFactory)
    municipality = factory.SelfAttribute("category.municipality")
    stage = Stage.RESOLVE
    amount = 5
    unit = TimeUnit.WORKING_DAYS


class CategoryQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryQuestion

    category = factory.SubFactory(CategoryFactory)
    municipality = factory.SelfAttribute("category.municipality")
    code = factory.Sequence(lambda n: f"question-{n}")
    label = factory.Sequence(lambda n: f"Question {n}")
    datatype = QuestionType.STRING
    required = False


class AppealFactory(factory.django.DjangoModelFactory):
    """A registered appeal about a building, created now (no routing, no deadlines)."""

    class Meta:
        model = Appeal

    municipality = factory.SubFactory(MunicipalityFactory)
    category = factory.SubFactory(
        CategoryFactory, municipality=factory.SelfAttribute("..municipality")
    )
    number = factory.Sequence(lambda n: f"TST-2026-{n + 1:06d}")
    priority = factory.SelfAttribute("category.priority")
    status = Status.REGISTERED
    description = factory.Sequence(lambda n: f"Problem number {n}")
    lat = 55.79
    lon = 49.12
    h3_cell = factory.LazyAttribute(
        lambda o: h3_cell(o.lat, o.lon) if o.lat is not None and o.lon is not None else ""
    )
    created_at = factory.LazyFunction(timezone.now)

    @classmethod
    def create_in(cls, status: str, **fields) -> Appeal:
        """Create an appeal in a status, through that status's named starting state."""
        named = {
            Status.ACCEPTED: cls.create_accepted,
            Status.IN_PROGRESS: cls.create_in_progress,
            Status.CLARIFICATION: cls.create_in_clarification,
            Status.RESOLVED: cls.create_resolved,
            Status.CLOSED: cls.create_closed,
            Status.MERGED: cls.create_merged,
            Status.CANCELLED: cls.create_cancelled,
        }
        if status in named:
            return named[status](**fields)
        return cls.create(status=status, **fields)

    @classmethod
    def create_accepted(cls, **fields) -> Appeal:
        """Create an appeal its organisation has accepted."""
        return cls.create(status=Status.ACCEPTED, **fields)

    @classmethod
    def create_in_progress(cls, **fields) -> Appeal:
        """Create an appeal whose work has started."""
        return cls.create(status=Status.IN_PROGRESS, **fields)

    @classmethod
    def create_in_clarification(cls, **fields) -> Appeal:
        """Create an appeal in progress that waits for the answer to a staff question."""
        appeal = cls.create(status=Status.CLARIFICATION, **fields)
        AppealEvent.objects.create(
            municipality=appeal.municipality,
            appeal=appeal,
            kind=EventKind.QUESTION,
            from_status=Status.IN_PROGRESS,
            to_status=Status.CLARIFICATION,
            comment="Which entrance?",
            params={"return_to": Status.IN_PROGRESS},
            is_public=False,
            created_at=timezone.now(),
        )
        return appeal

    @classmethod
    def create_resolved(cls, **fields) -> Appeal:
        """Create an appeal whose work was reported half an hour ago."""
        return cls.create(**{**_resolved(), "status": Status.RESOLVED, **fields})

    @classmethod
    def create_closed(cls, **fields) -> Appeal:
        """Create a resolved appeal closed ten minutes ago."""
        return cls.create(**{**_resolved(), **_closed(), "status": Status.CLOSED, **fields})

    @classmethod
    def create_merged(cls, **fields) -> Appeal:
        """Create an appeal closed ten minutes ago as a duplicate."""
        return cls.create(**{**_closed(), "status": Status.MERGED, **fields})

    @classmethod
    def create_cancelled(cls, **fields) -> Appeal:
        """Create an appeal cancelled ten minutes ago."""
        return cls.create(**{**_closed(), "status": Status.CANCELLED, **fields})


def _resolved() -> dict:
    return {"resolved_at": timezone.now() - dt.timedelta(minutes=30), "resolution": "Fixed"}


def _closed() -> dict:
    return {"closed_at": timezone.now() - dt.timedelta(minutes=10)}
