import factory
from django.utils import timezone

from opencity.appeals.models import (
    Appeal,
    Category,
    CategoryQuestion,
    DeadlinePolicy,
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
